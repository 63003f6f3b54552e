"""Targets over the API: `GET /targets?unit=&year=`, `GET /targets/{id}`, `POST /targets`,
`POST /targets/{id}/cascade`, `POST /targets/{id}/values`, `POST /population`. A unit or target outside the
caller's subtree answers 404 like an unknown one; writing needs the "manage_targets" right (403)."""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api import PageOut, PageParams, page_body
from core.errors import DomainError
from core.scoping import can
from documents.models import Document
from orgs.models import OrgUnit
from targets import services, tables
from targets.models import Target, TargetGroup
from targets.rules import ACTION, Direction, Kind, Mode, Source

router = Router(tags=["Chỉ tiêu"])


class TargetOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    document_id: int
    document: str = Field(description="Số ký hiệu của nghị quyết, kế hoạch, ví dụ 82-KH/TU.")
    group: str
    group_code: str
    position: int
    name: str
    kind: Kind
    direction: Direction
    measure: str
    year: int
    planned: Decimal | None = Field(description="Kế hoạch của năm (hoặc giá trị cuối nhiệm kỳ mà năm hướng tới).")
    planned_year: int | None
    value: Decimal | None = Field(description="Kết quả cả năm, hoặc số mới nhất trong năm khi chưa có.")
    final: bool = Field(description="true: kết quả cả năm (kỳ kết thúc 31/12).")
    status: str = Field(description="dat, vuot, chua_dat, chua_den_han, chua_co_so_lieu")
    parent_id: int | None
    mode: str
    source: Source
    parts: int = Field(description="Số đơn vị cấp dưới được giao chỉ tiêu này.")
    parts_reported: int
    parts_met: int
    rolled_up: Decimal | None = Field(description="Tổng kết quả các phần đã phân bổ (chỉ tiêu phân bổ số lượng).")


class TargetPage(PageOut):
    summary: str = Field(description="Ví dụ “8/54 chỉ tiêu chưa đạt”.")
    not_achieved: int
    comparison: str = Field(description="Ví dụ “45 chỉ tiêu, tăng 9 so với năm 2020”.")
    items: list[TargetOut]


class PlanOut(Schema):
    year: int
    value: Decimal


class ValueOut(Schema):
    period_end: date
    value: Decimal
    evidence: str
    computed: bool


class TargetDetail(TargetOut):
    plans: list[PlanOut]
    values: list[ValueOut]
    children: list[TargetOut]


class TargetFilter(Schema):
    unit: int | None = Field(None, description="Tổ chức (chỉ tiêu của chính tổ chức này); mặc định tổ chức cao nhất "
                                               "bạn được xem.")
    year: int | None = Field(None, ge=1930, le=2100, description="Năm; mặc định năm nay.")
    document: int | None = Field(None, description="Chỉ các chỉ tiêu của một nghị quyết, kế hoạch.")


class TargetIn(Schema):
    unit: int
    document: int
    group: str = Field(description="Mã nhóm: xay_dung_dang, kinh_te, van_hoa_xa_hoi, quoc_phong_an_ninh.")
    name: str
    kind: Kind = Kind.COUNT
    direction: Direction = Direction.AT_LEAST
    measure: str = ""
    baseline: str | float | None = None
    plans: dict[str, str | float] = Field(description="{năm: kế hoạch}, ví dụ {\"2026\": 120}.")
    from_year: int | None = None
    to_year: int | None = None
    source: Source = Source.ENTERED
    computed_key: str = ""


class PartIn(Schema):
    unit: int
    plans: dict[str, str | float] | None = Field(None, description="{năm: phần giao} khi phân bổ số lượng.")
    document: int | None = Field(None, description="Kế hoạch của đơn vị cấp dưới cụ thể hóa (nếu có).")


class CascadeIn(Schema):
    mode: Mode
    parts: list[PartIn]


class ValueIn(Schema):
    value: str | float | bool
    year: int | None = None
    period_end: date | None = None
    evidence: str = ""
    attachment: str = ""


class PopulationIn(Schema):
    unit: int
    on: date
    value: int = Field(ge=1)
    source: str


class PopulationOut(Schema):
    unit_id: int
    on: date
    value: int
    source: str


def _unit(request, unit_id: int, write: bool = False) -> OrgUnit:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
    if write and not can(request.user, ACTION, unit.path):
        raise HttpError(403, f"Bạn không có quyền ghi chỉ tiêu của “{unit.name}”.")
    return unit


def _target(request, target_id: int, write: bool = False) -> Target:
    target = get_object_or_404(Target.objects.visible_to(request.user).select_related("unit", "group", "document"),
                               pk=target_id)
    if write and not can(request.user, ACTION, target.unit.path):
        raise HttpError(403, f"Bạn không có quyền ghi chỉ tiêu của “{target.unit.name}”.")
    return target


def _document(request, doc_id: int) -> Document:
    doc = Document.objects.visible_to(request.user).filter(pk=doc_id).first()
    if doc is None:
        raise DomainError(f"Không tìm thấy văn bản số {doc_id} trong phạm vi của bạn.", field="document")
    return doc


def _out(r: tables.Row) -> dict:
    t, f = r.target, r.fig
    return {"id": t.pk, "unit_id": t.unit_id, "unit_name": t.unit.name, "document_id": t.document_id,
            "document": t.document.symbol, "group": t.group.name, "group_code": t.group.code, "position": t.position,
            "name": t.name, "kind": t.kind, "direction": t.direction, "measure": t.measure, "year": f.year,
            "planned": f.planned, "planned_year": f.planned_year, "value": f.value, "final": f.final,
            "status": f.status, "parent_id": t.parent_id, "mode": t.mode, "source": t.source, "parts": r.parts,
            "parts_reported": r.reported, "parts_met": r.met, "rolled_up": r.rolled}


@router.get("/targets", response=TargetPage, summary="Các chỉ tiêu của một tổ chức trong một năm")
def list_targets(request, filters: Query[TargetFilter], page: Query[PageParams]):
    top = OrgUnit.objects.tops_for(request.user).order_by("path").first()
    unit = _unit(request, filters.unit if filters.unit is not None else (top.pk if top else 0))
    year = filters.year or timezone.localdate().year
    targets = tables.unit_targets(unit, request.user, year)
    if filters.document:
        targets = targets.filter(document_id=filters.document)
    table = tables.rows(targets, year, request.user, depth=0)
    total = tables.summary(table)
    start = (page.page - 1) * page.page_size
    body = page_body(request, page, len(table), [_out(r) for r in table[start:start + page.page_size]])
    own = Target.objects.visible_to(request.user).filter(unit=unit)
    return body | {"summary": total.text, "not_achieved": len(total.not_achieved),
                   "comparison": tables.compare_years(own, year).text}


@router.get("/targets/{target_id}", response=TargetDetail, summary="Một chỉ tiêu, các phần giao xuống và kết quả")
def get_target(request, target_id: int, year: int | None = None):
    target = _target(request, target_id)
    year = year or timezone.localdate().year
    [row] = tables.rows([target], year, request.user, depth=1)
    return _out(row) | {
        "plans": [{"year": p.year, "value": p.value} for p in target.plans.all()],
        "values": [{"period_end": v.period_end, "value": v.value, "evidence": v.evidence, "computed": v.computed}
                   for v in target.values.all()],
        "children": [_out(c) for c in row.children],
    }


@router.post("/targets", response={201: TargetDetail}, summary="Đặt một chỉ tiêu")
def create_target(request, data: TargetIn):
    unit = _unit(request, data.unit, write=True)
    group = TargetGroup.objects.filter(code=data.group).first() or TargetGroup.objects.filter(name=data.group).first()
    if group is None:
        raise DomainError("Nhóm chỉ tiêu không có; chọn một trong: "
                          + ", ".join(TargetGroup.objects.values_list("code", flat=True)) + ".", field="group")
    target = services.create_target(
        document=_document(request, data.document), unit=unit, group=group, name=data.name, kind=data.kind,
        direction=data.direction, measure=data.measure, baseline=data.baseline, plans=data.plans,
        from_year=data.from_year, to_year=data.to_year, source=data.source, computed_key=data.computed_key,
        by=request.user)
    return Status(201, get_target(request, target.pk, target.from_year))


@router.post("/targets/{target_id}/cascade", response={201: list[TargetOut]}, summary="Giao chỉ tiêu cho cấp dưới")
def cascade(request, target_id: int, data: CascadeIn):
    target = _target(request, target_id, write=True)
    units = {u.pk: u for u in OrgUnit.objects.visible_to(request.user).filter(pk__in=[p.unit for p in data.parts])}
    missing = [p.unit for p in data.parts if p.unit not in units]
    if missing:
        raise DomainError(f"Không tìm thấy tổ chức số {missing[0]} trong phạm vi của bạn.", field="parts")
    documents = {p.unit: _document(request, p.document) for p in data.parts if p.document}
    children = services.cascade(target, mode=data.mode, parts=[(units[p.unit], p.plans) for p in data.parts],
                                documents=documents, by=request.user)
    return Status(201, [_out(r) for r in tables.rows(children, target.from_year, request.user)])


@router.post("/targets/{target_id}/values", response={201: TargetDetail}, summary="Nhập kết quả một kỳ")
def enter_value(request, target_id: int, data: ValueIn):
    target = _target(request, target_id, write=True)
    row = services.enter_value(target, value=data.value, year=data.year, period_end=data.period_end,
                               evidence=data.evidence, attachment=data.attachment, by=request.user)
    return Status(201, get_target(request, target.pk, row.period_end.year))


@router.post("/population", response={201: PopulationOut}, summary="Ghi dân số của một đơn vị")
def record_population(request, data: PopulationIn):
    unit = _unit(request, data.unit, write=True)
    row = services.record_population(unit, on=data.on, value=data.value, source=data.source, by=request.user)
    return Status(201, {"unit_id": unit.pk, "on": row.on, "value": row.value, "source": row.source})
