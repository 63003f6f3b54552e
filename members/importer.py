"""Member import from Excel or CSV: read the whole sheet, check every row, then write all or nothing.

The file is told apart by its content, not its name: an xlsx is a zip (`sheetreader.read_sheet`),
a CSV is text (`csvsheet.read_csv`); both give the same rows to the same checks.

`validate()` only reads the database. It returns a `Result` holding every error found (row, column,
value as written, Vietnamese message) or, when there is none, the plan: members to create (with
their admission events, as `services.create_member` makes them) and changed fields of members to
update. A dry run stops there. `members.importwrite.apply()` writes a plan in one short transaction,
in bulk: new members, their events and placements through `core.bulk.insert_rows` (COPY on PostgreSQL).
`members.tasks.run_import()` drives both for an `ImportJob` in the background.

Rows are matched to existing members by CCCD; a row without one (an export made for a viewer has
no CCCD column) is matched by name, birth date and cell, and a row whose CCCD is new may so fill
in the CCCD of a member recorded without one. An empty cell leaves the stored value as it is.
Profile rules are `services.check_profile`'s (its CCCD lookup done once for the whole file), so a
row is held to exactly the rules of the form.
"""

import io
import re
from collections import defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models.functions import Upper
from django.utils import timezone

from core.bulk import chunks
from core.errors import DomainError, DomainErrors
from core.memory import cycle_collector_paused
from core.scoping import can
from core.text import fold, vn_date, vn_number
from members import collisions, history, rules, services
from members.csvsheet import looks_like_text, read_csv
from members.models import Member, MemberEvent, Status
from members.sheetreader import Problems, Row, problem, read_sheet
from members.spreadsheet import BY_FIELD, EXAMPLE_NOTE, CellError, tidy, unit_code, written
from orgs import lifespans
from orgs.models import CELL_KINDS, OrgUnit

PROGRESS_EVERY = 500  # rows between two progress updates of the job
CHUNK = 500  # ids per IN (...) query
DATE_FIELDS = ("admitted_on", "recognized_on")
UPDATABLE = {*services.PROFILE_FIELDS, *DATE_FIELDS}
DERIVED = ("folded_name", "sort_key", "education_level", "birth_md")  # Member.fill_derived writes these
# The database defaults as plain values: a column left to its db_default costs bulk_create an
# expression per row and per column, which made writing 10,000 members several times slower.
DB_DEFAULTS = {f.attname: getattr(f.db_default, "value", f.db_default)
               for f in Member._meta.concrete_fields if f.has_db_default()}
# Columns whose unreadable value is still accepted when it is exactly what the matched member's
# record holds: the CCCDs typed in before this system (11 digits, a wrong century digit) that the
# data-quality page lists. An export of such a record must import back unchanged; the file cannot
# write a malformed value, only leave the stored one as it is (`Checker.kept_as_stored`).
KEPT_AS_STORED = {"citizen_id"}


@dataclass
class Create:
    row: int
    member: Member  # unsaved
    events: list[MemberEvent]


@dataclass
class Update:
    row: int
    member_id: int
    changes: dict[str, Any]


@dataclass
class Result:
    errors: Problems = field(default_factory=Problems)  # the first MEMBER_IMPORT_MAX_ERRORS, the rest counted
    total_rows: int = 0
    creates: list[Create] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)  # what would change, row by row, for the page

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str, value: Any, message: str, cell: str = "") -> None:
        self.errors.append(problem(row, column, value, message, cell))

    def summary(self) -> str:
        whole_file = [e["message"] for e in self.errors if e["row"] is None]
        if whole_file:  # the file itself is wrong: say that, not a count
            return " ".join(whole_file) + " Chưa ghi gì."
        if self.errors:
            rows = {e["row"] for e in self.errors if e["row"]}
            where = f" ở {vn_number(len(rows))} dòng" if rows else ""
            if self.errors.left_out:
                where = f" (liệt kê {vn_number(len(self.errors))} lỗi đầu tiên, ở {vn_number(len(rows))} dòng)"
            return f"{vn_number(self.errors.total)} lỗi{where}; chưa ghi gì. Hãy sửa tệp rồi tải lên lại."
        return (f"{vn_number(len(self.creates))} đảng viên mới, {vn_number(len(self.updates))} cập nhật, "
                f"{vn_number(self.unchanged)} không thay đổi.")


# --- checking the rows -----------------------------------------------------------------------------

@cycle_collector_paused()  # a province's sheet is a few hundred thousand objects alive at once (core.memory)
def validate(file, user, unit: OrgUnit, progress: Callable[[int, int], None] | None = None) -> Result:
    """Read and check the whole file; write nothing. `progress(done, total)` is called as rows are checked."""
    result = Result()
    if not can(user, "change", unit.path):
        result.error(None, "", "", f"Bạn không có quyền cập nhật đảng viên của “{unit.name}”.")
        return result
    probed = collisions.used_today(user)
    if probed >= rules.CCCD_COLLISIONS_PER_DAY:  # members.collisions: no more CCCD lookups today
        result.error(None, "", "", collisions.refusal())
        return result
    with _binary(file) as data:
        sheet = read_csv(data) if looks_like_text(data) else read_sheet(data)
    result.errors.extend(sheet.errors)
    if not sheet.readable:
        return result
    rows = sheet.rows
    result.total_rows = len(rows)
    if progress:
        progress(0, len(rows))
    for row in rows:
        _parse(row, result, sheet.letters)
    _mark_duplicate_cccds(rows, result)
    checker = Checker(user, unit, rows, result, sheet.letters)
    checker.run(progress)
    refused = collisions.settle_import(user, unit, checker.collisions, probed)
    if refused:  # past the day's cap: the file's row errors would tell which CCCDs are held elsewhere
        result.errors = []
        result.error(None, "", "", refused)
    if result.errors:  # all or nothing: a file with an error changes nothing, so there is no plan to show
        result.creates, result.updates, result.changes, result.unchanged = [], [], [], 0
    return result


def _binary(file):
    """A binary file object at its start, from a path, bytes, an upload or an open file."""
    if isinstance(file, str | Path):
        return open(file, "rb")  # noqa: SIM115 - closed by the caller's with
    if isinstance(file, bytes):
        return io.BytesIO(file)
    file.seek(0)
    return nullcontext(file)  # the caller's file stays open


def _parse(row: Row, result: Result, letters: dict[str, str]) -> None:
    if tidy(str(row.raw.get("notes", ""))) == EXAMPLE_NOTE:
        result.error(row.number, "Ghi chú", EXAMPLE_NOTE, "Đây là dòng ví dụ của tệp mẫu; hãy xóa dòng này trước khi "
                                                          "nhập.", row.cells["notes"])
        row.bad = True
        return
    for name, raw in row.raw.items():
        column = BY_FIELD[name]
        if name in row.formulas:
            continue
        try:
            row.values[name] = column.parse(raw)
        except CellError as e:
            if name in KEPT_AS_STORED:
                row.deferred[name] = e.message
                continue
            result.error(row.number, column.header, raw, e.message, row.cells[name])
            row.bad = True
    for column in BY_FIELD.values():
        if column.required and column.field not in row.raw:
            result.error(row.number, column.header, "", f"Thiếu “{column.header}” (cột bắt buộc).",
                         f"{letters[column.field]}{row.number}")
            row.bad = True


def _mark_duplicate_cccds(rows: list[Row], result: Result) -> None:
    seen: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.values.get("citizen_id"):
            seen[row.values["citizen_id"]].append(row)
    for same in seen.values():
        if len(same) > 1:
            for row in same:
                others = ", ".join(str(r.number) for r in same if r is not row)
                result.error(row.number, "Số CCCD", row.raw["citizen_id"],
                             f"Số CCCD trùng với dòng {others} trong cùng tệp.", row.cells["citizen_id"])
                row.bad = True


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, str) and isinstance(new, str):
        return " ".join(tidy(old).split()) == " ".join(new.split())
    return old == new or (old in ("", None) and new in ("", None))


class Checker:
    """The checks that need the database, done with a handful of bulk reads for the whole file."""

    def __init__(self, user, unit: OrgUnit, rows: list[Row], result: Result, letters: dict[str, str]):
        self.user, self.unit, self.rows, self.result, self.letters = user, unit, rows, result, letters
        good = [r for r in rows if not r.bad]
        self.units = self._units({r.values["unit_code"] for r in good})
        # When each cell of the file existed, read once: what happened in it must fall within (no query a row).
        self.lifespans = lifespans.of_units(u for found in self.units.values() for u in found)
        self.by_cccd = self._members_by_cccd([r.values["citizen_id"] for r in good if r.values.get("citizen_id")])
        self.by_name = self._members_by_name(good)
        self.matched: dict[int, int] = {}  # member id -> row number
        self.collisions: list[Member] = []  # holders of a CCCD of the file out of the user's reach
        self.today = timezone.localdate()

    def _units(self, codes: set[str]) -> dict[str, list[OrgUnit]]:
        scope = OrgUnit.objects.visible_to(self.user, "change")
        ids = [int(c[1:]) for c in codes if re.fullmatch(r"#\d+", c)]
        found: dict[str, list[OrgUnit]] = defaultdict(list)
        for u in scope.annotate(upper_code=Upper("code")).filter(upper_code__in=codes):
            found[u.upper_code].append(u)
        for u in scope.filter(pk__in=ids):
            found[f"#{u.pk}"].append(u)
        return found

    def _members_by_cccd(self, cccds: list[str]) -> dict[str, Member]:
        # Unscoped on purpose: a CCCD must be unique in the whole system. Who holds it is told
        # only when the user may change that member.
        out = {}
        for chunk in chunks(cccds, CHUNK):
            out.update((m.citizen_id, m) for m in Member.objects.filter(citizen_id__in=chunk).select_related("unit"))
        return out

    def _members_by_name(self, rows: list[Row]) -> dict[tuple, list[Member]]:
        """The members a row without a CCCD on record may be: same folded name, birth date and cell.

        Read a few hundred rows at a time, sorted by cell, each read bounded by the members of the
        cells of those rows. Reading by name alone would pull in every namesake of the scope, all
        of a province for a file of 100,000 rows (or of the nation, for a national officer).
        """
        keys = set()
        for r in rows:
            unit = self._resolved(r.values["unit_code"])
            if unit is not None and r.values.get("citizen_id") not in self.by_cccd:
                keys.add((unit.pk, fold(r.values["full_name"]), r.values["birth_date"]))
        scope = Member.objects.visible_to(self.user, "change").select_related("unit")
        out: dict[tuple, list[Member]] = defaultdict(list)
        for chunk in chunks(sorted(keys), CHUNK):
            wanted = set(chunk)
            found = scope.filter(unit_id__in={k[0] for k in chunk}, folded_name__in={k[1] for k in chunk},
                                 birth_date__in={k[2] for k in chunk})
            for m in found:
                if (m.unit_id, m.folded_name, m.birth_date) in wanted:
                    out[(m.folded_name, m.birth_date, m.unit_id)].append(m)
        return out

    def _resolved(self, code: str) -> OrgUnit | None:
        try:
            return self.resolve(code)
        except DomainError:  # reported when the row is checked
            return None

    def run(self, progress) -> None:
        total = len(self.rows)
        for done, row in enumerate(self.rows, start=1):
            if row.bad:  # no member to compare with: an unreadable value is an error like any other
                for name, message in row.deferred.items():
                    self.fail(row, name, message)
            else:
                try:
                    self.check(row)
                except DomainError as e:
                    for problem in e.each():
                        self.fail(row, problem.field, problem.message)
            if progress and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)

    def fail(self, row: Row, name: str | None, message: str) -> None:
        column = BY_FIELD.get(name or "")
        letter = self.letters.get(name or "")
        cell = row.cells.get(name or "") or (f"{letter}{row.number}" if letter else "")
        self.result.error(row.number, column.header if column else "", row.raw.get(name or ""), message, cell)
        row.bad = True

    def resolve(self, code: str) -> OrgUnit:
        candidates = self.units.get(code, [])
        if not candidates:
            raise DomainError(f"Không có chi bộ mã “{code}” trong phạm vi bạn được cập nhật; xem các mã ở trang tính "
                              "“Danh mục” của tệp mẫu.", "unit_code")
        inside = [u for u in candidates if u.path.startswith(self.unit.path)]
        if not inside:
            raise DomainError(f"Chi bộ mã “{code}” ({candidates[0].name}) không thuộc {self.unit.name}, đơn vị đang "
                              "nhập.", "unit_code")
        open_units = [u for u in inside if u.is_open] or inside
        if len(open_units) > 1:
            ids = ", ".join(f"#{u.pk} ({u.name})" for u in open_units)
            raise DomainError(f"Mã “{code}” dùng cho nhiều tổ chức; hãy ghi mã dạng #số: {ids}.", "unit_code")
        return open_units[0]

    def open_cell(self, code: str) -> OrgUnit:
        unit = self.resolve(code)
        if not unit.is_open:
            raise DomainError(f"“{unit.name}” đã kết thúc hoạt động từ {vn_date(unit.valid_to)}; hãy ghi mã chi bộ "
                              "đang hoạt động.", "unit_code")
        if unit.kind not in CELL_KINDS:
            raise DomainError(f"“{unit.name}” không phải chi bộ; đảng viên sinh hoạt ở chi bộ, hãy ghi mã chi bộ.",
                              "unit_code")
        return unit

    def match(self, row: Row) -> Member | None:
        v = row.values
        cccd = v.get("citizen_id")
        if cccd and cccd in self.by_cccd:
            member = self.by_cccd[cccd]
            if not can(self.user, "change", member.org_path):
                self.collisions.append(member)
                raise DomainError("Số CCCD đã có trong hệ thống, thuộc đơn vị ngoài phạm vi của bạn.", "citizen_id")
            if not member.org_path.startswith(self.unit.path):
                raise DomainError(f"Số CCCD đã có trong hồ sơ đảng viên {member.full_name} ({member.unit.name}), ngoài "
                                  f"{self.unit.name}; hãy nhập dòng này vào đơn vị đó.", "citizen_id")
            return member
        unit = self.resolve(v["unit_code"])
        same = self.by_name.get((fold(v["full_name"]), v["birth_date"], unit.pk), [])
        if cccd:  # a new CCCD may complete a member recorded without one, never replace another
            same = [m for m in same if not m.citizen_id]
        if len(same) > 1:
            raise DomainError(f"Có {len(same)} đảng viên cùng họ tên và ngày sinh trong {unit.name}; hãy ghi Số CCCD "
                              "để phân biệt.", "full_name")
        return same[0] if same else None

    def check(self, row: Row) -> None:
        """Raise every fault of the row at once (`DomainErrors`): its values are checked even when it
        names no member or cell we can tell, so that one correction of the file is enough."""
        v = row.values
        problems = []
        if v.get("recognized_on") and v["status"] == Status.PROBATIONARY:
            problems.append(DomainError("Đảng viên dự bị chưa có ngày chính thức; hãy để trống ô này hoặc sửa trạng "
                                        "thái.", "recognized_on"))
        try:
            member = self.match(row)
        except DomainError as e:
            problems.append(e)
            member = None
        problems.extend(self.kept_as_stored(row, member))
        if member is None:
            return self.check_new(row, problems)
        DomainErrors.raise_any(problems)
        if member.pk in self.matched:
            raise DomainError(f"Dòng này và dòng {self.matched[member.pk]} cùng là đảng viên {member.full_name}.",
                              "full_name")
        self.matched[member.pk] = row.number
        self.check_update(row, member)

    @staticmethod
    def kept_as_stored(row: Row, member: Member | None) -> list[DomainError]:
        """The unreadable values of the row that are not exactly what `member` already holds."""
        return [DomainError(message, name) for name, message in row.deferred.items()
                if member is None or tidy(written(row.raw[name])) != (getattr(member, name) or "")]

    def check_new(self, row: Row, problems: list[DomainError]) -> None:
        v = row.values
        unit = None
        if not any(p.field == "unit_code" for p in problems):
            try:
                unit = self.open_cell(v["unit_code"])
            except DomainError as e:
                problems.append(e)
        fields = {k: val for k, val in v.items() if k in UPDATABLE}
        member = Member(unit=unit, status=v["status"], **{**DB_DEFAULTS, **fields})
        if member.status == Status.OFFICIAL and member.recognized_on is None and member.admitted_on:
            member.recognized_on = rules.end_of_probation(member.admitted_on)  # as services.create_member does
        DomainErrors.raise_any(problems + self.profile_problems(member))
        events = services._initial_events(member, member.status, member.recognized_on)
        DomainErrors.raise_any(services.unit_date_problems(events, self.lifespans, services.PROFILE_DATES))
        member.fill_derived()
        self.result.creates.append(Create(row.number, member, events))
        self.result.changes.append({"row": row.number, "name": member.full_name, "action": "create",
                                    "unit": unit.name})

    def check_update(self, row: Row, member: Member) -> None:
        v = row.values
        if v["unit_code"] != unit_code(member.unit).upper():
            raise DomainError(f"Đảng viên này đang sinh hoạt ở {member.unit.name} (mã {unit_code(member.unit)}); "
                              "chuyển sinh hoạt hãy ghi trên trang đảng viên, không qua nhập tệp.", "unit_code")
        if v["status"] != member.status:
            raise DomainError(f"Hồ sơ đang là “{member.get_status_display()}”; trạng thái chỉ đổi qua sự kiện (công "
                              "nhận chính thức, chuyển đi…) trên trang đảng viên.", "status")
        changes = {k: val for k, val in v.items() if k in UPDATABLE and not _same(getattr(member, k), val)}
        if not changes:
            self.result.unchanged += 1
            return
        before = {k: getattr(member, k) for k in changes}
        for k, val in changes.items():
            setattr(member, k, val)
        try:
            DomainErrors.raise_any(self.profile_problems(member))
            if set(changes) & set(DATE_FIELDS):
                self._check_dates(member, self.lifespans)
        finally:
            for k, val in before.items():
                setattr(member, k, val)
        self.result.updates.append(Update(row.number, member.pk, changes))
        self.result.changes.append({"row": row.number, "name": member.full_name, "action": "update", "fields": [
            {"column": BY_FIELD[k].header, "before": _shown(k, before[k]), "after": _shown(k, val)}
            for k, val in changes.items()]})

    def profile_problems(self, member: Member) -> list[DomainError]:
        # `services.check_profile` without its query for a CCCD held by someone else, one per row
        # (two thirds of the time of a large file): `_members_by_cccd` read every CCCD of the file in
        # one query, and a row whose CCCD is on record was matched to that very member (`match`), so
        # the CCCD of a member created or updated here is free; duplicates within the file are
        # caught by `_mark_duplicate_cccds`.
        return services.profile_problems(member.birth_date, member.gender, member.citizen_id, member.admitted_on,
                                         member.recognized_on, self.today, **services.consent_of(member))

    @staticmethod
    def _check_dates(member: Member, spans: dict) -> None:
        # The admission and recognition dates also date the events: the history must still hold.
        events = list(member.events.all())
        # The profile dates the first admission and the latest recognition (a re-admitted member has two).
        latest = max((e for e in events if e.kind == history.K.RECOGNIZED), key=lambda e: e.on, default=None)
        for e in events:
            if e.kind == history.K.ADMITTED:
                e.on = member.admitted_on
            elif e is latest and member.recognized_on:
                e.on = member.recognized_on
        history.replay(events)
        # A member's past units need not be the file's: read those (a row that changes a date is rare).
        spans.update(lifespans.load({e.unit_id for e in events} - set(spans)))
        DomainErrors.raise_any(services.unit_date_problems(events, spans, services.PROFILE_DATES))


def _shown(name: str, value: Any) -> str:
    column = BY_FIELD[name]
    if column.choices:
        return dict(column.choices).get(value, value or "")
    return written(value)
