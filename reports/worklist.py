"""Work list: the sub-units that have not submitted an open request's report (issue 19 item 4)."""

from django.urls import reverse

from core.worklist import Item
from reports.models import ReportRequest


def missing_submissions(user, today, horizon):
    from reports.requests import missing

    rows = (ReportRequest.objects.visible_to(user, "documents").filter(closed=False, deadline__lte=horizon)
            .select_related("unit", "template"))
    for request in rows:
        for unit in missing(request):
            yield Item(kind="bao_cao_chua_nop", title=f"{unit.name} chưa nộp {request.template.name.lower()}",
                       due=request.deadline, unit_id=request.unit_id, unit_name=request.unit.name,
                       unit_path=request.unit.path, url=reverse("reports-request", args=[request.pk]),
                       note=f"Kỳ {request.period_start:%d/%m/%Y}–{request.period_end:%d/%m/%Y}")
