"""Members out to files: the import template, the list in Excel, the "danh sách đảng viên" in Word,
and the error report of an import.

Excel files use the columns of `members.spreadsheet`, so an export imports back unchanged. Text
that Excel would take for a formula (=, +, -, @, tab, CR first) is written as a text cell with
Excel's quote prefix, never as a formula.
"""

import copy
import io
from collections.abc import Callable
from datetime import date

from django.db.models import QuerySet
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.datavalidation import DataValidation

from core import partydoc
from core.text import vn_date, vn_number
from members.choices import GENERAL_EDUCATION, Status
from members.csvsheet import csv_records, looks_like_text
from members.models import ImportJob, Member
from members.sheetreader import HEADER_SEARCH_ROWS, Sheet, excess, open_workbook, pick_sheet
from members.spreadsheet import (
    COLUMNS,
    DATE_FORMAT,
    ERRORS_SHEET,
    EXAMPLE_NOTE,
    LISTS_SHEET,
    SHEET_NAME,
    Column,
    columns_for,
    export_value,
    unit_code,
)
from orgs.models import CELL_KINDS, OrgUnit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
TEMPLATE_ROWS = 5000  # rows of the template covered by the dropdowns and the formats


# --- Excel: the list ------------------------------------------------------------------------------

def _safe(ws, value):
    """A cell value that cannot run as a formula when the file is opened."""
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, _TextCell):
        cell = WriteOnlyCell(ws, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # "0123…" stays text, not a number
        cell.quotePrefix = value.startswith(FORMULA_STARTS)
        return cell
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            cell = WriteOnlyCell(ws, value)
            cell.data_type = "s"  # openpyxl made it a formula because of the "="; it is text
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
            return cell
    return value


def _header_cells(ws, columns: list[Column]) -> list[WriteOnlyCell]:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(ws, column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cells.append(cell)
    return cells


def export_xlsx(queryset: QuerySet, stream, *, include_sensitive: bool = False,
                whole: Callable[[Member], frozenset[str]] | None = None) -> None:
    """Write the members of `queryset` (already `visible_to` the user) to `stream` as xlsx.

    Rows come in Vietnamese name order unless the caller ordered the queryset itself. The CCCD and
    religion columns are there only when `include_sensitive`; `whole(member)` then names the ones
    written for that member, the others left empty (members.privacy decides).
    Write-only mode keeps memory flat however long the list is.
    """
    columns = columns_for(include_sensitive)
    if not queryset.query.order_by:
        queryset = queryset.order_by("sort_key", "id")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAME)
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "C2"
    ws.append(_header_cells(ws, columns))
    for n, member in enumerate(queryset.select_related("unit").iterator(chunk_size=2000), start=1):
        shown = whole(member) if whole is not None and include_sensitive else None
        ws.append([n if c.field == "stt" else None if c.sensitive and shown is not None and c.field not in shown
                   else _safe(ws, export_value(c, member)) for c in columns])
    wb.save(stream)


def export_xlsx_bytes(queryset: QuerySet, *, include_sensitive: bool = False,
                      whole: Callable[[Member], frozenset[str]] | None = None) -> bytes:
    out = io.BytesIO()
    export_xlsx(queryset, out, include_sensitive=include_sensitive, whole=whole)
    return out.getvalue()


# --- Excel: the import template --------------------------------------------------------------------

def import_units(user) -> QuerySet:
    """The open cells `user` may import members into."""
    return OrgUnit.objects.visible_to(user, "change").open().filter(kind__in=CELL_KINDS).order_by("path")


def _example(columns: list[Column], unit: OrgUnit | None) -> list:
    sample = {
        "stt": 1, "full_name": "Nguyễn Văn Mẫu", "gender": "Nam", "birth_date": date(1985, 3, 12), "birthplace": "xã Tân Lập",
        "hometown": "xã Tân Lập, tỉnh Mẫu", "ethnicity": "Kinh", "religion": "Không", "citizen_id": "051085012345",
        "phone": "0912345678", "general_education": "12/12", "political_theory": "Sơ cấp", "occupation": "Giáo viên",
        "unit_code": unit_code(unit) if unit else "A1", "status": Status.OFFICIAL.label,
        "admitted_on": date(2010, 5, 19), "recognized_on": date(2011, 5, 19), "notes": EXAMPLE_NOTE,
    }
    return [sample.get(c.field) for c in columns]


def _lists_sheet(wb: Workbook, units: list[OrgUnit]) -> dict[str, str]:
    """Fill "Danh mục" with the allowed values; returns each column's dropdown range by field."""
    ws = wb.create_sheet(LISTS_SHEET)
    lists = [(c.header, c.field, [label for _, label in c.choices]) for c in COLUMNS if c.choices]
    lists.append(("Giáo dục phổ thông", "general_education", GENERAL_EDUCATION))
    lists.append(("Mã chi bộ", "unit_code", [unit_code(u) for u in units]))
    lists.append(("Tên chi bộ", "", [u.name for u in units]))
    ranges = {}
    for i, (header, field, values) in enumerate(lists, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(14, min(40, max((len(v) for v in values), default=0) + 2))
        head = ws.cell(row=1, column=i, value=header)
        head.font, head.fill = Font(bold=True), HEADER_FILL
        for r, value in enumerate(values, start=2):
            ws.cell(row=r, column=i, value=value).number_format = "@"
        if field and values:
            ranges[field] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    ws.freeze_panes = "A2"
    return ranges


GUIDE = [
    "Hướng dẫn nhập danh sách đảng viên",
    "1. Ghi mỗi đảng viên một dòng ở trang tính “Đảng viên”; không đổi tên các cột, không gộp ô, không dùng công thức.",
    "2. Cột tiêu đề tô cam là bắt buộc. Ngày ghi theo ngày/tháng/năm, ví dụ 12/03/1980.",
    "3. Số CCCD ghi đủ 12 chữ số; cột đã định dạng Văn bản để Excel giữ số 0 ở đầu.",
    "4. Giới tính, dân tộc, tôn giáo, trình độ… chọn theo trang tính “Danh mục”; mã chi bộ cũng xem ở đó.",
    "5. Dòng có Số CCCD (hoặc họ tên, ngày sinh, chi bộ) trùng đảng viên đã có sẽ cập nhật hồ sơ đó; "
    "ô để trống giữ nguyên giá trị đang có.",
    "6. Hệ thống kiểm tra toàn bộ tệp trước khi ghi: còn một lỗi thì chưa ghi gì và trả về danh sách lỗi.",
    "7. Xóa dòng ví dụ trước khi nhập.",
    "8. Có thể lưu trang tính “Đảng viên” thành tệp CSV để nhập: vào “File” → “Save As” (Tệp → Lưu thành), ở ô kiểu "
    "tệp chọn loại có chữ “CSV UTF-8”, tức CSV mã UTF-8, các cột ngăn bằng dấu phẩy (Excel tiếng Anh ghi “CSV UTF-8 "
    "(Comma delimited) (*.csv)”). Không chọn loại “CSV” thường: loại đó làm hỏng chữ có dấu.",
]


def template_xlsx(user) -> bytes:
    """The import template: headers, one example row, dropdowns, and the allowed values."""
    units = list(import_units(user))
    columns = [c for c in COLUMNS if c.importable or c.field == "stt"]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ranges = _lists_sheet(wb, units)
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        head = ws.cell(row=1, column=i, value=column.header)
        head.font = Font(bold=True)
        head.fill = REQUIRED_FILL if column.required else HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if column.required:
            head.comment = Comment("Bắt buộc", "Đảng vụ")
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        if column.text or column.is_date:
            dimension.number_format = "@" if column.text else DATE_FORMAT
        if column.field in ranges:
            dv = DataValidation(type="list", formula1=ranges[column.field], allow_blank=True, showErrorMessage=True,
                                errorStyle="warning", errorTitle="Giá trị ngoài danh mục",
                                error="Giá trị này không có trong trang tính “Danh mục”.")
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            ws.add_data_validation(dv)
    for i, value in enumerate(_example(columns, units[0] if units else None), start=1):
        cell = ws.cell(row=2, column=i, value=value)
        if columns[i - 1].text:
            cell.number_format = "@"
        elif columns[i - 1].is_date:
            cell.number_format = DATE_FORMAT
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "C2"
    guide = wb.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 120
    for r, line in enumerate(GUIDE, start=1):
        guide.cell(row=r, column=1, value=line).font = Font(bold=r == 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Excel: the error report of an import -----------------------------------------------------------

def error_report_xlsx(job: ImportJob) -> bytes:
    """A first sheet "Lỗi" listing every error kept (row, cell, column, value, message), then the
    uploaded sheet (a CSV laid out as a sheet) with each bad cell filled red and its message as a comment.

    Written streaming, in write-only mode, from the upload read row by row: a large file costs time,
    not memory. Every value the file held is written back as a value, never as a formula (`_safe`):
    the uploaded sheet's own formulas come back as their text. The copy keeps the values, not the
    upload's formatting.
    """
    wb = Workbook(write_only=True)
    errors = wb.create_sheet(ERRORS_SHEET)
    for letter, width in zip("ABCDE", (7, 8, 20, 24, 90), strict=True):
        errors.column_dimensions[letter].width = width
    errors.freeze_panes = "A2"
    errors.append(_bold_cells(errors, ["Dòng", "Ô", "Cột", "Giá trị", "Lỗi"]))
    marks: dict[int, dict[int, list[str]]] = {}  # row -> column -> messages
    for e in job.errors:
        errors.append([e.get("row"), *(_safe(errors, str(e.get(k) or "")) for k in ("cell", "column", "value", "message"))])
        if e.get("cell"):
            letters, number = coordinate_from_string(e["cell"])
            marks.setdefault(number, {}).setdefault(column_index_from_string(letters), []).append(e["message"])
    if job.errors_left_out:
        errors.append([None, "", "", "", f"Còn {vn_number(job.errors_left_out)} lỗi nữa không liệt kê ở đây (chỉ giữ "
                                         f"{vn_number(len(job.errors))} lỗi đầu tiên); hãy sửa các lỗi trên rồi tải "
                                         "lên lại để xem tiếp."])
    if marks and job.file:
        with job.file.open("rb") as f:
            data = io.BytesIO(f.read())  # at most MEMBER_IMPORT_MAX_BYTES, as uploaded
        for rows in _uploaded_rows(data):
            ws = wb.create_sheet(SHEET_NAME)
            for r, values in enumerate(rows, start=1):
                ws.append([_marked(ws, value, marks[r].get(c)) if r in marks else _safe(ws, value)
                           for c, value in enumerate(values, start=1)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bold_cells(ws, texts: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for text in texts:
        cell = WriteOnlyCell(ws, text)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cells.append(cell)
    return cells


def _marked(ws, value, messages: list[str] | None):
    if not messages:
        return _safe(ws, value)
    cell = _safe(ws, value)
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(ws, cell)
    cell.fill = ERROR_FILL
    cell.comment = Comment("\n".join(messages), "Đảng vụ", width=320, height=110)
    return cell


def _uploaded_rows(data: io.BytesIO):
    """The member sheet of the upload as rows of values, one at a time (zero or one sheet: a file
    that is neither a readable workbook nor a readable CSV gives none). Held to the import's limits."""
    if looks_like_text(data):
        records = csv_records(data.getvalue())
        if records is not None:
            # Record n on row n, as the import numbered them; every value text, exactly the CSV's text
            # (Excel opening the CSV itself would turn a CCCD into a number and drop its leading zero).
            yield _within_limits((_text(v) for v in values) for values in records)
        return
    wb = open_workbook(data, Sheet())
    if wb is None:
        return
    try:
        name = pick_sheet(wb.sheetnames)
        if name is not None:
            yield _within_limits([c.value for c in cells] for cells in wb[name].iter_rows())
    finally:
        wb.close()


def _within_limits(rows):
    for number, values in enumerate(rows, start=1):
        values = list(values)
        if excess(number - HEADER_SEARCH_ROWS, number, len(values)):
            return
        yield values


def _text(value: str) -> "_TextCell | None":
    return _TextCell(value) if value else None


class _TextCell(str):
    """A CSV value: written as a text cell whatever it looks like (see `_safe`)."""


# --- Word: danh sách đảng viên -------------------------------------------------------------------

# (header, width in cm) on A4 landscape: 25.2 cm between the margins of 36-HD/VPTW. Printed at 13 pt in
# Times New Roman, a date (dd/mm/yyyy) is 2.1 cm wide, an 8-digit party-card number 1.9 cm, a 5-digit
# STT 1.2 cm; in a wider fallback font (DejaVu Serif, where neither Times nor its metric twin Liberation
# Serif is installed) a date is 2.7 cm. With the narrow cell margins these widths hold them on one line
# (LibreOffice breaks a word that does not fit, "07/03/199" over "0"); the free text wraps instead.
DOCX_COLUMNS = [("STT", 1.4), ("Họ và tên", 4.7), ("Ngày sinh", 2.9), ("Giới tính", 1.5), ("Ngày vào Đảng", 2.9),
                ("Ngày chính thức", 2.9), ("Số thẻ đảng viên", 3.0), ("Chức vụ", 3.8), ("Ghi chú", 2.1)]
TEXT_COLUMNS = (1, 7, 8)  # left-aligned; the others are centred


def heading(doc, unit: OrgUnit, on: date, place: str = "") -> None:
    """The header block of 36-HD/VPTW for a document of `unit` dated `on` (core.partydoc)."""
    partydoc.heading(doc, *partydoc.issuer_of(unit), place=place or unit.place_name(), on=on)


def export_docx(queryset: QuerySet, unit: OrgUnit, on: date, place: str = "") -> bytes:
    """"Danh sách đảng viên" of `unit`, dated `on`, in the layout of HD 36-HD/VPTW: the issuing body
    top left (superior body, then the unit, in capitals, a star below), "ĐẢNG CỘNG SẢN VIỆT NAM"
    underlined top right over the place and date in italics, the title, the table, the signature.
    The members are those of `queryset` (already `visible_to` the user), in Vietnamese name order
    unless the caller ordered it; `place` overrides the place name taken from the commune."""
    doc = partydoc.new(landscape=True, size=13)  # the list's nine columns need the width
    heading(doc, unit, on, place)
    partydoc.line(doc, "DANH SÁCH ĐẢNG VIÊN", size=15, bold=True)
    partydoc.line(doc, f"{unit.name} (tính đến ngày {vn_date(on)})", size=14, italic=True)
    partydoc.line(doc, "")

    table = partydoc.header_table(doc, DOCX_COLUMNS, rows=2)
    for i, cell in enumerate(table.rows[1].cells):  # the model row, copied once per member
        partydoc.line(cell, "-", align=WD_ALIGN_PARAGRAPH.LEFT if i in TEXT_COLUMNS else WD_ALIGN_PARAGRAPH.CENTER, first=True)
    partydoc.set_widths(table, [width for _, width in DOCX_COLUMNS])
    members = queryset.select_related("unit")
    if not queryset.query.order_by:
        members = members.order_by("sort_key", "id")
    model = table.rows[1]._tr
    n = 0
    for n, m in enumerate(members.iterator(chunk_size=2000), start=1):
        values = [str(n), m.full_name, vn_date(m.birth_date), m.get_gender_display(), vn_date(m.admitted_on),
                  vn_date(m.official_since), m.party_card_number, m.party_positions or m.position, _remark(m)]
        # Copying the XML of a formatted row is some 20 times faster than python-docx's add_row().
        tr = copy.deepcopy(model)
        for text, value in zip(tr.iter(qn("w:t")), values, strict=True):
            text.text = value
        table._tbl.append(tr)
    table._tbl.remove(model)
    partydoc.line(doc, f"Tổng số: {vn_number(n)} đảng viên.", align=WD_ALIGN_PARAGRAPH.LEFT, italic=True)

    partydoc.line(doc, "")
    left, right = partydoc.two_columns(doc)
    body = "CHI BỘ" if unit.kind in CELL_KINDS else "ĐẢNG ỦY"
    partydoc.line(right, f"T/M {body}", first=True, size=14, bold=True)
    partydoc.line(right, "BÍ THƯ", size=14, bold=True)
    return partydoc.to_bytes(doc)


def _remark(member: Member) -> str:
    notes = []
    if member.status == Status.PROBATIONARY:
        notes.append("Dự bị")
    if member.is_excused:
        notes.append("Miễn sinh hoạt")
    return ", ".join(notes)
