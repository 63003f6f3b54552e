"""Importing members from Excel or CSV: the template, the upload, and the job's page, which polls
its progress every second (htmx) until the background task has finished, then shows what changed
or every error (row, column, value, message) with the error report to download.

A job is visible only to the user who started it, and only while its unit is within their reach.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required, partial_or_page
from core.scoping import can_anywhere
from members import privacy
from members.exporter import error_report_xlsx, template_xlsx
from members.forms import ImportForm
from members.importwrite import import_changes
from members.models import ImportJob
from members.privacy import HIDDEN, no_store
from members.spreadsheet import COLUMNS
from members.tasks import start_import
from members.views.base import XLSX, download

ERRORS_SHOWN = 500  # the rest are in the downloadable report
CHANGES_SHOWN = 200
RECENT_JOBS = 10


def _may_import(user) -> None:
    if not can_anywhere(user, "change"):
        raise PermissionDenied("Bạn không có quyền cập nhật hồ sơ đảng viên.")


@login_required
def start(request):
    user = request.user
    _may_import(user)
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    choices = form.fields["unit"].queryset
    if not form.is_bound and choices.count() >= 1:
        form.fields["unit"].initial = choices.first().pk  # the highest unit the user writes to
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            job = start_import(data["file"], user, data["unit"], dry_run=data["dry_run"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            return redirect("members-import-job", pk=job.pk)
    jobs = ImportJob.objects.visible_to(user).filter(user=user).select_related("unit")[:RECENT_JOBS]
    return render(request, "members/import.html", {"form": form, "jobs": jobs,
                                                   "max_rows": settings.MEMBER_IMPORT_MAX_ROWS,
                                                   "max_bytes_mb": settings.MEMBER_IMPORT_MAX_BYTES // 2**20})


@login_required
def template(request):
    _may_import(request.user)
    return download(template_xlsx(request.user), "mau-nhap-dang-vien.xlsx", XLSX)


def _own_job(request, pk: int) -> ImportJob:
    jobs = ImportJob.objects.visible_to(request.user).filter(user=request.user).select_related("unit")
    return get_object_or_404(jobs, pk=pk)


def _changes(job: ImportJob, user) -> tuple[list[dict], int]:
    """What the import changed (or would change), without CCCD and religion for those who may not
    see them; and how many more rows there are than shown."""
    everything = import_changes(job)
    changes = everything[:CHANGES_SHOWN]
    whole = privacy.whole_fields(user, job.org_path)
    hidden = {c.header for c in COLUMNS if c.sensitive and c.field not in whole}
    for change in changes:
        for f in change.get("fields", []):
            if f["column"] in hidden:
                f["before"] = f["after"] = HIDDEN
    return changes, len(everything) - len(changes)


@login_required
@no_store
def job_page(request, pk: int):
    """The whole page, or (for htmx polling) the progress fragment, which stops polling once finished."""
    job = _own_job(request, pk)
    finished = job.is_finished
    # Problems of the whole file (no row) first, then row by row as in the sheet.
    errors = sorted(job.errors, key=lambda e: e.get("row") or 0) if finished else []
    errors = privacy.mask_errors(errors[:ERRORS_SHOWN], request.user, job.org_path)
    context = {
        "job": job,
        "errors": errors,
        "more_errors": max(len(job.errors) - ERRORS_SHOWN, 0) if finished else 0,
        "total_errors": len(job.errors) + job.errors_left_out,
    }
    if finished and job.state in (job.State.CHECKED, job.State.DONE):
        context["changes"], context["more_changes"] = _changes(job, request.user)
    return render(request, partial_or_page(request, "members/import_job.html", "progress"), context)


@login_required
def error_report(request, pk: int):
    job = _own_job(request, pk)
    if not job.errors:
        raise Http404("Lần nhập này không có lỗi.")
    job.errors = privacy.mask_errors(job.errors, request.user, job.org_path)  # for this file only, not saved
    return download(error_report_xlsx(job), f"loi-nhap-dang-vien-{job.pk}.xlsx", XLSX)

