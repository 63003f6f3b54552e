"""Reports: create, write the text sections, generate (Word, PDF) in the background.

Every step: guard -> atomic change -> audit -> after-commit (the generation task is queued after commit)."""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction

from audit.services import record
from core.errors import DomainError
from core.scoping import can, can_anywhere
from documents import services as documents
from figures import indicators
from reports import defaults, render
from reports.models import Report, ReportTemplate

ACTION = "documents"  # who may write a unit's documents may write its reports


def ensure_templates() -> None:
    """One template per kind, using the committed default file until an administrator uploads another."""
    for kind, name in defaults.KINDS.items():
        ReportTemplate.objects.get_or_create(code=kind, defaults={"name": name, "kind": kind})


def check_period(start: date | None, end: date | None) -> None:
    if start is None or end is None:
        raise DomainError("Hãy nhập kỳ báo cáo: từ ngày và đến ngày.", field="period_start")
    if end < start:
        raise DomainError(f"Kỳ báo cáo kết thúc ({end:%d/%m/%Y}) trước khi bắt đầu ({start:%d/%m/%Y}): "
                          "hãy sửa lại ngày đến.", field="period_end")


def check_may_write(user, unit) -> None:
    if not can(user, ACTION, unit.path):
        raise DomainError(f"Bạn không có quyền lập báo cáo của “{unit.name}”.", field="unit")


def default_title(template: ReportTemplate, start: date, end: date) -> str:
    return f"{template.name} (từ {start:%d/%m/%Y} đến {end:%d/%m/%Y})"


@transaction.atomic
def create_report(*, unit, template: ReportTemplate, start, end, by, title: str = "", issued_on: date | None = None,
                  resolution=None) -> Report:
    check_may_write(by, unit)
    check_period(start, end)
    report = Report.objects.create(unit=unit, template=template, period_start=start, period_end=end,
                                   title=(title or default_title(template, start, end))[:300],
                                   issued_on=issued_on or end, resolution=resolution, created_by=by)
    record("reports.report.created", actor=by, obj=report, unit_path=unit.path, unit_name=unit.name,
           after={"template": template.code, "from": start.isoformat(), "to": end.isoformat()})
    return report


@transaction.atomic
def save_texts(report: Report, texts: dict, *, by) -> Report:
    check_may_write(by, report.unit)
    before = dict(report.texts)
    report.texts = {k: (texts.get(k) or "").strip() for k in defaults.SECTIONS}
    report.save(update_fields=["texts"])
    record("reports.report.texts", actor=by, obj=report, unit_path=report.unit.path, before=before,
           after=report.texts)
    return report


def start_generation(report: Report, *, by) -> Report:
    """Queue the generation; the page and the API follow `status` and `progress`."""
    from reports.tasks import generate_report

    check_may_write(by, report.unit)
    with transaction.atomic():
        updated = Report.objects.filter(pk=report.pk).exclude(status__in=[Report.Status.QUEUED, Report.Status.RUNNING])
        if not updated.update(status=Report.Status.QUEUED, progress=0, message=""):
            raise DomainError("Báo cáo đang được tạo: hãy chờ xong.", field="status")
        # The figures are computed as someone who may see the unit: the demo's report has no author.
        Report.objects.filter(pk=report.pk, created_by__isnull=True).update(created_by=by)
        record("reports.report.queued", actor=by, obj=report, unit_path=report.unit.path)
        transaction.on_commit(lambda: generate_report.enqueue(report.pk))
    report.refresh_from_db()
    return report


def _progress(report: Report, percent: int) -> None:
    # A plain UPDATE outside any transaction, so the page's progress bar sees it while the task runs.
    Report.objects.filter(pk=report.pk).update(progress=percent)


def context_for(report: Report) -> dict:
    unit = report.unit
    issuer = unit.name.upper()
    superior = unit.parent.name.upper() if unit.parent_id else ""
    values = {code: render.fmt(v) for code, v in report.figures.items()}
    number = report.document.symbol if report.document_id else "…-BC/…"
    return {
        **values,
        "cap_tren": superior, "don_vi": issuer, "don_vi_ten": unit.name,
        "so_hieu": f"Số {number}",
        "ngay_thang": f"{unit.place_name()}, ngày {report.issued_on:%d} tháng {report.issued_on:%m} năm {report.issued_on:%Y}",
        "tu_ngay": f"{report.period_start:%d/%m/%Y}", "den_ngay": f"{report.period_end:%d/%m/%Y}",
        "trich_yeu": report.title, "ky_bao_cao": f"{report.period_start:%d/%m/%Y} – {report.period_end:%d/%m/%Y}",
        "nghi_quyet": report.resolution.title if report.resolution_id else "",
        "text": {k: report.texts.get(k, "") for k in defaults.SECTIONS},
        "chuc_danh": "BAN CHẤP HÀNH" if unit.kind != "chi_bo" else "CHI BỘ",
        "noi_nhan": unit.parent.name if unit.parent_id else "",
    }


def run_generation(report: Report) -> Report:
    """Snapshot the figures, number the report once, render Word then PDF. Same inputs, same content."""
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, progress=5)
    try:
        data = render.template_bytes(report.template)
        names, _ = render.placeholders(data)
        codes = sorted((names | {c for c, _ in defaults.FIGURE_LINES}) - defaults.CONTEXT)
        _progress(report, 20)
        computed = indicators.compute(codes, report.unit, report.created_by, report.period_start, report.period_end)
        # A consolidated report prints the sums of its sub-units' submissions (computed and declared);
        # any other figure comes from the records.
        report.figures = {c: (report.declared[c] if report.declared.get(c) is not None else computed.get(c))
                          for c in codes}
        _progress(report, 50)
        if report.document_id is None:
            report.document = documents.issue(unit=report.unit, doc_type="BC", on=report.issued_on,
                                              title=report.title, by=report.created_by)
        docx = render.render_docx(data, context_for(report))
        _progress(report, 70)
        stem = f"bao-cao-{report.pk}-{hashlib.sha1(docx).hexdigest()[:8]}"
        if report.docx:
            report.docx.delete(save=False)
        report.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        if report.xlsx:
            report.xlsx.delete(save=False)
        labels = {i.code: i.label for i in indicators.all_indicators()}
        report.xlsx.save(f"{stem}.xlsx", ContentFile(render.figures_xlsx(report, labels)), save=False)
        _progress(report, 80)
        pdf = render.to_pdf(docx)
        if report.pdf:
            report.pdf.delete(save=False)
        if pdf is not None:
            report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
            report.message = ""
        else:
            report.message = "Máy chủ chưa cài LibreOffice (libreoffice-writer-nogui): chưa tạo được bản PDF."
        report.status, report.progress = Report.Status.DONE, 100
        report.save()
    except DomainError as exc:
        Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED, message=exc.message)
    except Exception as exc:  # the page must say the task failed, not keep waiting
        Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED, message=f"Lỗi khi tạo tệp: {exc}")
        raise
    report.refresh_from_db()
    return report


@transaction.atomic
def upload_template(template: ReportTemplate, file, *, by) -> ReportTemplate:
    if not can_anywhere(by, "grant"):
        raise DomainError("Chỉ quản trị viên được thay mẫu báo cáo.", field="file")
    data = file.read()
    render.check_template(data)
    template.file.save(f"{template.code}.docx", ContentFile(data), save=True)
    record("reports.template.uploaded", actor=by, obj=template, unit_path="", after={"code": template.code})
    return template
