"""The register of documents over the API: `GET /documents` (search by symbol or type), `GET /documents/{id}`.
A document of a unit outside the caller's subtree answers 404 like an unknown one; those issued outside the
system (21-KL/TW) are read by everyone signed in."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from core.api import PageOut, PageParams, page_body, paginate
from documents.models import Document
from documents.symbols import parse

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
        rows = rows.filter(title__icontains=filters.q)
    if filters.type:
        rows = rows.filter(doc_type=filters.type)
    if filters.unit:
        rows = rows.filter(unit_id=filters.unit)
    count, items = paginate(rows.order_by("-issued_on", "-id"), page)
    return page_body(request, page, count, [_out(d) for d in items])


@router.get("/documents/{doc_id}", response=DocumentOut, summary="Một văn bản")
def get_document(request, doc_id: int):
    return _out(get_object_or_404(Document.objects.visible_to(request.user), pk=doc_id))
