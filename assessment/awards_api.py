"""Commendations and "Dân vận khéo" models over the API: lists scoped like members (a unit outside the caller's
subtree is 404)."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from assessment.models import Commendation, MobilizationModel
from core.api import PageOut, PageParams, page_body, paginate
from core.tree import subtree_q
from orgs.models import OrgUnit

router = Router(tags=["Khen thưởng, Dân vận khéo"])


class CommendationOut(Schema):
    id: int
    kind: str
    kind_label: str
    member_id: int | None
    unit_id: int | None
    recipient: str
    issuer: str
    decision_number: str
    decided_on: date
    reason: str
    year: int | None


class CommendationPage(PageOut):
    items: list[CommendationOut]


class ModelOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    name: str
    field: str
    collective: bool
    owner: str
    year: int
    status: str
    level: str
    registered_on: date
    assessed_on: date | None
    recognized_on: date | None


class ModelPage(PageOut):
    items: list[ModelOut]


class Filters(Schema):
    unit: int | None = Field(None, description="Trong cây con của tổ chức này.")
    year: int | None = None


def _within(request, rows, field: str, filters: Filters):
    if filters.unit is not None:
        unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=filters.unit)
        rows = rows.filter(subtree_q(field, unit.path))
    return rows


@router.get("/commendations", response=CommendationPage, summary="Khen thưởng tập thể, cá nhân")
def list_commendations(request, filters: Query[Filters], page: Query[PageParams]):
    rows = _within(request, Commendation.objects.visible_to(request.user), "subject_unit__path", filters)
    if filters.year is not None:
        rows = rows.filter(decided_on__year=filters.year)
    count, items = paginate(rows.select_related("member", "recipient_unit").order_by("-decided_on", "id"), page)
    return page_body(request, page, count, [
        {"id": c.pk, "kind": c.kind, "kind_label": c.get_kind_display(), "member_id": c.member_id,
         "unit_id": c.recipient_unit_id, "recipient": c.recipient_name, "issuer": c.issuer,
         "decision_number": c.decision_number, "decided_on": c.decided_on, "reason": c.reason, "year": c.year}
        for c in items])


@router.get("/models", response=ModelPage, summary="Mô hình “Dân vận khéo”")
def list_models(request, filters: Query[Filters], page: Query[PageParams]):
    rows = _within(request, MobilizationModel.objects.visible_to(request.user), "unit__path", filters)
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    count, items = paginate(rows.select_related("unit").order_by("-year", "unit__path", "name", "id"), page)
    return page_body(request, page, count, [
        {"id": m.pk, "unit_id": m.unit_id, "unit_name": m.unit.name, "name": m.name, "field": m.field,
         "collective": m.collective, "owner": m.owner, "year": m.year, "status": m.status, "level": m.level,
         "registered_on": m.registered_on, "assessed_on": m.assessed_on, "recognized_on": m.recognized_on}
        for m in items])
