from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.scoping import can, can_anywhere
from figures import indicators
from orgs.models import OrgUnit
from reports import defaults, services
from reports import render as renderer
from reports import requests as req
from reports.forms import ReportForm, RequestForm, SubmitForm, TemplateUploadForm, TextsForm
from reports.models import Report, ReportRequest, ReportTemplate


@login_required
def index(request):
    reports = Report.objects.visible_to(request.user).select_related("unit", "template")[:200]
    return render(request, "reports/list.html", {
        "reports": reports, "templates": ReportTemplate.objects.all(),
        "is_admin": can_anywhere(request.user, "grant")})


@login_required
def new(request):
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = services.create_report(unit=d["unit"], template=d["template"], start=d["period_start"],
                                            end=d["period_end"], title=d["title"], by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            return redirect("reports-detail", report.pk)
    return render(request, "reports/new.html", {"form": form}, status=400 if form.errors else 200)


def _report(request, pk) -> Report:
    return get_object_or_404(Report.objects.visible_to(request.user).select_related("unit", "template", "document"), pk=pk)


@login_required
def detail(request, pk: int):
    report = _report(request, pk)
    form = TextsForm(request.POST or None, initial=report.texts)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_texts(report, form.cleaned_data, by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Đã lưu các mục của báo cáo.")
            return redirect("reports-detail", report.pk)
    return render(request, "reports/detail.html", _detail_context(request, report, form))


def _detail_context(request, report, form=None):
    rows = [(code, (indicators.get(code).label if indicators.get(code) else dict(defaults.FIGURE_LINES).get(code, code)),
             renderer.fmt(value), code in report.declared) for code, value in sorted(report.figures.items())]
    return {"report": report, "form": form, "figure_rows": rows, "soffice": renderer.soffice() is not None,
            "may_write": can(request.user, services.ACTION, report.unit.path)}


@login_required
@require_POST
def generate(request, pk: int):
    report = _report(request, pk)
    try:
        services.start_generation(report, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reports-detail", report.pk)


@login_required
def progress(request, pk: int):
    report = _report(request, pk)
    return render(request, "reports/_progress.html", _detail_context(request, report))


@login_required
def download(request, pk: int, kind: str):
    report = _report(request, pk)
    if kind not in ("docx", "xlsx", "pdf") or not getattr(report, kind):
        raise Http404
    name = f"bao-cao-{report.unit.short_name or report.unit.pk}-{report.period_end:%Y%m%d}.{kind}".replace(" ", "-")
    return FileResponse(getattr(report, kind).open("rb"), as_attachment=True, filename=name)


@login_required
def template_upload(request, code: str):
    template = get_object_or_404(ReportTemplate, code=code)
    if not can_anywhere(request.user, "grant"):
        raise Http404
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_template(template, form.cleaned_data["file"], by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã thay mẫu “{template.name}”.")
            return redirect("reports-list")
    return render(request, "reports/template.html", {"template": template, "form": form,
                                                     "sections": defaults.SECTIONS,
                                                     "indicators": indicators.all_indicators()},
                  status=400 if form.errors else 200)


@login_required
def requests_list(request):
    user = request.user
    issued = ReportRequest.objects.visible_to(user).select_related("unit", "template")[:200]
    units = OrgUnit.objects.visible_to(user).values_list("pk", flat=True)
    received = (ReportRequest.objects.filter(recipients__in=units).exclude(pk__in=[r.pk for r in issued])
                .select_related("unit", "template").distinct()[:200])
    return render(request, "reports/requests.html", {"issued": issued, "received": received})


@login_required
def request_new(request):
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            r = req.issue_request(unit=d["unit"], template=d["template"], start=d["period_start"],
                                  end=d["period_end"], deadline=d["deadline"], by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            return redirect("reports-request", r.pk)
    return render(request, "reports/request_new.html", {"form": form}, status=400 if form.errors else 200)


def _request(request, pk) -> ReportRequest:
    """The request as its issuer's subtree sees it, or as a recipient in the user's reach sees it."""
    r = ReportRequest.objects.visible_to(request.user).filter(pk=pk).first()
    if r is None:
        units = OrgUnit.objects.visible_to(request.user).values_list("pk", flat=True)
        r = ReportRequest.objects.filter(pk=pk, recipients__in=units).distinct().first()
    if r is None:
        raise Http404
    return r


@login_required
def request_detail(request, pk: int):
    r = _request(request, pk)
    issuer_view = can(request.user, "view", r.unit.path)
    if request.method == "POST" and issuer_view:
        try:
            if "close" in request.POST:
                req.close(r, by=request.user)
                messages.success(request, "Đã đóng yêu cầu.")
            elif "consolidate" in request.POST:
                report = req.consolidate(r, by=request.user)
                return redirect("reports-detail", report.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("reports-request", r.pk)
    mine = [u for u in r.recipients.order_by("name") if can(request.user, services.ACTION, u.path)]
    submissions = r.submissions.select_related("unit", "report") if issuer_view else \
        r.submissions.filter(unit__in=mine).select_related("unit", "report")
    sums = req.sums(r) if issuer_view else {}
    labels = {i.code: i.label for i in indicators.all_indicators()}
    return render(request, "reports/request.html", {
        "r": r, "issuer_view": issuer_view, "missing": req.missing(r) if issuer_view else [],
        "submissions": submissions, "mine": mine, "done": {s.unit_id for s in r.submissions.all()},
        "sums": [(labels.get(c, c), renderer.fmt(v)) for c, v in sorted(sums.items())]})


@login_required
def submit(request, pk: int, unit_pk: int):
    r = _request(request, pk)
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user, services.ACTION), pk=unit_pk)
    form = SubmitForm(request.POST or None, reports=Report.objects.filter(unit=unit))
    if request.method == "POST" and form.is_valid():
        try:
            req.submit(r, unit=unit, by=request.user, declared=form.declared(), report=form.cleaned_data["report"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"{unit.name} đã nộp báo cáo.")
            return redirect("reports-request", r.pk)
    return render(request, "reports/submit.html", {"r": r, "unit": unit, "form": form},
                  status=400 if form.errors else 200)
