"""Statistics over the API (issue 19 item 9), read through `figures.indicators`:

- `GET /api/v1/statistics/members?unit=&on=`: the members of the unit's subtree on a day;
- `GET /api/v1/statistics?unit=&from=&to=&codes=`: any indicators over a period, with their labels;
- `GET /api/v1/statistics/tables.xlsx?unit=&from=&to=`: the statistical tables (`figures.tables`).

A unit outside the caller's reach answers 404 like one that does not exist (on a past day, reach is
`inherited_by`: closed units wholly theirs count too); a day to come or a period ending before it begins, 422.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from core.text import vn_date
from figures import indicators
from figures.from_members import structure
from figures.xlsx import XLSX, download, workbook_bytes
from orgs.models import OrgUnit

router = Router(tags=["Thống kê"])


def unit_for(user, unit_id: int | None, on: date) -> OrgUnit:
    rows = OrgUnit.objects.inherited_by(user) if on < timezone.localdate() else OrgUnit.objects.visible_to(user)
    if unit_id is None:
        unit = OrgUnit.objects.tops_for(user).order_by("path").first()
        if unit is None:
            raise HttpError(404, "Không tìm thấy tổ chức.")
        return unit
    return get_object_or_404(rows, pk=unit_id)


def check_day(on: date) -> date:
    today = timezone.localdate()
    if on > today:
        raise HttpError(422, f"Ngày {vn_date(on)} chưa đến, chưa có số liệu: hãy hỏi hôm nay ({vn_date(today)}) "
                             "hoặc một ngày đã qua.")
    return on


def check_period(start: date, end: date) -> tuple[date, date]:
    if start > end:
        raise HttpError(422, f"Ngày đầu kỳ {vn_date(start)} sau ngày cuối kỳ {vn_date(end)}; hãy đổi lại.")
    if start > timezone.localdate():
        raise HttpError(422, f"Kỳ bắt đầu {vn_date(start)}, chưa đến: chưa có số liệu.")
    return start, end


class MembersParams(Schema):
    unit: int | None = Field(None, description="Tổ chức (tính cả trực thuộc); mặc định tổ chức cao nhất bạn xem.")
    on: date | None = Field(None, description="Ngày tính (YYYY-MM-DD); mặc định hôm nay. Không nhận ngày chưa đến.")


class MembersOut(Schema):
    unit: dict
    on: date
    total: int
    official: int
    probationary: int
    male: int
    female: int
    ethnic_minority: int
    religious: int
    indicators: dict[str, int] = Field(description="Mọi chỉ tiêu đảng viên theo mã (dv_…).")
    labels: dict[str, str]


@router.get("/members", response=MembersOut, summary="Đảng viên của một tổ chức tại một ngày")
def members_on(request, params: Query[MembersParams]):
    on = check_day(params.on or timezone.localdate())
    unit = unit_for(request.user, params.unit, on)
    v = structure(unit, request.user, on)
    return {"unit": {"id": unit.pk, "name": unit.name}, "on": on, "total": v["dv_tong"],
            "official": v["dv_chinh_thuc"], "probationary": v["dv_du_bi"], "male": v["dv_nam"],
            "female": v["dv_nu"], "ethnic_minority": v["dv_dan_toc"], "religious": v["dv_ton_giao"],
            "indicators": v, "labels": {c: indicators.get(c).label for c in v}}


class PeriodParams(Schema):
    unit: int | None = None
    from_: date | None = Field(None, alias="from", description="Ngày đầu kỳ (YYYY-MM-DD); mặc định 01/01 năm nay.")
    to: date | None = Field(None, description="Ngày cuối kỳ (YYYY-MM-DD); mặc định hôm nay.")
    codes: str = Field("", description="Các mã chỉ tiêu, cách nhau bằng dấu phẩy; để trống: mọi chỉ tiêu.")


def period_of(params: PeriodParams) -> tuple[date, date]:
    today = timezone.localdate()
    return check_period(params.from_ or date(today.year, 1, 1), params.to or today)


@router.get("", summary="Các chỉ tiêu thống kê của một tổ chức trong một kỳ")
def statistics(request, params: Query[PeriodParams]):
    """`{"unit", "from", "to", "values": {mã: số}, "labels": {mã: tên}}`; một mã không có trong danh mục: 422.
    Chỉ tiêu "tại ngày" (đảng viên, xếp loại, chỉ tiêu) tính tại ngày cuối kỳ."""
    start, end = period_of(params)
    unit = unit_for(request.user, params.unit, min(end, timezone.localdate()))
    codes = [c.strip() for c in params.codes.split(",") if c.strip()] or [i.code for i in indicators.all_indicators()]
    unknown = [c for c in codes if indicators.get(c) is None]
    if unknown:
        raise HttpError(422, f"Không có chỉ tiêu mã {', '.join(unknown)}: xem danh mục ở GET /api/v1/statistics.")
    values = indicators.compute(codes, unit, request.user, start, min(end, timezone.localdate()))
    return {"unit": {"id": unit.pk, "name": unit.name}, "from": start, "to": end,
            "values": {c: values[c] for c in codes}, "labels": {c: indicators.get(c).label for c in codes}}


class TablesParams(Schema):
    unit: int | None = None
    from_: date | None = Field(None, alias="from", description="Ngày đầu kỳ (YYYY-MM-DD); mặc định 01/01 năm nay.")
    to: date | None = Field(None, description="Ngày cuối kỳ (YYYY-MM-DD); mặc định hôm nay.")


@router.get("/tables.xlsx", summary="Các biểu thống kê (Excel) của một tổ chức trong một kỳ",
            response={200: None}, openapi_extra={"responses": {200: {"content": {XLSX: {}}}}})
def tables_xlsx(request, params: Query[TablesParams]):
    """Một tệp Excel, mỗi biểu một trang: biến động, kết nạp, chất lượng đảng viên, xếp loại."""
    today = timezone.localdate()
    start, end = check_period(params.from_ or date(today.year, 1, 1), params.to or today)
    unit = unit_for(request.user, params.unit, min(end, today))
    content = workbook_bytes(unit, request.user, start, end)
    return download(content, f"thong-ke-{unit.pk}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
