"""Report requests: a superior asks its sub-units for a report over a period by a deadline, reads what they
submit, and consolidates their figures into its own report (issue 19 item 4)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from audit.services import record
from core.errors import DomainError
from figures import indicators
from orgs.models import OrgUnit
from reports.models import Report, ReportRequest, Submission
from reports.services import check_may_write, check_period, create_report


def children_of(unit: OrgUnit, on: date):
    """The sub-units a request goes to: the unit's direct children open on `on`."""
    return [u for u in OrgUnit.objects.filter(parent=unit).order_by("name")
            if u.valid_from <= on and (u.valid_to is None or u.valid_to >= on)]


@transaction.atomic
def issue_request(*, unit, template, start, end, deadline, by, recipients=None) -> ReportRequest:
    check_may_write(by, unit)
    check_period(start, end)
    if deadline is None:
        raise DomainError("Hãy nhập hạn nộp báo cáo.", field="deadline")
    targets = list(recipients) if recipients is not None else children_of(unit, timezone.localdate())
    if not targets:
        raise DomainError(f"“{unit.name}” không có tổ chức trực thuộc để gửi yêu cầu.", field="unit")
    outside = [u.name for u in targets if u.parent_id != unit.pk]
    if outside:
        raise DomainError(f"“{outside[0]}” không trực thuộc “{unit.name}”.", field="recipients")
    request = ReportRequest.objects.create(unit=unit, template=template, period_start=start, period_end=end,
                                           deadline=deadline, created_by=by)
    request.recipients.set(targets)
    record("reports.request.issued", actor=by, obj=request, unit_path=unit.path, unit_name=unit.name,
           after={"template": template.code, "deadline": deadline.isoformat(), "to": [u.name for u in targets]})
    return request


def missing(request: ReportRequest) -> list[OrgUnit]:
    done = set(request.submissions.values_list("unit_id", flat=True))
    return [u for u in request.recipients.order_by("name") if u.pk not in done]


@transaction.atomic
def submit(request: ReportRequest, *, unit, by, declared: dict | None = None, report: Report | None = None) -> Submission:
    """A sub-unit answers: the figures its records give are computed now; `declared` gives those they
    cannot. A declared figure for a code the records do give is refused, not silently kept over it."""
    request = ReportRequest.objects.select_for_update().get(pk=request.pk)
    check_may_write(by, unit)
    if request.closed:
        raise DomainError("Yêu cầu báo cáo đã đóng: không nhận thêm báo cáo. Hãy liên hệ cấp trên để mở lại.",
                          field="request")
    if not request.recipients.filter(pk=unit.pk).exists():
        raise DomainError(f"Yêu cầu này không gửi tới “{unit.name}”.", field="unit")
    if request.submissions.filter(unit=unit).exists():
        raise DomainError(f"“{unit.name}” đã nộp báo cáo cho yêu cầu này.", field="unit")
    if report is not None and report.unit_id != unit.pk:
        raise DomainError("Báo cáo nộp phải là báo cáo của chính đơn vị.", field="report")
    codes = [i.code for i in indicators.all_indicators()]
    computed = {k: v for k, v in indicators.compute(codes, unit, by, request.period_start, request.period_end).items()
                if v is not None}
    clean = {}
    for code, value in (declared or {}).items():
        if value in (None, ""):
            continue
        if indicators.get(code) is None:
            raise DomainError(f"Không có chỉ tiêu mã “{code}” trong danh mục số liệu.", field=f"declared_{code}")
        if code in computed:
            raise DomainError(f"Chỉ tiêu “{indicators.get(code).label}” đã tính được từ hồ sơ ({computed[code]}): "
                              "không khai tay đè lên số liệu tính được; bỏ trống ô này.", field=f"declared_{code}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise DomainError(f"Số liệu “{indicators.get(code).label}” phải là một số.", field=f"declared_{code}") from None
        if number < 0:
            raise DomainError(f"Số liệu “{indicators.get(code).label}” không được âm.", field=f"declared_{code}")
        clean[code] = int(number) if number.is_integer() else number
    submission = Submission.objects.create(request=request, unit=unit, report=report, computed=computed,
                                           declared=clean, submitted_by=by)
    record("reports.request.submitted", actor=by, obj=submission, unit_path=unit.path, unit_path_2=request.unit.path,
           unit_name=unit.name, after={"computed": computed, "declared": clean})
    return submission


@transaction.atomic
def close(request: ReportRequest, *, by) -> ReportRequest:
    check_may_write(by, request.unit)
    request.closed = True
    request.save(update_fields=["closed"])
    record("reports.request.closed", actor=by, obj=request, unit_path=request.unit.path)
    return request


def sums(request: ReportRequest) -> dict[str, float | int]:
    """Per indicator, the sum over submissions of each unit's figure (computed, else declared)."""
    out: dict[str, float | int] = {}
    for s in request.submissions.all():
        for code in set(s.computed) | set(s.declared):
            value = s.value(code)
            if value is not None:
                out[code] = out.get(code, 0) + value
    return out


@transaction.atomic
def consolidate(request: ReportRequest, *, by) -> Report:
    """The superior's own report over the request's period, its figures the sums of the submissions."""
    report = create_report(unit=request.unit, template=request.template, start=request.period_start,
                           end=request.period_end, by=by)
    report.declared = sums(request)
    report.save(update_fields=["declared"])
    record("reports.request.consolidated", actor=by, obj=request, unit_path=request.unit.path,
           after={"report": report.pk, "figures": report.declared})
    return report
