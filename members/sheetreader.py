"""Reading an uploaded member workbook: the file checked before it is parsed (`core.xlsxguard`),
the sheet and its header row found, and the rows read within the limits, each cell kept as typed for
the importer to parse with the columns of `members.spreadsheet`. What goes wrong on the way becomes
an entry of the error report (`problem`), never an exception the user sees.
"""

import io
import logging
import zipfile
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core import xlsxguard
from core.text import vn_number
from members.spreadsheet import BY_KEY, SHEET_NAME, Column, key, match_headers, written

logger = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003) and password-protected workbooks
HEADER_SEARCH_ROWS = xlsxguard.HEADER_ROWS  # a title may sit above the header row
SAVE_AS_XLSX = "hãy mở bằng Excel rồi lưu lại dạng “Sổ làm việc Excel (*.xlsx)”."
SAVE_AS_EITHER = ("hãy mở danh sách bằng Excel rồi lưu lại dạng “Sổ làm việc Excel (*.xlsx)” hoặc “CSV UTF-8 (Comma "
                  "delimited) (*.csv)”.")


def problem(row: int | None, column: str, value: Any, message: str, cell: str = "") -> dict:
    """One entry of the error report: row (as Excel numbers it, a CSV's too), column header, value as
    written, message, cell."""
    return {"row": row, "column": column, "value": written(value), "message": message, "cell": cell}


class Problems(list):
    """The entries of an error report, at most `settings.MEMBER_IMPORT_MAX_ERRORS` of them: a file of
    garbage can make millions. The rest are only counted, in `left_out`."""

    def __init__(self, *args):
        super().__init__(*args)
        self.left_out = 0

    def append(self, entry: dict) -> None:
        if len(self) < settings.MEMBER_IMPORT_MAX_ERRORS:
            super().append(entry)
        else:
            self.left_out += 1

    def extend(self, entries) -> None:
        for entry in entries:
            self.append(entry)
        self.left_out += getattr(entries, "left_out", 0)

    @property
    def total(self) -> int:
        return len(self) + self.left_out


@dataclass(slots=True)
class Row:
    """One data row as read. A province's sheet keeps a few hundred thousand of these alive at once,
    so a row holds no more than it must: its cell references are worked out from the sheet's letters
    when an error needs them."""

    number: int  # the Excel row number (for a CSV file, the row Excel shows it on: see members.csvsheet)
    raw: dict[str, Any]  # field -> cell value as read (non-empty cells only)
    letters: dict[str, str]  # field -> column letter, shared by every row of the sheet
    values: dict[str, Any] = field(default_factory=dict)  # field -> parsed value
    formulas: frozenset[str] = frozenset()  # fields whose cell holds a formula (already reported)
    # field -> the message of a value that could not be read but may be what the record already
    # holds (a malformed CCCD from before this system): judged once the row is matched to a member
    deferred: dict[str, str] = field(default_factory=dict)
    bad: bool = False

    @property
    def cells(self) -> dict[str, str]:
        """field -> cell reference ("D12") of each non-empty cell."""
        return {name: f"{self.letters[name]}{self.number}" for name in self.raw}


@dataclass
class Sheet:
    rows: list[Row] = field(default_factory=list)
    errors: Problems = field(default_factory=Problems)
    letters: dict[str, str] = field(default_factory=dict)  # field -> column letter, to point at empty cells
    readable: bool = True  # False: the file, the sheet or the header row is wrong; no row was read
    parts: dict[str, xlsxguard.Part] = field(default_factory=dict)  # an xlsx's worksheets as xlsxguard saw them


def too_big_message(size: int) -> str:
    limit = settings.MEMBER_IMPORT_MAX_BYTES
    return (f"Tệp nặng {vn_number(size / 2**20, 1)} MB, quá giới hạn {vn_number(limit / 2**20, 0)} MB; "
            "hãy chia thành nhiều tệp nhỏ hơn.")


def _file_problem(file) -> str | None:
    """Why `file` (a binary file object at 0, not text: see `csvsheet.looks_like_text`) cannot be an
    xlsx workbook, or None."""
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    if size > settings.MEMBER_IMPORT_MAX_BYTES:
        return too_big_message(size)
    if size == 0:
        return "Tệp rỗng (0 byte); hãy chọn lại tệp Excel (.xlsx) hoặc CSV."
    head = file.read(4)
    file.seek(0)
    if head == OLE_MAGIC:
        return "Tệp là Excel cũ (.xls) hoặc có đặt mật khẩu; hãy bỏ mật khẩu, " + SAVE_AS_XLSX
    if not zipfile.is_zipfile(file):
        return "Tệp không phải Excel .xlsx hay CSV (có thể là .doc, .pdf, ảnh hoặc tệp hỏng); " + SAVE_AS_EITHER
    file.seek(0)
    return None


def open_workbook(file, sheet: Sheet):
    """The workbook, read only, or None with the reason in `sheet.errors`. `file`: a binary file
    object. The file is held to `xlsxguard`'s limits before openpyxl parses any of it; what that
    check saw of each worksheet (its merged cells) is kept in `sheet.parts`."""
    reason = _file_problem(file)
    if reason is None:
        try:
            sheet.parts = xlsxguard.check(file, settings.MEMBER_IMPORT_MAX_ROWS)
            return load_workbook(file, read_only=True, data_only=False, keep_links=False)
        except xlsxguard.Refused as e:
            reason = e.message
        except Exception:  # any failure to parse an upload means the same thing to the user
            logger.info("unreadable import file", exc_info=True)
            reason = "Tệp là tệp nén nhưng không phải sổ tính Excel .xlsx đọc được; " + SAVE_AS_XLSX
    sheet.errors.append(problem(None, "", "", reason))
    sheet.readable = False
    return None


def pick_sheet(names: list[str]) -> str | None:
    """The sheet "Đảng viên" (any case or diacritics), or the only sheet there is."""
    by_key = {key(name): name for name in names}
    return by_key.get(key(SHEET_NAME)) or (names[0] if len(names) == 1 else None)


def find_header(rows: list[list[Any]]) -> int | None:
    """The first row (of cell values) naming at least two known columns; else the first row with
    anything in it."""
    first = None
    for number, values in enumerate(rows, start=1):
        texts = [v for v in values if written(v).strip()]
        if texts and first is None:
            first = number
        if sum(1 for t in texts if key(t) in BY_KEY) >= 2:
            return number
    return first


def read_sheet(file) -> Sheet:
    """Every non-empty data row of the member sheet, with the problems of the file's structure:
    not an xlsx, no member sheet, unknown or missing headers, formulas, merged cells, no rows."""
    sheet = Sheet()
    wb = open_workbook(file, sheet)
    if wb is None:
        return sheet
    try:
        name = pick_sheet(wb.sheetnames)
        if name is None:
            names = ", ".join(f"“{n}”" for n in wb.sheetnames)
            message = (f"Không có trang tính “{SHEET_NAME}”. Tệp có các trang tính: {names}; hãy đổi tên trang tính chứa danh sách "
                       f"thành “{SHEET_NAME}”.")
            return fatal(sheet, problem(None, "", "", message))
        ws = wb[name]
        ws.reset_dimensions()  # some programs write a wrong size: read whatever is there
        rows = ws.iter_rows()
        head = list(islice(rows, HEADER_SEARCH_ROWS))
        header_row = find_header([[c.value for c in cells] for cells in head])
        if header_row is None:
            return fatal(sheet, problem(None, "", "", f"Trang tính “{name}” trống: không có dòng tiêu đề và dữ liệu."))
        columns = read_header(sheet, [c.value for c in head[header_row - 1]], header_row)
        if columns is None:
            return sheet
        sheet.rows = _data_rows(chain(head[header_row:], rows), header_row + 1, columns, sheet)
        headers = {get_column_letter(i + 1): c.header for i, c in columns.items()}
        # openpyxl's read-only sheets do not expose merged cells; xlsxguard's scan of the sheet noted them.
        part = sheet.parts.get(ws._worksheet_path)
        for first, r1, last, r2 in part.merges if part else ():
            if r2 > header_row:
                ref = f"{first}{r1}:{last}{r2}"
                sheet.errors.append(problem(max(r1, header_row + 1), headers.get(first, first), ref,
                                            f"Ô gộp {ref} trong vùng dữ liệu; hãy bỏ gộp ô (Merge & Center → Unmerge "
                                            "Cells) và ghi giá trị vào từng dòng.", f"{first}{r1}"))
        if not sheet.rows and not sheet.errors:
            message = f"Trang tính “{name}” không có dòng dữ liệu nào dưới dòng tiêu đề (dòng {header_row})."
            return fatal(sheet, problem(None, "", "", message))
        return sheet
    finally:
        wb.close()


def read_header(sheet: Sheet, values: list[Any], header_row: int) -> dict[int, Column] | None:
    """The columns of the header row by position, or None with its problems in `sheet.errors`."""
    columns, problems = match_headers(values)
    for i, text, message in problems:
        cell = f"{get_column_letter(i + 1)}{header_row}" if i is not None else ""
        sheet.errors.append(problem(header_row, text, text, message, cell))
    if problems:
        sheet.readable = False
        return None
    sheet.letters = {c.field: get_column_letter(i + 1) for i, c in columns.items()}
    return columns


def excess(rows: int, number: int, cells: int) -> str | None:
    """Why a list that has reached its `rows`-th data row (at `number`), with `cells` cells in it, is
    refused, or None."""
    if rows > settings.MEMBER_IMPORT_MAX_ROWS:
        return (f"Danh sách có hơn {vn_number(settings.MEMBER_IMPORT_MAX_ROWS)} dòng dữ liệu (dòng {vn_number(number)} "
                "vượt giới hạn một lần nhập). Nếu dưới danh sách còn dòng trống đã định dạng, hãy xóa các dòng đó; nếu "
                "danh sách dài hơn thật, hãy chia thành nhiều tệp nhỏ hơn.")
    if cells > xlsxguard.MAX_COLUMNS:
        return (f"Dòng {vn_number(number)} có {vn_number(cells)} ô, quá giới hạn {xlsxguard.MAX_COLUMNS} cột; hãy xóa "
                "các cột thừa bên phải danh sách rồi lưu lại.")
    return None


def refuse(sheet: Sheet, message: str) -> Sheet:
    """The whole file is refused for `message`: the errors of the rows read so far would only hide it."""
    sheet.errors = Problems()
    sheet.rows = []
    return fatal(sheet, problem(None, "", "", message))


def fatal(sheet: Sheet, entry: dict) -> Sheet:
    sheet.errors.append(entry)
    sheet.readable = False
    return sheet


def _data_rows(rows, start: int, columns: dict[int, Column], sheet: Sheet) -> list[Row]:
    out = []
    importable = {i: c for i, c in columns.items() if c.importable}
    for number, cells in enumerate(rows, start=start):
        # xlsxguard has counted rows and cells already; this holds the same limits should its byte
        # count and the parser ever disagree.
        if reason := excess(number - start + 1, number, len(cells)):
            refuse(sheet, reason)
            return []
        row = Row(number, {}, sheet.letters)
        for i, column in importable.items():
            if i >= len(cells):
                continue
            cell = cells[i]
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if cell.data_type == "f":
                sheet.errors.append(problem(number, column.header, value, f"Ô chứa công thức ({value}); hãy sao chép "
                                            "rồi dán giá trị (“Paste Special” → “Values”, tức Dán đặc biệt → Giá trị).",
                                            f"{sheet.letters[column.field]}{number}"))
                row.formulas |= {column.field}
                row.bad = True
            row.raw[column.field] = value
        if row.raw:
            out.append(row)
    return out
