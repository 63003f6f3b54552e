"""A tree imported from Excel: code, name, kind, parent code, from, to; all or nothing.

What an officer has on paper is often a whole tree at once: the cells of a commune set up by one
decision, or the tree of a past term (2015–2020, with its district level) that old figures need a
place in. Each row is one unit; its parent is another row of the file or a unit already in the tree
(by its code), in the user's reach. The rows are checked for what the file alone can say (a date, a
kind, codes used twice, a parent code nowhere, a cycle), then created parents first through
`services.create_unit`, which holds every rule of the tree (placement, the parent's dates, the
right); any row refused rolls the whole file back, and the report lists every row with its reason.

The member import lives in `members`, above `orgs`, so nothing of it is used here: this reads with
openpyxl in read-only mode, bounded by a size and a row cap before anything is written.
"""

import io
import logging
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from openpyxl import Workbook, load_workbook

from core import xlsxguard
from core.errors import DomainError
from core.text import fold, vn_number
from orgs import services
from orgs.models import Kind, OrgUnit

logger = logging.getLogger(__name__)

MAX_ROWS = 5000  # a province's whole tree is a few thousand units; more is not a tree, it is a mistake
MAX_BYTES = 5 * 1024 * 1024
HEADER_SEARCH_ROWS = 10  # a title may sit above the header row
# column -> (header in the template, other headers accepted, folded)
COLUMNS = {
    "code": ("Mã tổ chức", {"ma", "ma to chuc", "ma don vi"}),
    "name": ("Tên tổ chức", {"ten", "ten to chuc", "ten don vi"}),
    "kind": ("Loại tổ chức", {"loai", "loai to chuc"}),
    "parent": ("Mã cấp trên", {"ma cap tren", "cap tren", "ma to chuc cap tren"}),
    "valid_from": ("Hoạt động từ ngày", {"tu ngay", "hoat dong tu ngay", "ngay thanh lap"}),
    "valid_to": ("Đến ngày", {"den ngay", "hoat dong den ngay", "den het ngay"}),
}
REQUIRED = ("code", "name", "kind", "parent", "valid_from")
KIND_BY_TEXT = {fold(k): k for k in Kind.values} | {fold(label): k for k, label in Kind.choices}


@dataclass
class Problem:
    row: int | None  # the sheet's row number; None: the file as a whole
    column: str
    value: str
    message: str


@dataclass
class Line:
    row: int
    code: str
    name: str
    kind: str
    parent: str
    valid_from: date | None
    valid_to: date | None


@dataclass
class Result:
    created: list[OrgUnit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def template() -> bytes:
    """An empty sheet with the header row and one example line."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Cây tổ chức"
    sheet.append([header for header, _ in COLUMNS.values()])
    sheet.append(["CB-AP-2015", "Chi bộ thôn An Phú (cũ)", Kind.CELL.label, "X-AH", "01/01/2015", "30/06/2020"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw == int(raw):
        raw = int(raw)
    return " ".join(str(raw).split())


def _date(raw) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _text(raw).replace("-", "/").replace(".", "/")
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"“{text}” không phải ngày; hãy ghi ngày/tháng/năm, ví dụ 01/07/2025.") from None


def _file_problem(file) -> str | None:
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    if size == 0:
        return "Tệp rỗng; hãy chọn lại tệp Excel (.xlsx)."
    if size > MAX_BYTES:
        return (f"Tệp nặng {vn_number(size / 2**20, 1)} MB, quá giới hạn {vn_number(MAX_BYTES / 2**20)} MB; "
                "hãy chia thành nhiều tệp nhỏ hơn.")
    if not zipfile.is_zipfile(file):
        return "Tệp không phải Excel .xlsx; hãy mở bằng Excel rồi lưu lại dạng “Sổ làm việc Excel (*.xlsx)”."
    file.seek(0)
    return None


def _header(values) -> dict[str, int] | None:
    found = {}
    for i, value in enumerate(values):
        text = fold(_text(value))
        for name, (header, aliases) in COLUMNS.items():
            if name not in found and (text == fold(header) or text in aliases):
                found[name] = i
    return found if {"code", "name"} <= set(found) else None


def read(file) -> tuple[list[Line], list[Problem]]:
    """The lines of the first sheet and what is wrong with any of them on its own."""
    problems: list[Problem] = []
    reason = _file_problem(file)
    if reason:
        return [], [Problem(None, "", "", reason)]
    try:  # held to the limits of a sheet of MAX_ROWS rows before openpyxl parses any of it (a zip bomb)
        xlsxguard.check(file, MAX_ROWS)
    except xlsxguard.Refused as refused:
        return [], [Problem(None, "", "", refused.message)]
    try:
        book = load_workbook(file, read_only=True, data_only=True, keep_links=False)
    except Exception:  # any failure to parse an upload means the same thing to the user
        logger.info("unreadable tree import", exc_info=True)
        return [], [Problem(None, "", "", "Không đọc được tệp Excel; hãy lưu lại dạng .xlsx rồi thử lại.")]
    lines: list[Line] = []
    try:
        columns = None
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            if columns is None:
                columns = _header(values)
                if columns is None and number >= HEADER_SEARCH_ROWS:
                    break
                missing = [COLUMNS[c][0] for c in REQUIRED if columns is not None and c not in columns]
                if missing:
                    return [], [Problem(number, "", "", "Thiếu cột: " + ", ".join(missing) + ".")]
                continue
            if len(lines) >= MAX_ROWS or number > MAX_ROWS * 2:  # empty rows too: a sheet may claim a million
                return [], [Problem(number, "", "", f"Tệp có hơn {vn_number(MAX_ROWS)} dòng; "
                                                    "hãy chia thành nhiều tệp nhỏ hơn.")]
            cells = {name: (values[i] if i < len(values) else None) for name, i in columns.items()}
            if all(_text(v) == "" for v in cells.values()):
                continue
            lines.append(_line(number, cells, problems))
        if columns is None:
            return [], [Problem(None, "", "", "Không thấy dòng tiêu đề (Mã tổ chức, Tên tổ chức, Loại tổ chức, "
                                              "Mã cấp trên, Hoạt động từ ngày, Đến ngày); hãy dùng tệp mẫu.")]
    finally:
        book.close()
    return lines, problems


def _line(number: int, cells: dict, problems: list[Problem]) -> Line:
    def need(name: str) -> str:
        value = _text(cells.get(name))
        if not value and name in REQUIRED and name != "parent":
            problems.append(Problem(number, COLUMNS[name][0], "", f"Thiếu {COLUMNS[name][0].lower()}."))
        return value

    code, name, kind_text = need("code"), need("name"), need("kind")
    kind = KIND_BY_TEXT.get(fold(kind_text), "")
    if kind_text and not kind:
        problems.append(Problem(number, COLUMNS["kind"][0], kind_text, "Loại tổ chức không có; hãy ghi một trong: "
                                + ", ".join(label for _, label in Kind.choices) + "."))
    days = {}
    for column in ("valid_from", "valid_to"):
        try:
            days[column] = _date(cells.get(column))
        except ValueError as e:
            days[column] = None
            problems.append(Problem(number, COLUMNS[column][0], _text(cells.get(column)), str(e)))
    if days["valid_from"] is None and not any(p.row == number and p.column == COLUMNS["valid_from"][0]
                                              for p in problems):
        problems.append(Problem(number, COLUMNS["valid_from"][0], "", "Thiếu ngày bắt đầu hoạt động."))
    return Line(number, code, name, kind, _text(cells.get("parent")), days["valid_from"], days["valid_to"])


def _order(lines: list[Line], known: dict[str, OrgUnit], problems: list[Problem]) -> list[Line]:
    """The lines parents first; a parent code found nowhere, a code used twice or a cycle is a problem."""
    by_code: dict[str, Line] = {}
    for line in lines:
        if not line.code:
            continue
        if line.code in by_code:
            problems.append(Problem(line.row, COLUMNS["code"][0], line.code,
                                    f"Mã “{line.code}” đã dùng ở dòng {by_code[line.code].row}; mỗi tổ chức một mã."))
        elif line.code in known:
            problems.append(Problem(line.row, COLUMNS["code"][0], line.code,
                                    f"Mã “{line.code}” đã là của “{known[line.code].name}” trong cây tổ chức."))
        else:
            by_code[line.code] = line
    for line in lines:
        if not line.parent:
            problems.append(Problem(line.row, COLUMNS["parent"][0], "", "Thiếu mã cấp trên; hãy ghi mã của tổ "
                                    "chức cấp trên (một dòng trong tệp hoặc tổ chức đã có trong cây)."))
        elif line.parent not in by_code and line.parent not in known:
            problems.append(Problem(line.row, COLUMNS["parent"][0], line.parent,
                                    f"Không có tổ chức mã “{line.parent}” trong tệp hay trong phạm vi bạn quản lý."))
    ordered: list[Line] = []
    state: dict[str, str] = {}  # code -> "visiting" | "done"

    def visit(line: Line, trail: list[str]) -> None:
        if state.get(line.code) == "done":
            return
        if state.get(line.code) == "visiting":
            loop = " → ".join(trail[trail.index(line.code):] + [line.code])
            problems.append(Problem(line.row, COLUMNS["parent"][0], line.parent,
                                    f"Các dòng trực thuộc lẫn nhau thành vòng: {loop}; hãy sửa mã cấp trên."))
            return
        state[line.code] = "visiting"
        parent = by_code.get(line.parent)
        if parent is not None:
            visit(parent, trail + [line.code])
        state[line.code] = "done"
        ordered.append(line)

    for line in by_code.values():
        visit(line, [])
    return ordered


class _RollBack(Exception):
    pass


def import_tree(file, *, by) -> Result:
    """Read `file`, check every row, and create all its units or none."""
    result = Result()
    lines, result.problems = read(file)
    if not lines and not result.problems:
        result.problems.append(Problem(None, "", "", "Tệp không có dòng nào dưới dòng tiêu đề."))
    if result.problems and not lines:
        return result
    codes = {line.parent for line in lines} | {line.code for line in lines}
    reach = OrgUnit.objects.visible_to(by, services.ACTION) if by is not None else OrgUnit.objects.all()
    known = {u.code: u for u in reach.filter(code__in=codes - {""})}
    taken = set(OrgUnit.objects.filter(code__in={line.code for line in lines} - set(known))
                .values_list("code", flat=True))
    for line in lines:
        if line.code in taken:
            result.problems.append(Problem(line.row, COLUMNS["code"][0], line.code,
                                           f"Mã “{line.code}” đã được dùng cho một tổ chức khác; hãy chọn mã khác."))
    ordered = _order(lines, known, result.problems)
    if result.problems:  # the file's own faults first: no unit is tried before they are fixed
        result.problems.sort(key=lambda p: (p.row or 0))
        return result
    try:
        with transaction.atomic():
            created: dict[str, OrgUnit] = {}
            for line in ordered:
                parent = created.get(line.parent) or known.get(line.parent)
                if parent is None:  # its parent's row was refused: said there
                    result.problems.append(Problem(line.row, COLUMNS["parent"][0], line.parent,
                                                   f"Cấp trên “{line.parent}” có lỗi nên dòng này chưa được tạo."))
                    continue
                try:
                    created[line.code] = services.create_unit(
                        parent, kind=line.kind, name=line.name, code=line.code, on=line.valid_from,
                        valid_to=line.valid_to, by=by)
                except DomainError as e:
                    for error in e.each():
                        result.problems.append(Problem(line.row, _column_of(error.field), "", error.message))
            if result.problems:
                raise _RollBack
            result.created = list(created.values())
    except _RollBack:
        result.created = []
    result.problems.sort(key=lambda p: (p.row or 0))
    return result


def _column_of(field_name: str | None) -> str:
    return {"on": COLUMNS["valid_from"][0], "valid_to": COLUMNS["valid_to"][0], "kind": COLUMNS["kind"][0],
            "name": COLUMNS["name"][0], "code": COLUMNS["code"][0]}.get(field_name or "", "")
