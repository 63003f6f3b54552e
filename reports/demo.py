"""Demo (core.hooks "demo", idempotent): commune A's quarterly report ready to generate, and a request from
the province to communes A and B with A submitted and B missing."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from access.models import Grant
from figures import indicators
from members.demo import DEMO_CODE
from orgs.models import Kind, OrgUnit
from reports import services
from reports.models import Report, ReportRequest, ReportTemplate, Submission


def _last_quarter(today: date) -> tuple[date, date]:
    q_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = q_start - timedelta(days=1)
    return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


@transaction.atomic
def load() -> None:
    province = OrgUnit.objects.filter(code=DEMO_CODE).first()
    if province is None:
        return
    communes = list(OrgUnit.objects.filter(parent=province, kind=Kind.COMMUNE, valid_to__isnull=True).order_by("path")[:2])
    if len(communes) < 2:
        return
    services.ensure_templates()
    quarter = ReportTemplate.objects.get(code="quy")
    start, end = _last_quarter(timezone.localdate())
    a, b = communes
    texts = {"ket_qua": "Chi bộ các thôn sinh hoạt đều đặn, đúng nội dung hướng dẫn.",
             "uu_diem": "Cấp ủy bám sát nghị quyết, phân công rõ người, rõ việc.",
             "han_che": "Một số chi bộ sinh hoạt chuyên đề còn ít.",
             "nguyen_nhan": "Đảng viên đi làm ăn xa đông.",
             "phuong_huong": "Nâng chất lượng sinh hoạt chi bộ; làm tốt công tác phát triển đảng viên."}
    if not Report.objects.filter(unit=a, template=quarter, period_start=start, period_end=end).exists():
        Report.objects.create(unit=a, template=quarter, period_start=start, period_end=end, issued_on=end,
                              title=services.default_title(quarter, start, end), texts=texts)
    if not ReportRequest.objects.filter(unit=province, template=quarter, period_start=start).exists():
        request = ReportRequest.objects.create(unit=province, template=quarter, period_start=start, period_end=end,
                                               deadline=end + timedelta(days=20))
        request.recipients.set([a, b])
        report = Report.objects.filter(unit=a, template=quarter, period_start=start).first()
        # Computed as an officer of A would see them (the demo has no session); none declared.
        grant = Grant.objects.filter(unit=a).select_related("user").first()
        computed = {}
        if grant is not None:
            codes = [i.code for i in indicators.all_indicators()]
            computed = {k: v for k, v in indicators.compute(codes, a, grant.user, start, end).items() if v is not None}
        Submission.objects.create(request=request, unit=a, report=report, computed=computed, declared={})
