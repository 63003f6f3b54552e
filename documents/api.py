"""The register of documents over the API: `GET /documents` (search by symbol or type), `GET /documents/{id}`.
A document of a unit outside the caller's subtree answers 404 like an unknown one; those issued outside the
system (21-KL/TW) are read by everyone signed in."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api import PageOut, PageParams, page_body, paginate
from core.scoping import can, can_anywhere
from core.text import fold
from documents import lineage, services
from documents.models import Dissemination, Document
from documents.symbols import parse, symbol_error
from orgs.models import OrgUnit

router = Router(tags=["Văn bản"])


class DocumentOut(Schema):
    id: int
    symbol: str
    number: int
    doc_type: str
    issuer: str
    unit_id: int | None
    issued_on: date
    title: str
    status: str
    implements_id: int | None


class DocumentPage(PageOut):
    items: list[DocumentOut]


class DocumentFilter(Schema):
    q: str = ""
    type: str = ""
    unit: int | None = None


def _out(d: Document) -> dict:
    return {"id": d.pk, "symbol": d.symbol, "number": d.number, "doc_type": d.doc_type, "issuer": d.issuer,
            "unit_id": d.unit_id, "issued_on": d.issued_on, "title": d.title, "status": d.status,
            "implements_id": d.implements_id}


@router.get("/documents", response=DocumentPage, summary="Sổ văn bản (tìm theo số ký hiệu)")
def list_documents(request, page: Query[PageParams], filters: Query[DocumentFilter]):
    rows = Document.objects.visible_to(request.user)
    symbol = parse(filters.q)
    if symbol:
        rows = rows.filter(number=symbol.number, doc_type=symbol.doc_type, issuer=symbol.issuer)
    elif filters.q:
        rows = rows.filter(folded_title__contains=fold(filters.q))
    if filters.type:
        rows = rows.filter(doc_type=filters.type)
    if filters.unit:
        rows = rows.filter(unit_id=filters.unit)
    count, items = paginate(rows.order_by("-issued_on", "-id"), page)
    return page_body(request, page, count, [_out(d) for d in items])


class ParsedOut(Schema):
    number: int
    type: str
    issuer: str
    symbol: str


@router.get("/documents/parse", response=ParsedOut, summary="Đọc số, ký hiệu văn bản")
def parse_symbol(request, symbol: str):
    """"Số 25-KH/ĐU", "25-KH/ĐU", "25 - KH/ĐU" → the same parts; a malformed or incomplete one is 400."""
    parsed = parse(symbol)
    if parsed is None:
        raise HttpError(400, symbol_error(symbol.strip()))
    return {"number": parsed.number, "type": parsed.doc_type, "issuer": parsed.issuer, "symbol": str(parsed)}


@router.get("/documents/{doc_id}", response=DocumentOut, summary="Một văn bản")
def get_document(request, doc_id: int):
    return _out(_visible(request, doc_id))


def _visible(request, doc_id: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user).select_related("unit"), pk=doc_id)


class UnitRef(Schema):
    id: int
    name: str


class LineageNode(Schema):
    document: DocumentOut
    missing: list[UnitRef] = Field(description="Các cấp ủy trực thuộc chưa có văn bản thực hiện.")
    children: list["LineageNode"]


LineageNode.model_rebuild()


def _node(node: lineage.Node) -> dict:
    return {"document": _out(node.document), "missing": [{"id": u.pk, "name": u.name} for u in node.missing],
            "children": [_node(c) for c in node.children]}


@router.get("/documents/{doc_id}/lineage", response=LineageNode, summary="Văn bản thực hiện xuống các cấp")
def get_lineage(request, doc_id: int):
    return _node(lineage.lineage(_visible(request, doc_id), request.user))


def _may_write(request, unit: OrgUnit | None) -> None:
    if not (can(request.user, services.ACTION, unit.path) if unit else can_anywhere(request.user, services.ACTION)):
        raise HttpError(403, "Bạn không có quyền ghi văn bản" + (f" của “{unit.name}”." if unit else "."))


class DocumentIn(Schema):
    unit: int | None = Field(None, description="Tổ chức ban hành; trống: văn bản của cấp ngoài hệ thống.")
    symbol: str = Field("", description="Số, ký hiệu đã có (25-KH/ĐU); trống: cấp số tiếp theo.")
    type: str = Field("", description="Loại (NQ, KH, QĐ…) khi để hệ thống cấp số.")
    issued_on: date
    title: str
    implements: int | None = None
    replaces: int | None = None
    review_due: date | None = None
    final_review_due: date | None = None


@router.post("/documents", response={201: DocumentOut}, summary="Ghi văn bản")
def create_document(request, body: DocumentIn):
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=body.unit) if body.unit else None
    _may_write(request, unit)
    links = {name: _visible(request, pk) if pk else None
             for name, pk in (("implements", body.implements), ("replaces", body.replaces))}
    if body.symbol:
        parsed = parse(body.symbol)
        if parsed is None:
            raise HttpError(400, symbol_error(body.symbol.strip()))
        document = services.register(unit=unit, issuer=parsed.issuer, doc_type=parsed.doc_type, number=parsed.number,
                                     issued_on=body.issued_on, title=body.title, by=request.user,
                                     review_due=body.review_due, final_review_due=body.final_review_due, **links)
    else:
        if unit is None:
            raise HttpError(400, "Văn bản của cấp ngoài hệ thống phải ghi số, ký hiệu (symbol).")
        document = services.issue(unit=unit, doc_type=body.type, on=body.issued_on, title=body.title,
                                  by=request.user, implements=links["implements"])
    return Status(201, _out(document))


class DisseminationIn(Schema):
    unit: int
    held_on: date
    form: Dissemination.Form = Dissemination.Form.CONFERENCE
    attended: int = Field(ge=0)
    total: int = Field(ge=1)
    note: str = ""


class DisseminationOut(Schema):
    id: int
    document_id: int
    unit_id: int
    held_on: date
    form: str
    attended: int
    total: int


@router.post("/documents/{doc_id}/disseminations", response={201: DisseminationOut}, summary="Ghi việc quán triệt")
def add_dissemination(request, doc_id: int, body: DisseminationIn):
    document = _visible(request, doc_id)
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=body.unit)
    _may_write(request, unit)
    row = services.disseminate(document, unit=unit, held_on=body.held_on, form=body.form, attended=body.attended,
                               total=body.total, note=body.note, by=request.user)
    return Status(201, {"id": row.pk, "document_id": document.pk, "unit_id": unit.pk, "held_on": row.held_on,
                 "form": row.form, "attended": row.attended, "total": row.total})
