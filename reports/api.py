"""Reports over the API: start a generation (202), follow it, list the templates. A unit or a report
outside the caller's subtree answers 404 like a missing one."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from core.errors import DomainError
from orgs.models import OrgUnit
from reports import services
from reports.models import Report, ReportTemplate

router = Router(tags=["Báo cáo"])


class TemplateOut(Schema):
    code: str
    name: str
    kind: str
    uploaded: bool


class ReportIn(Schema):
    template: str
    unit: int
    period_start: date
    period_end: date


class StartedOut(Schema):
    id: int
    status: str


class ReportOut(Schema):
    id: int
    unit: int
    template: str
    title: str
    period_start: date
    period_end: date
    status: str
    progress: int
    message: str
    figures: dict
    files: dict


@router.get("/reports/templates", response=list[TemplateOut])
def templates(request):
    return [TemplateOut(code=t.code, name=t.name, kind=t.kind, uploaded=bool(t.file))
            for t in ReportTemplate.objects.all()]


@router.post("/reports", response={202: StartedOut})
def start(request, body: ReportIn):
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.auth, "view"), pk=body.unit)
    template = ReportTemplate.objects.filter(code=body.template).first()
    if template is None:
        raise HttpError(422, f"Không có mẫu báo cáo mã “{body.template}”.")
    try:
        report = services.create_report(unit=unit, template=template, start=body.period_start,
                                        end=body.period_end, by=request.auth)
        report = services.start_generation(report, by=request.auth)
    except DomainError as exc:
        raise HttpError(403 if exc.field == "unit" else 422, exc.message) from exc
    return Status(202, StartedOut(id=report.pk, status=_status(report)))


def _status(report: Report) -> str:
    # The API's four states: a report not yet generated is "queued" for the caller's purposes.
    return "queued" if report.status == Report.Status.DRAFT else report.status


@router.get("/reports/{report_id}", response=ReportOut)
def detail(request, report_id: int):
    report = get_object_or_404(Report.objects.visible_to(request.auth, "view").select_related("template"), pk=report_id)
    files = {}
    for kind in ("docx", "xlsx", "pdf"):
        if getattr(report, kind):
            files[kind] = request.build_absolute_uri(f"/bao-cao/{report.pk}/tai/{kind}")
    return ReportOut(id=report.pk, unit=report.unit_id, template=report.template.code, title=report.title,
                     period_start=report.period_start, period_end=report.period_end, status=_status(report),
                     progress=report.progress, message=report.message, figures=report.figures, files=files)
