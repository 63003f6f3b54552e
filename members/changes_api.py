"""Biến động đảng viên over the API: `GET /api/v1/members/changes?unit=&from=&to=` (members.changes).

The unit comes through `inherited_by(request.user)` (in reach today, or closed and wholly the caller's,
as on a past day): any other answers 404, exactly like one that does not exist. Dates are ISO; a date
that is not one, a period that ends before it begins or begins after today answers 422.
"""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from core.errors import DomainError
from members import changes, privacy
from orgs.api import UnitRef
from orgs.models import OrgUnit

router = Router(tags=["Biến động đảng viên"])
router.add_decorator(privacy.no_store, mode="view")


class ChangesParams(Schema):
    unit: int | None = Field(None, description="Tổ chức: tính cả các tổ chức trực thuộc; mặc định là tổ chức cao "
                                               "nhất bạn được xem.")
    from_: date | None = Field(None, alias="from", description="Ngày đầu kỳ (YYYY-MM-DD), được tính; mặc định 01/01 "
                                                               "năm nay.")
    to: date | None = Field(None, description="Ngày cuối kỳ (YYYY-MM-DD), được tính; mặc định 31/12 năm nay.")


class Figures(Schema):
    admissions: int = Field(description="Kết nạp, cả kết nạp lại.")
    admitted: int
    readmitted: int
    recognized: int
    transferred_in: int = Field(description="Chuyển sinh hoạt chính thức đến, từ ngoài tổ chức.")
    transferred_out: int = Field(description="Chuyển sinh hoạt chính thức đi, ra ngoài tổ chức.")
    restructured_in: int = Field(description="Đến do hợp nhất, chia tách tổ chức.")
    restructured_out: int
    temp_out: int
    temp_back: int
    left: int = Field(description="Ra khỏi danh sách đảng viên: xóa tên, khai trừ, ra khỏi Đảng, từ trần.")
    struck_off: int
    expelled: int
    resigned: int
    deceased: int


class ReasonCount(Schema):
    reason: str
    label: str
    count: int


class ChangesOut(Schema):
    unit: UnitRef
    from_: date = Field(alias="from")
    to: date
    figures: Figures
    left_by_reason: list[ReasonCount]


@router.get("", response=ChangesOut, by_alias=True, summary="Biến động đảng viên của một tổ chức trong một kỳ")
def member_changes(request, params: Query[ChangesParams]):
    """Kết nạp, công nhận chính thức, chuyển sinh hoạt đến/đi, ra khỏi danh sách đảng viên của tổ chức `unit`
    (cả các tổ chức trực thuộc) từ ngày `from` đến ngày `to` (tính cả hai ngày). Mỗi sự kiện được tính cho
    tổ chức mà chi bộ của nó trực thuộc vào ngày xảy ra; chuyển giữa hai tổ chức trực thuộc không tính."""
    if params.unit is None:
        unit = OrgUnit.objects.tops_for(request.user).order_by("path").first()
        if unit is None:
            raise Http404
    else:
        unit = get_object_or_404(OrgUnit.objects.inherited_by(request.user), pk=params.unit)
    year = timezone.localdate().year
    try:
        result = changes.changes(unit, request.user, params.from_ or date(year, 1, 1), params.to or date(year, 12, 31))
    except DomainError as exc:
        raise HttpError(422, exc.message) from None
    return {"unit": {"id": unit.pk, "name": unit.name}, "from": result.start, "to": result.end,
            "figures": result.figures,
            "left_by_reason": [{"reason": v, "label": label, "count": n} for v, label, n in result.reason_rows()]}
