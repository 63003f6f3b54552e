"""Fill a template: check its placeholders at upload, render it to Word, convert Word to PDF."""

import io
import os
import re
import shutil
import subprocess
import tempfile

from docxtpl import DocxTemplate

from core.errors import DomainError
from figures import indicators
from reports import defaults

_TEXT = re.compile(r"\btext\.(\w+)")


def template_bytes(template) -> bytes:
    if template.file:
        template.file.open("rb")
        try:
            return template.file.read()
        finally:
            template.file.close()
    return defaults.path_of(template.kind).read_bytes()


def placeholders(data: bytes) -> tuple[set[str], set[str]]:
    """(top-level names, text section names) the template uses."""
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        names = tpl.get_undeclared_template_variables()
        tpl.init_docx()
        xml = tpl.patch_xml(tpl.get_xml())
    except Exception as exc:  # a broken zip or a Jinja syntax error: the user must hear which
        raise DomainError(f"Tệp mẫu không đọc được ({exc}). Hãy lưu lại bằng Word dưới dạng .docx.",
                          field="file") from exc
    return set(names), set(_TEXT.findall(xml))


def check_template(data: bytes) -> None:
    """Refuse a template naming a figure or a section nothing fills, naming it (issue 19, bad input)."""
    names, sections = placeholders(data)
    known = {i.code for i in indicators.all_indicators()} | defaults.CONTEXT | {c for c, _ in defaults.FIGURE_LINES}
    unknown = sorted(names - known)
    if unknown:
        raise DomainError(f"Mẫu có chỗ điền không biết: “{{{{ {unknown[0]} }}}}”"
                          + (f" (và {', '.join(unknown[1:])})" if len(unknown) > 1 else "")
                          + ". Chỉ dùng mã chỉ tiêu có trong danh mục số liệu hoặc các mục của báo cáo.", field="file")
    bad = sorted(sections - set(defaults.SECTIONS))
    if bad:
        raise DomainError(f"Mẫu có mục văn bản không biết: “text.{bad[0]}”. Các mục có: "
                          + ", ".join(f"text.{s}" for s in defaults.SECTIONS) + ".", field="file")


def fmt(value) -> str:
    if value is None:
        return "…"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{int(value):,}".replace(",", ".")


def render_docx(template_data: bytes, context: dict) -> bytes:
    tpl = DocxTemplate(io.BytesIO(template_data))
    tpl.render(context, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def soffice() -> str | None:
    binary = os.environ.get("SOFFICE", "soffice")
    return shutil.which(binary)


def to_pdf(docx: bytes) -> bytes | None:
    """The PDF of a Word file through LibreOffice headless, or None where LibreOffice is not installed."""
    binary = soffice()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bao-cao.docx")
        with open(path, "wb") as f:
            f.write(docx)
        # A profile of its own: a LibreOffice already running would take the job otherwise.
        subprocess.run([binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", tmp, path], check=True, capture_output=True, timeout=180)
        with open(os.path.join(tmp, "bao-cao.pdf"), "rb") as f:
            return f.read()


def figures_xlsx(report, labels: dict) -> bytes:
    """The report's figures as a sheet: code, indicator, value, where it comes from."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "So lieu"
    ws.append([report.unit.name, f"{report.period_start:%d/%m/%Y} – {report.period_end:%d/%m/%Y}"])
    ws.append(["Mã", "Chỉ tiêu", "Số liệu", "Nguồn"])
    for code, value in sorted(report.figures.items()):
        source = "tổng hợp từ báo cáo cấp dưới" if code in report.declared else "tính từ hồ sơ"
        ws.append([code, labels.get(code, code), value, source])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
