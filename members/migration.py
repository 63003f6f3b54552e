"""The national migration: the whole tree, every member and their history from CSV files, in minutes.

Three UTF-8 CSV files in one folder (headers in Vietnamese, described in docs/migration.md):
`to_chuc.csv` (units), `dang_vien.csv` (members: "Mã đảng viên" and the columns of the member
sheet, `members.spreadsheet.COLUMNS`, checked by the same parsers) and `su_kien.csv` (events of
their party life). It loads an empty database (the first load of a national or provincial
database); the member and event files are sorted by "Mã đảng viên", so they are read side by side
in one pass and memory stays flat at any size.

All or nothing, as every import: rows are checked and streamed into the tables inside one
transaction (PostgreSQL `COPY`, SQLite `executemany`, secondary indexes dropped and rebuilt), and
any error anywhere rolls everything back and is reported with its file, line, column and value.
A bad row at line 4,000,000 writes nothing. The tallies are counted once at the end.
"""

import csv
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from time import perf_counter
from typing import Any, NamedTuple

from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.services import record
from core import bulk
from core.errors import DomainError, DomainErrors
from core.memory import cycle_collector_paused, peak_rss_mb
from core.text import fold, name_sort_key, vn_number
from core.tree import MAX_DEPTH, child_path
from members import history, tally
from members.choices import ACTIVE, EventKind, Status, education_level
from members.models import MAJORITY_ETHNICITY, Member, MemberEvent, MemberPeriod
from members.services import profile_problems
from members.spreadsheet import BY_FIELD, CellError, choice, key, match_headers, parse_date, tidy, written
from orgs.models import CELL_KINDS, GRASSROOTS_KINDS, Kind, OrgUnit, OrgUnitVersion

UNITS_FILE, MEMBERS_FILE, EVENTS_FILE = "to_chuc.csv", "dang_vien.csv", "su_kien.csv"
MEMBER_CODE = "Mã đảng viên"
UNIT_COLUMNS = {"Mã tổ chức": "code", "Mã cấp trên": "parent", "Tên": "name", "Tên ngắn": "short_name",
                "Loại": "kind", "Ký hiệu": "issuer_abbr", "Là TCCSĐ": "is_grassroots",
                "Ngày thành lập": "valid_from", "Ngày kết thúc": "valid_to"}
EVENT_COLUMNS = {MEMBER_CODE: "member", "Sự kiện": "kind", "Ngày": "on", "Mã tổ chức": "unit",
                 "Trạng thái sau": "status_after", "Số quyết định": "decision_number", "Ghi chú": "note"}
MAX_ERRORS = 10_000  # kept for the report; the rest are counted
BATCH = 20_000  # members per write; their events and placements go with them
UNIT_CHANGES = {EventKind.MOVED, EventKind.TRANSFERRED_IN}
# Profile columns copied from the file (the state columns are derived from the events).
PROFILE = [c.field for c in BY_FIELD.values()
           if c.importable and c.field not in ("unit_code", "status", "admitted_on", "recognized_on")]
STATE_COLUMNS = ["admitted_on", "recognized_on", "status", "is_excused", "unit_id", "org_path", "folded_name", "sort_key",
                 "education_level", "birth_md", "updated_at"]
REQUIRED = [c for c in BY_FIELD.values() if c.required]
# Columns holding one of few values (labels, dates, places) are parsed once per distinct text.
UNCACHED = {"full_name", "birth_name", "alias", "citizen_id", "phone", "email", "party_card_number", "notes",
            "permanent_address", "current_address"}
CACHE_LIMIT = 200_000
EVENT_TABLE_COLUMNS = ["member_id", "kind", "on", "unit_id", "org_path", "status_after", "decision_number", "note",
                       "created_at"]
PERIOD_TABLE_COLUMNS = ["member_id", "unit_id", "status", "valid_from", "valid_to"]
TABLES = [OrgUnit, OrgUnitVersion, Member, MemberEvent, MemberPeriod]
EMPTY = {"citizen_id": None, "ethnicity": MAJORITY_ETHNICITY}  # what an empty cell stores; "" for the others


class Abort(Exception):
    """Raised inside the transaction to roll it back once the report is complete."""


@dataclass
class Report:
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    written: bool = False
    steps: dict[str, float] = field(default_factory=dict)  # seconds of each step, for the benchmark

    def error(self, file: str, line: int | None, column: str, value: Any, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"file": file, "line": line, "column": column, "value": written(value),
                                "message": message})

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def summary(self) -> str:
        if not self.ok:
            return f"{vn_number(self.error_count)} lỗi; chưa ghi gì. Hãy sửa các tệp rồi chạy lại."
        what = ", ".join(f"{vn_number(n)} {label}" for label, n in self.counts.items())
        verb = "Đã chuyển đổi" if self.written else "Chạy thử đúng, chưa ghi"
        return f"{verb}: {what} trong {vn_number(self.seconds, 1)} giây."


@dataclass(slots=True)
class UnitRow:
    line: int
    code: str
    parent: str
    name: str
    short_name: str
    kind: str
    issuer_abbr: str
    is_grassroots: bool
    valid_from: date
    valid_to: date | None
    id: int = 0
    path: str = ""
    depth: int = 0


def run(folder: str | Path, *, by=None, dry_run: bool = False, progress: Callable[[str], None] = print) -> Report:
    """Check and load the three files of `folder`; nothing is written unless every row is right."""
    started = perf_counter()
    folder = Path(folder)
    report = Report()
    for name in (UNITS_FILE, MEMBERS_FILE, EVENTS_FILE):
        if not (folder / name).is_file():
            report.error(name, None, "", "", f"Không thấy tệp {name} trong thư mục {folder}.")
    if OrgUnit.objects.exists() or Member.objects.exists():
        report.error("", None, "", "", "Cơ sở dữ liệu đã có tổ chức hoặc đảng viên; chuyển đổi toàn bộ chỉ chạy trên "
                                       "cơ sở dữ liệu trống (nhập bổ sung hãy dùng trang Nhập từ Excel).")
    if not report.ok:
        return _finish(report, started)
    units = read_units(folder / UNITS_FILE, report)
    progress(f"  {UNITS_FILE}: {vn_number(len(units))} tổ chức, {vn_number(report.error_count)} lỗi")
    if not report.ok:
        return _finish(report, started)
    try:
        with cycle_collector_paused(), transaction.atomic():
            _load(folder, units, report, progress, by)
            if dry_run or not report.ok:
                raise Abort
            report.written = True
    except Abort:
        pass
    if report.written:
        t = perf_counter()
        _analyze()
        report.steps["analyze"] = round(perf_counter() - t, 2)
    return _finish(report, started)


def _finish(report: Report, started: float) -> Report:
    report.seconds = perf_counter() - started
    report.peak_rss_mb = peak_rss_mb()
    return report


# --- units ---------------------------------------------------------------------------------------

def _rows(path: Path, report: Report, columns: dict[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {field: text}) of each non-empty row; the header must hold every column of `columns`."""
    name = path.name
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            by_key = {key(h): i for i, h in enumerate(header)}
            positions = {}
            for title, fld in columns.items():
                if key(title) not in by_key:
                    report.error(name, 1, title, "", f"Thiếu cột “{title}” ở dòng tiêu đề.")
                else:
                    positions[fld] = by_key[key(title)]
            if len(positions) < len(columns):
                return
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield reader.line_num, {fld: cells[i].strip() if i < len(cells) else ""
                                            for fld, i in positions.items()}
    except UnicodeDecodeError:
        report.error(name, None, "", "", f"Tệp {name} không ở mã UTF-8; hãy lưu lại dạng “CSV UTF-8”.")


_KIND = choice(tuple((value, str(label)) for value, label in Kind.choices))
_YES = {"co", "x", "1", "true", "yes"}


def read_units(path: Path, report: Report) -> list[UnitRow]:
    """Every unit, checked, with ids and paths given in depth-first order (ids, paths and the
    order members are stored in then follow the tree: a subtree is one stretch of every table)."""
    file = path.name
    units: dict[str, UnitRow] = {}
    for line, r in _rows(path, report, UNIT_COLUMNS):
        try:
            kind = _KIND(r["kind"]) if r["kind"] else ""
            unit = UnitRow(line, r["code"].upper(), r["parent"].upper(), tidy(r["name"]), tidy(r["short_name"]),
                           kind, r["issuer_abbr"], False, None, None)
            unit.is_grassroots = key(r["is_grassroots"]) in _YES if r["is_grassroots"] else kind in GRASSROOTS_KINDS
            unit.valid_from = parse_date(r["valid_from"]) if r["valid_from"] else None
            unit.valid_to = parse_date(r["valid_to"]) if r["valid_to"] else None
        except CellError as e:
            report.error(file, line, "", "", e.message)
            continue
        for label, ok in (("Mã tổ chức", unit.code), ("Tên", unit.name), ("Loại", unit.kind),
                          ("Ngày thành lập", unit.valid_from)):
            if not ok:
                report.error(file, line, label, "", f"Thiếu “{label}”.")
        if unit.valid_to and unit.valid_from and unit.valid_to < unit.valid_from:
            report.error(file, line, "Ngày kết thúc", unit.valid_to, "Ngày kết thúc trước ngày thành lập.")
        if unit.code in units:
            report.error(file, line, "Mã tổ chức", unit.code, f"Mã tổ chức trùng với dòng {units[unit.code].line}.")
        elif unit.code:
            units[unit.code] = unit
    children: dict[str, list[UnitRow]] = {}
    for unit in units.values():
        if unit.parent and unit.parent not in units:
            report.error(file, unit.line, "Mã cấp trên", unit.parent, "Không có tổ chức nào mang mã cấp trên này.")
        children.setdefault(unit.parent, []).append(unit)
    ordered: list[UnitRow] = []
    stack = list(reversed(children.get("", [])))
    while stack:  # depth first, children in file order
        unit = stack.pop()
        parent = units.get(unit.parent)
        unit.id = len(ordered) + 1
        unit.depth = parent.depth + 1 if parent else 0
        unit.path = child_path(parent.path if parent else "", unit.id)
        if unit.depth >= MAX_DEPTH:
            report.error(file, unit.line, "Mã cấp trên", unit.parent, f"Cây tổ chức sâu quá {MAX_DEPTH} cấp.")
        ordered.append(unit)
        stack.extend(reversed(children.get(unit.code, [])))
    if report.ok and len(ordered) < len(units):
        for unit in units.values():
            if not unit.id:
                report.error(file, unit.line, "Mã cấp trên", unit.parent, "Tổ chức nằm trong một vòng cấp trên – cấp "
                                                                          "dưới (A thuộc B, B lại thuộc A).")
    return ordered


def _write_units(units: list[UnitRow]) -> None:
    by_code = {u.code: u for u in units}
    cols = ["id", "kind", "name", "short_name", "code", "issuer_abbr", "is_grassroots", "parent_id", "path", "depth",
            "valid_from", "valid_to"]
    bulk.insert_rows(OrgUnit._meta.db_table, cols, (
        (u.id, u.kind, u.name, u.short_name, u.code, u.issuer_abbr, u.is_grassroots,
         by_code[u.parent].id if u.parent else None, u.path, u.depth, u.valid_from, u.valid_to) for u in units))
    cols = ["unit_id", "parent_id", "kind", "name", "short_name", "path", "depth", "valid_from", "valid_to"]
    bulk.insert_rows(OrgUnitVersion._meta.db_table, cols, (
        (u.id, by_code[u.parent].id if u.parent else None, u.kind, u.name, u.short_name, u.path, u.depth,
         u.valid_from, u.valid_to) for u in units))


# --- members and events --------------------------------------------------------------------------

def _load(folder: Path, units: list[UnitRow], report: Report, progress, by) -> None:
    saved = {m._meta.db_table: bulk.secondary_indexes(m._meta.db_table) for m in TABLES}
    for table, items in saved.items():
        bulk.drop_indexes(table, items)
    _write_units(units)
    report.counts["tổ chức"] = len(units)
    loader = MemberLoader(folder, units, report, progress)
    loader.run()
    if not report.ok:
        return
    t = perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as c:  # index builds of tens of millions of rows sort in memory, not on disk
            c.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for table, items in saved.items():
        bulk.restore_indexes(table, items)
    with connection.cursor() as c:
        for sql in connection.ops.sequence_reset_sql(no_style(), TABLES):
            c.execute(sql)
    report.steps["indexes"] = round(perf_counter() - t, 2)
    progress(f"  chỉ mục dựng lại trong {perf_counter() - t:.1f} giây")
    t = perf_counter()
    tally.rebuild()
    report.steps["tallies"] = round(perf_counter() - t, 2)
    progress(f"  số liệu tổng hợp tính trong {perf_counter() - t:.1f} giây")
    record("members.migration.done", actor=by, obj=OrgUnit.objects.order_by("id").first(),
           unit_path=units[0].path, unit_name=units[0].name, after=dict(report.counts))


class MemberLoader:
    """Reads the member and event files side by side, checks each member with their history and
    writes them in batches."""

    def __init__(self, folder: Path, units: list[UnitRow], report: Report, progress):
        self.members_path, self.events_path = folder / MEMBERS_FILE, folder / EVENTS_FILE
        self.units = {u.code: u for u in units}
        self.unit_by_id = {u.id: u for u in units}
        self.starts = {u.id: u.valid_from for u in units}
        self.report, self.progress = report, progress
        # Dates and the timestamp go out as ISO text: SQLite stores them so, PostgreSQL's COPY parses
        # them, and each distinct date is formatted once instead of by the driver for every row (the
        # driver's date and timestamp adapters were a fifth of the load's time).
        self.today, self.now = timezone.localdate(), timezone.now().isoformat(" ")
        self.day = _iso_day
        self.event_kind, self.event_day, self.event_status = _cached(_EVENT_KIND), _cached(parse_date), _cached(_STATUS)
        self.names: dict[str, tuple[str, str]] = {}
        self.shapes: dict[tuple, tuple] = {}
        self.cccds, self.cccd_lines = array("q"), array("q")  # compact: 16 bytes a member at national scale
        self.rows: dict[str, list[tuple]] = {"m": [], "e": [], "p": []}
        self.counts = {"đảng viên": 0, "sự kiện": 0}
        self.writing, self.failed_write = True, False

    # reading ------------------------------------------------------------------------------------
    def _member_rows(self) -> Iterator[tuple[int, list[str]]]:
        report, name = self.report, MEMBERS_FILE
        try:
            with open(self.members_path, encoding="utf-8-sig", newline="") as f:
                reader = csv.reader(f)
                header = next(reader, [])
                code_at = next((i for i, h in enumerate(header) if key(h) == key(MEMBER_CODE)), None)
                if code_at is None:
                    report.error(name, 1, MEMBER_CODE, "", f"Thiếu cột “{MEMBER_CODE}” ở dòng tiêu đề.")
                rest = [h if i != code_at else "" for i, h in enumerate(header)]
                columns, problems = match_headers(rest)
                for _i, text, message in problems:
                    report.error(name, 1, text, text, message)
                if not report.ok:
                    return
                self.columns = [(i, c.field, c, _fast(c)) for i, c in columns.items() if c.importable]
                self.profile = [c.field for _i, _f, c, _p in self.columns if c.field in PROFILE]
                self.profile_empty = [(f, EMPTY.get(f, "")) for f in self.profile]
                self.birth_at = self.profile.index("birth_date")
                self.code_at = code_at
                for cells in reader:
                    if any(cells):
                        yield reader.line_num, cells
        except UnicodeDecodeError:
            report.error(name, None, "", "", f"Tệp {name} không ở mã UTF-8; hãy lưu lại dạng “CSV UTF-8”.")

    def _event_rows(self) -> Iterator[tuple[int, int, dict]]:
        """(line, member code, parsed event) in file order; bad rows are reported and skipped."""
        last = (0, date.min)
        for line, r in _rows(self.events_path, self.report, EVENT_COLUMNS):
            try:
                code = self._code(r["member"])
                e = {"kind": self.event_kind(r["kind"]), "on": self.event_day(r["on"]),
                     "unit": self._unit(r["unit"]) if r["unit"] else None,
                     "status_after": self.event_status(r["status_after"]) if r["status_after"] else "",
                     "decision_number": tidy(r["decision_number"])[:60], "note": tidy(r["note"])[:255], "line": line}
            except CellError as exc:
                self.report.error(EVENTS_FILE, line, "", "", exc.message)
                continue
            if (code, e["on"]) < last:
                self.report.error(EVENTS_FILE, line, MEMBER_CODE, code, "Tệp sự kiện phải sắp theo Mã đảng viên tăng "
                                                                        "dần, rồi theo ngày; dòng này đứng sai chỗ.")
            last = (code, e["on"])
            yield line, code, e

    def member_columns(self) -> list[str]:
        # Only the profile columns the file has; the others take the table's defaults.
        return ["id", *self.profile, *STATE_COLUMNS]

    def _code(self, text: str) -> int:
        if not text.isdigit() or int(text) == 0 or int(text) >= 2**62:
            raise CellError(f"“{MEMBER_CODE}” phải là số nguyên dương (mã hồ sơ ở hệ thống cũ), không phải “{text}”.")
        return int(text)

    def _unit(self, code: str) -> UnitRow:
        unit = self.units.get(code.upper())
        if unit is None:
            raise CellError(f"Không có tổ chức mã “{code}” trong tệp {UNITS_FILE}.")
        return unit

    # the pass -------------------------------------------------------------------------------------
    def run(self) -> None:
        t = perf_counter()
        events = self._event_rows()
        pending = next(events, None)
        previous = 0
        for n, (line, cells) in enumerate(self._member_rows(), start=1):
            try:
                code = self._code(cells[self.code_at].strip() if self.code_at < len(cells) else "")
            except CellError as e:
                self.report.error(MEMBERS_FILE, line, MEMBER_CODE, "", e.message)
                continue
            if code <= previous:
                self.report.error(MEMBERS_FILE, line, MEMBER_CODE, code, "Tệp đảng viên phải sắp theo Mã đảng viên "
                                                                         "tăng dần, không trùng; dòng này đứng sai chỗ.")
            previous = max(previous, code)
            mine = []
            while pending is not None and pending[1] <= code:
                if pending[1] < code:
                    self.report.error(EVENTS_FILE, pending[0], MEMBER_CODE, pending[1],
                                      "Không có đảng viên mang mã này trong tệp đảng viên.")
                else:
                    mine.append(pending[2])
                pending = next(events, None)
            self.member(line, code, cells, mine)
            if len(self.rows["m"]) >= BATCH:
                self.flush()
            if n % 500_000 == 0:
                self.progress(f"  {vn_number(n)} đảng viên, {vn_number(n / (perf_counter() - t))} dòng/giây, "
                              f"{vn_number(self.report.error_count)} lỗi")
        while pending is not None:
            self.report.error(EVENTS_FILE, pending[0], MEMBER_CODE, pending[1],
                              "Không có đảng viên mang mã này trong tệp đảng viên.")
            pending = next(events, None)
        self.flush()
        self._duplicate_cccds()
        if self.failed_write and self.report.ok:
            self.report.error(MEMBERS_FILE, None, "", "", "Ghi vào cơ sở dữ liệu bị từ chối (dữ liệu trùng); chưa ghi gì.")
        self.report.counts.update(self.counts)
        self.report.steps["rows"] = round(perf_counter() - t, 2)
        self.progress(f"  {MEMBERS_FILE}, {EVENTS_FILE}: {vn_number(self.counts['đảng viên'])} đảng viên, "
                      f"{vn_number(self.counts['sự kiện'])} sự kiện trong {perf_counter() - t:.1f} giây")

    def member(self, line: int, code: int, cells: list[str], events: list[dict]) -> None:
        v, bad, width = {}, False, len(cells)
        for i, field_name, column, parse in self.columns:
            text = cells[i].strip() if i < width else ""
            if not text:
                continue
            if text[0] == "=":
                self.report.error(MEMBERS_FILE, line, column.header, text, "Ô chứa công thức; hãy ghi giá trị.")
                bad = True
                continue
            try:
                v[field_name] = parse(text)
            except CellError as e:
                self.report.error(MEMBERS_FILE, line, column.header, text, e.message)
                bad = True
        if bad:
            return
        for column in REQUIRED:
            if column.field not in v:
                self.report.error(MEMBERS_FILE, line, column.header, "", f"Thiếu “{column.header}” (cột bắt buộc).")
                return
        try:
            self._check(line, code, v, events)
        except DomainError as e:
            for problem in e.each():
                column = BY_FIELD.get(problem.field or "")
                self.report.error(MEMBERS_FILE, line, column.header if column else "", v.get(problem.field or "", ""),
                                  problem.message)

    def _check(self, line: int, code: int, v: dict, file_events: list[dict]) -> None:
        problems = profile_problems(v["birth_date"], v["gender"], v.get("citizen_id"), v["admitted_on"],
                                    v.get("recognized_on"), self.today)
        try:
            unit = self._unit_of(v["unit_code"])
        except DomainError as e:
            problems.insert(0, e)
        DomainErrors.raise_any(problems)  # every fault of the row at once
        if v.get("citizen_id"):
            self.cccds.append(int(v["citizen_id"]))
            self.cccd_lines.append(line)
        if file_events:
            events = self._history(v, unit, file_events)
            states = history.replay(events)
            periods = history.periods(events, self.starts)
        else:  # most members: admitted, perhaps recognized, in the cell they are in now
            events, states, periods = self._plain_history(v, unit)
        _on, status, unit_id = states[-1]
        if status != v["status"] or unit_id != unit.id:
            now = f"{dict(Status.choices)[status]} ở {self.unit_by_id[unit_id].name}"
            raise DomainError(f"Theo các sự kiện, đảng viên hiện là “{now}”, khác với Trạng thái/Mã chi bộ của dòng "
                              "này; hãy sửa cho khớp.", "status")
        if status in ACTIVE and (unit.valid_to is not None or unit.kind not in CELL_KINDS):
            raise DomainError(f"“{unit.name}” không phải chi bộ đang hoạt động; đảng viên đang sinh hoạt phải ở một "
                              "chi bộ đang hoạt động.", "unit_code")
        self._add(code, v, unit, events, states, periods)

    def _plain_history(self, v: dict, unit: UnitRow) -> tuple[list, list, list]:
        """`_history`, `history.replay` and `history.periods` for a member the event file does not
        name, computed once per (admission, recognition, start of the cell) by those same functions
        and reused: millions of members share a few tens of thousands of such histories."""
        key = (v["admitted_on"], v.get("recognized_on"), unit.valid_from)
        shape = self.shapes.get(key)
        if shape is None:
            if len(self.shapes) > CACHE_LIMIT:
                self.shapes.clear()
            events = self._history(v, _ANY_UNIT, [])
            shape = self.shapes[key] = (events, history.replay(events), history.periods(events, {0: unit.valid_from}))
        events, states, periods = shape
        uid = unit.id
        return ([Ev(e.kind, e.on, uid, e.status_after, "", "") for e in events],
                [(on, status, uid) for on, status, _u in states],
                [(uid, status, start, end) for _u, status, start, end in periods])

    def _unit_of(self, code: str) -> UnitRow:
        try:
            return self._unit(code)
        except CellError as e:
            raise DomainError(e.message, "unit_code") from None

    def _history(self, v: dict, unit: UnitRow, file_events: list[dict]) -> list["Ev"]:
        """The member's events in date order, each with the unit the member is in after it: the
        file's, plus the admission and recognition of the profile where the file leaves them out
        (as `services.create_member` writes them)."""
        moves = any(e["kind"] in UNIT_CHANGES for e in file_events)
        rows = []
        for kind, on, status in ((EventKind.ADMITTED, v["admitted_on"], Status.PROBATIONARY),
                                 (EventKind.RECOGNIZED, v.get("recognized_on"), Status.OFFICIAL)):
            given = [e for e in file_events if e["kind"] == kind]
            if given and on and given[0]["on"] != on:
                raise DomainError(f"Ngày “{dict(EventKind.choices)[kind]}” trong tệp sự kiện (dòng {given[0]['line']}) "
                                  "khác ngày trong tệp đảng viên.", "admitted_on")
            if not given and on:
                if kind == EventKind.ADMITTED and moves:
                    raise DomainError("Đảng viên có sự kiện chuyển sinh hoạt nên tệp sự kiện phải có cả dòng “Kết nạp” "
                                      "(có Mã tổ chức nơi kết nạp), để biết trước khi chuyển đảng viên ở đâu.",
                                      "admitted_on")
                rows.append({"kind": kind, "on": on, "unit": None, "status_after": status, "decision_number": "",
                             "note": ""})
        rows.extend(file_events)
        rows.sort(key=lambda e: e["on"])  # stable: the profile's admission comes first on its day
        out, current = [], None if moves else unit
        for e in rows:
            current = e["unit"] or current
            if current is None:
                raise DomainError(f"Sự kiện đầu tiên (dòng {e.get('line')} tệp sự kiện) cần Mã tổ chức.", "unit_code")
            out.append(Ev(e["kind"], e["on"], current.id, e["status_after"], e["decision_number"], e["note"]))
        return out

    def _add(self, code: int, v: dict, unit: UnitRow, events, states, periods) -> None:
        name = v["full_name"]
        derived = self.names.get(name)
        if derived is None:
            if len(self.names) > 300_000:  # common names repeat; rare ones must not grow the cache forever
                self.names.clear()
            derived = self.names[name] = (fold(name), name_sort_key(name))
        excused = False
        for e in events:
            if e.kind in (EventKind.EXCUSED, EventKind.RESUMED):
                excused = e.kind == EventKind.EXCUSED
        birth, day = v["birth_date"], self.day
        profile = [v.get(f, empty) for f, empty in self.profile_empty]
        profile[self.birth_at] = day(birth)
        self.rows["m"].append((
            code, *profile, day(v["admitted_on"]), day(v.get("recognized_on")), states[-1][1], excused, unit.id, unit.path, *derived,
            education_level(v.get("degree", ""), v.get("general_education", "")),
            birth.month * 100 + birth.day, self.now))
        for e, (_on, status, unit_id) in zip(events, states, strict=True):
            self.rows["e"].append((code, e.kind, day(e.on), unit_id, self.unit_by_id[unit_id].path, status,
                                   e.decision_number, e.note, self.now))
        for unit_id, status, start, end in periods:
            self.rows["p"].append((code, unit_id, status, day(start), day(end)))
        self.counts["đảng viên"] += 1
        self.counts["sự kiện"] += len(events)

    def flush(self) -> None:
        if self.writing and self.report.ok:
            try:
                with transaction.atomic():  # a savepoint: on SQLite a duplicate CCCD fails the insert here
                    bulk.insert_rows(Member._meta.db_table, self.member_columns(), self.rows["m"])
                    bulk.insert_rows(MemberEvent._meta.db_table, EVENT_TABLE_COLUMNS, self.rows["e"])
                    bulk.insert_rows(MemberPeriod._meta.db_table, PERIOD_TABLE_COLUMNS, self.rows["p"])
            except IntegrityError:
                self.writing = False  # the duplicate is found and reported with its lines at the end
                self.failed_write = True
        else:
            self.writing = False  # an error was found: check the rest of the files, write nothing more
        for rows in self.rows.values():
            rows.clear()

    def _duplicate_cccds(self) -> None:
        ordered = sorted(self.cccds)
        twice = {a for a, b in zip(ordered, ordered[1:], strict=False) if a == b}
        del ordered
        first: dict[int, int] = {}
        for value, line in zip(self.cccds, self.cccd_lines, strict=True):
            if value in twice:
                if value in first:
                    self.report.error(MEMBERS_FILE, line, "Số CCCD", f"{value:012d}",
                                      f"Số CCCD trùng với dòng {first[value]}.")
                else:
                    first[value] = line


def _fast(column) -> Callable[[str], Any]:
    """The column's own parser, remembering what each distinct text parsed to if texts repeat."""
    return column.parse if column.field in UNCACHED else _cached(column.parse)


def _cached(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """`parse`, remembering what each distinct text gave (a CellError is not kept: it is raised again)."""
    cache: dict[str, Any] = {}

    def cached(text: str) -> Any:
        try:
            return cache[text]
        except KeyError:
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            value = cache[text] = parse(text)
            return value

    return cached


_ISO: dict[date, str] = {}


def _iso_day(value: date | None) -> str | None:
    if value is None:
        return None
    text = _ISO.get(value)
    if text is None:
        text = _ISO[value] = value.isoformat()
    return text


@dataclass(slots=True)
class _AnyUnit:
    id: int = 0


_ANY_UNIT = _AnyUnit()


class Ev(NamedTuple):
    """An event as `members.history` reads it, with what the event table also keeps (a tuple: millions
    are made, and a frozen dataclass costs several times more to build)."""

    kind: str
    on: date
    unit_id: int
    status_after: str
    decision_number: str
    note: str


_EVENT_KIND = choice(tuple((value, str(label)) for value, label in EventKind.choices))
_STATUS = choice(tuple((value, str(label)) for value, label in Status.choices))


def _analyze() -> None:
    """Fresh planner statistics for tables that were empty a minute ago (autovacuum would get there later)."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ANALYZE " + ", ".join(m._meta.db_table for m in TABLES))
        else:
            c.execute("ANALYZE")
