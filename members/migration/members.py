"""`dang_vien.csv` and `su_kien.csv`, read side by side: each member checked with their history and
written with their events and placements, in batches."""

import csv
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from time import perf_counter
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import bulk
from core.errors import DomainError, DomainErrors
from core.text import fold, name_sort_key, vn_number
from members import history
from members.choices import ACTIVE, EventKind, LeaveReason, Status, education_level
from members.migration.files import (
    EVENT_COLUMNS,
    EVENTS_FILE,
    MEMBER_CODE,
    MEMBERS_FILE,
    OPTIONAL_EVENT_COLUMNS,
    UNITS_FILE,
    Report,
    rows_of,
)
from members.migration.units import UnitRow
from members.models import LEFT_STATUSES, MAJORITY_ETHNICITY, Member, MemberEvent, MemberPeriod
from members.rules import party_age
from members.services import PROFILE_DATES, history_problems, profile_problems, unit_date_problems
from members.spreadsheet import BY_FIELD, CellError, choice, key, match_headers, parse_date, tidy
from orgs.lifespans import Lifespan
from orgs.models import CELL_KINDS

BATCH = 20_000  # members per write; their events and placements go with them
UNIT_CHANGES = {EventKind.MOVED, EventKind.TRANSFERRED_IN}
# Profile columns copied from the file (the state columns are derived from the events).
PROFILE = [c.field for c in BY_FIELD.values()
           if c.importable and c.field not in ("unit_code", "status", "admitted_on", "recognized_on")]
STATE_COLUMNS = ["admitted_on", "recognized_on", "status", "is_excused", "left_party_months", "unit_id", "org_path",
                 "folded_name", "sort_key", "education_level", "birth_md", "updated_at"]
REQUIRED = [c for c in BY_FIELD.values() if c.required]
# Columns holding one of few values (labels, dates, places) are parsed once per distinct text.
UNCACHED = {"full_name", "birth_name", "alias", "citizen_id", "phone", "email", "party_card_number", "notes",
            "permanent_address", "current_address"}
CACHE_LIMIT = 200_000
EVENT_TABLE_COLUMNS = ["member_id", "kind", "on", "unit_id", "org_path", "status_after", "decision_number", "note",
                       "reason", "created_at", "from_unit_id"]
PERIOD_TABLE_COLUMNS = ["member_id", "unit_id", "status", "valid_from", "valid_to"]
# What an empty cell stores; "" for the others.
EMPTY = {"citizen_id": None, "ethnicity": MAJORITY_ETHNICITY, "over_age_consent_on": None}
_LEAVE_REASON = choice(tuple((value, str(label)) for value, label in LeaveReason.choices))


class MemberLoader:
    """Reads the member and event files side by side, checks each member with their history and
    writes them in batches."""

    def __init__(self, folder: Path, units: list[UnitRow], report: Report, progress):
        self.members_path, self.events_path = folder / MEMBERS_FILE, folder / EVENTS_FILE
        self.units = {u.code: u for u in units}
        self.unit_by_id = {u.id: u for u in units}
        # Each unit's one span, as the versions written from the unit file will hold it.
        self.spans = {u.id: Lifespan(u.name, [(u.valid_from, u.valid_to)]) for u in units if u.valid_from}
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
                self.dates_at = [i for i, f in enumerate(self.profile) if BY_FIELD[f].is_date and f != "birth_date"]
                self.code_at = code_at
                for cells in reader:
                    if any(cells):
                        yield reader.line_num, cells
        except UnicodeDecodeError:
            report.error(name, None, "", "", f"Tệp {name} không ở mã UTF-8; hãy lưu lại dạng “CSV UTF-8”.")

    def _event_rows(self) -> Iterator[tuple[int, int, dict]]:
        """(line, member code, parsed event) in file order; bad rows are reported and skipped."""
        last = (0, date.min)
        for line, r in rows_of(self.events_path, self.report, EVENT_COLUMNS, OPTIONAL_EVENT_COLUMNS):
            try:
                code = self._code(r["member"])
                e = {"kind": self.event_kind(r["kind"]), "on": self.event_day(r["on"]),
                     "unit": self._unit(r["unit"]) if r["unit"] else None,
                     "status_after": self.event_status(r["status_after"]) if r["status_after"] else "",
                     "decision_number": tidy(r["decision_number"])[:60], "note": tidy(r["note"])[:255],
                     "reason": _LEAVE_REASON(r["reason"]) if r["reason"] else "", "line": line}
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
                                    v.get("recognized_on"), self.today, consent_number=v.get("over_age_consent_number", ""),
                                    consent_on=v.get("over_age_consent_on"))
        try:
            unit = self._unit(v["unit_code"])
        except CellError as e:
            problems.insert(0, DomainError(e.message, "unit_code"))
        DomainErrors.raise_any(problems)  # every fault of the row at once
        if v.get("citizen_id"):
            self.cccds.append(int(v["citizen_id"]))
            self.cccd_lines.append(line)
        if file_events:
            events = self._history(v, unit, file_events)
            states = history.replay(events)
            DomainErrors.raise_any(history_problems(events) + unit_date_problems(events, self.spans, PROFILE_DATES))
            periods = history.periods(events)
        else:  # most members: admitted, perhaps recognized, in the cell they are in now
            events, states, periods = self._plain_history(v, unit)
            if events[0].on < unit.valid_from or unit.valid_to is not None:  # the one test most members need
                DomainErrors.raise_any(unit_date_problems(events, self.spans, PROFILE_DATES))
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
            shape = self.shapes[key] = (events, history.replay(events), history.periods(events))
        events, states, periods = shape
        uid = unit.id
        return ([Ev(e.kind, e.on, uid, e.status_after, "", "") for e in events],
                [(on, status, uid) for on, status, _u in states],
                [(uid, status, start, end) for _u, status, start, end in periods])

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
                             "note": "", "reason": ""})
        rows.extend(file_events)
        rows.sort(key=lambda e: e["on"])  # stable: the profile's admission comes first on its day
        out, current = [], None if moves else unit
        for e in rows:
            current = e["unit"] or current
            if current is None:
                raise DomainError(f"Sự kiện đầu tiên (dòng {e.get('line')} tệp sự kiện) cần Mã tổ chức.", "unit_code")
            out.append(Ev(e["kind"], e["on"], current.id, e["status_after"], e["decision_number"], e["note"],
                          e["reason"]))
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
        for i in self.dates_at:
            profile[i] = day(profile[i])
        self.rows["m"].append((
            code, *profile, day(v["admitted_on"]), day(v.get("recognized_on")), states[-1][1], excused,
            _left_party_months(states[-1][1], events, v["admitted_on"]), unit.id, unit.path, *derived,
            education_level(v.get("degree", ""), v.get("general_education", "")),
            birth.month * 100 + birth.day, self.now))
        before = None  # the unit the member was in before each event: a move's or transfer in's from_unit
        for e, (_on, status, unit_id) in zip(events, states, strict=True):
            self.rows["e"].append((code, e.kind, day(e.on), unit_id, self.unit_by_id[unit_id].path, status,
                                   e.decision_number, e.note, e.reason, self.now,
                                   before if e.kind in UNIT_CHANGES else None))
            before = unit_id
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


def _left_party_months(status: str, events, admitted_on: date) -> int | None:
    # As `Member.fill_left_party_months`: the party age a former member reached (most members: None).
    if status not in LEFT_STATUSES:
        return None
    return party_age(history.party_intervals(events, admitted_on), events[-1].on).total_months


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
    reason: str = ""


_EVENT_KIND = choice(tuple((value, str(label)) for value, label in EventKind.choices))
_STATUS = choice(tuple((value, str(label)) for value, label in Status.choices))

