"""Party badges (Huy hiệu Đảng, rules §2): who is due on an award date, recording an award, and the
list in Word and Excel.

Due on award date D for milestone Y: the party age (`Member.party_age`, gaps taken out) reaches Y years
in the window (previous award date, D]. A member who reached it earlier was due at an earlier award
date and is not carried over: with records imported without their award history, "reached and never
recorded" would list every long-standing member. A late award can still be recorded for them. Members
with an award of those years on record are left out. Only members active today are listed: a deceased
member's badge is a posthumous award, recorded with its own rule.

At national scale (5.6 million members) party age is computed in Python only for the candidates:
`MemberQuerySet.party_age_at_least` decides members who never left by their admission date, so a
milestone's due list is the few weeks of admissions between two bounds plus the re-admitted few.
"""

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook

from audit.services import record
from core import partydoc
from core.errors import DomainError
from core.text import vn_date, vn_number
from members import rules
from members.choices import ACTIVE, EventKind, Status, years_before
from members.exporter import _header_cells, _safe, _TextCell, heading
from members.models import CARRY_DAYS, BadgeAward, Member, MemberEvent
from members.spreadsheet import Column
from orgs.models import CELL_KINDS, OrgUnit


@dataclass
class Due:
    member: Member
    years: int
    age: rules.PartyAge  # on the award date


def due_on(members, on: date) -> list[Due]:
    """The members of `members` (already `visible_to` the user) due for a badge on award date `on`,
    without one of those years on record, in unit then Vietnamese name order."""
    previous = rules.previous_award_date(on)
    active = members.filter(status__in=ACTIVE)
    readmitted = active.filter(pk__in=MemberEvent.objects.filter(kind=EventKind.READMITTED).values("member_id"))
    years_of: dict[int, int] = {}
    for years in rules.rule("BADGE_MILESTONES"):
        # Candidates: one range of the admitted_on index (admitted after the previous date's bound, since
        # reaching it then means due then, and no later than this date's bound and the carry days; a gap
        # only delays), and the re-admitted few, whose first admission says nothing. Two queries rather
        # than one with an OR, so that the database reads the range from the index.
        window = active.filter(admitted_on__gt=years_before(previous, years),
                               admitted_on__lte=years_before(on, years) + timedelta(days=CARRY_DAYS))
        for base in (window, readmitted):
            due = (base.party_age_at_least(years, on)
                   .exclude(pk__in=list(base.party_age_at_least(years, previous).values_list("pk", flat=True)))
                   .exclude(pk__in=BadgeAward.objects.filter(years=years).values("member_id")))
            years_of.update(dict.fromkeys(due.values_list("pk", flat=True), years))
    rows = list(Member.objects.filter(pk__in=list(years_of)).select_related("unit").order_by("org_path", "sort_key", "id"))
    prefetch_related_objects(rows, "events")
    return [Due(m, years_of[m.pk], m.party_age(on)) for m in rows]


def check_on(value: str | None, today: date | None = None) -> date:
    """The award date asked for (dd/mm/yyyy or yyyy-mm-dd), or the next one from today when none is."""
    if not value:
        return rules.next_award_date(today or timezone.localdate())
    try:
        day = _parse_vn(value) if "/" in value else date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(f"“{value}” không phải một ngày: hãy ghi theo dạng ngày/tháng/năm, ví dụ 03/02/2027.",
                          field="on") from None
    problem = rules.check_award_date(day)
    if problem:
        raise DomainError(problem, field="on")
    return day


def _parse_vn(value: str) -> date:
    d, m, y = (int(p) for p in value.strip().split("/"))
    return date(y, m, d)


# --- recording an award -----------------------------------------------------------------------------

def record_award(member: Member, *, years: int, awarded_on: date, decision_number: str, early: str = "",
                 early_reason: str = "", by) -> BadgeAward:
    """Record that `member` got the badge of `years`: guard, write, audit, in one transaction."""
    _check_award(member, years, awarded_on, decision_number.strip(), early, early_reason.strip())
    with transaction.atomic():
        award = BadgeAward.objects.create(member=member, years=years, awarded_on=awarded_on,
                                          decision_number=decision_number.strip(), early=early,
                                          early_reason=early_reason.strip(), recorded_by=by)
        record("members.badge.awarded", actor=by, obj=member, unit_path=member.org_path, unit_name=member.unit.name,
               after={"years": years, "awarded_on": awarded_on.isoformat(), "decision_number": award.decision_number,
                      "early": early, "early_reason": award.early_reason})
    return award


def _check_award(member: Member, years: int, awarded_on: date, number: str, early: str, reason: str) -> None:
    milestones = rules.rule("BADGE_MILESTONES")
    if years not in milestones:
        raise DomainError(f"{years} năm không phải mốc Huy hiệu Đảng; các mốc là "
                          f"{', '.join(map(str, milestones))} năm tuổi đảng ({rules.BADGE_RULE}).", field="years")
    problem = rules.check_award_date(awarded_on)
    if problem:
        raise DomainError(problem, field="awarded_on")
    upcoming = rules.next_award_date(timezone.localdate())
    if awarded_on > upcoming:
        raise DomainError(f"Ngày trao {vn_date(awarded_on)} còn xa: chỉ ghi được huy hiệu đến đợt trao gần nhất "
                          f"({vn_date(upcoming)}).", field="awarded_on")
    if not number:
        raise DomainError("Hãy ghi số quyết định tặng Huy hiệu Đảng.", field="decision_number")
    if BadgeAward.objects.filter(member=member, years=years).exists():
        raise DomainError(f"Đảng viên này đã được ghi nhận Huy hiệu {years} năm tuổi Đảng.", field="years")
    posthumous = early == BadgeAward.Early.POSTHUMOUS
    if posthumous and member.status != Status.DECEASED:
        raise DomainError("Chỉ truy tặng cho đảng viên đã từ trần.", field="early")
    if not posthumous and member.status not in ACTIVE:
        raise DomainError("Chỉ trao Huy hiệu Đảng cho đảng viên đang sinh hoạt (đảng viên đã từ trần: chọn "
                          "“Truy tặng”).", field="early")
    short = years * 12 - member.party_age(awarded_on).total_months  # months still to go on the award date
    if short <= 0:
        return
    age = member.party_age(awarded_on)
    if not early:
        raise DomainError(f"Ngày {vn_date(awarded_on)} đảng viên mới có {age} tuổi đảng, chưa đủ {years} năm. Chỉ "
                          f"trao sớm khi đảng viên ốm đau nặng hoặc truy tặng đảng viên đã từ trần ({rules.BADGE_RULE}): "
                          "hãy chọn lý do trao sớm.", field="early")
    if not reason:
        raise DomainError("Trao sớm phải ghi lý do (tờ trình của cấp ủy phải nêu rõ lý do).", field="early_reason")
    limit = rules.early_award_months(years, posthumous)
    if short > limit:
        what = "truy tặng" if posthumous else f"đảng viên ốm đau nặng, mốc {years} năm"
        raise DomainError(f"Ngày {vn_date(awarded_on)} đảng viên mới có {age} tuổi đảng, còn {short} tháng nữa mới "
                          f"đủ {years} năm; {what} chỉ được trao sớm tối đa {limit} tháng ({rules.BADGE_RULE}).",
                          field="early")


# --- exports ----------------------------------------------------------------------------------------

COLUMNS = [("STT", 1.4), ("Họ và tên", 5.0), ("Ngày sinh", 2.9), ("Ngày vào Đảng", 2.9), ("Chi bộ", 5.6),
           ("Tuổi đảng", 3.4), ("Huy hiệu", 2.2), ("Ghi chú", 1.8)]
TEXT_COLUMNS = (1, 4, 7)


def _values(n: int, row: Due) -> list[str]:
    m = row.member
    return [str(n), m.full_name, vn_date(m.birth_date), vn_date(m.admitted_on), m.unit.name, str(row.age),
            f"{row.years} năm", ""]


def export_docx(rows: list[Due], unit: OrgUnit, on: date) -> bytes:
    """"Danh sách đảng viên đề nghị tặng Huy hiệu Đảng" for award date `on`, in the layout of the member list."""
    doc = partydoc.new(landscape=True, size=13)
    heading(doc, unit, timezone.localdate())
    partydoc.line(doc, "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG", size=15, bold=True)
    partydoc.line(doc, f"{unit.name}, đợt {vn_date(on)}", size=14, italic=True)
    partydoc.line(doc, "")
    table = partydoc.header_table(doc, COLUMNS)
    for n, row in enumerate(rows, start=1):  # a badge round is a few hundred rows at most: add_row is enough
        for i, (cell, value) in enumerate(zip(table.add_row().cells, _values(n, row), strict=True)):
            partydoc.line(cell, value, first=True, align=WD_ALIGN_PARAGRAPH.LEFT if i in TEXT_COLUMNS
                  else WD_ALIGN_PARAGRAPH.CENTER)
    partydoc.set_widths(table, [width for _, width in COLUMNS])
    partydoc.line(doc, f"Tổng số: {vn_number(len(rows))} đảng viên.", align=WD_ALIGN_PARAGRAPH.LEFT, italic=True)
    partydoc.line(doc, "")
    _left, right = partydoc.two_columns(doc)
    partydoc.line(right, f"T/M {'CHI BỘ' if unit.kind in CELL_KINDS else 'ĐẢNG ỦY'}", first=True, size=14, bold=True)
    partydoc.line(right, "BÍ THƯ", size=14, bold=True)
    return partydoc.to_bytes(doc)


def export_xlsx(rows: list[Due], on: date) -> bytes:
    """The same list as a sheet; names and units written as text cells (never run as formulas)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Huy hiệu Đảng")
    ws.append(_header_cells(ws, [Column(h, "") for h, _ in COLUMNS[:-1]] + [Column("Ngày trao", "")]))
    for n, row in enumerate(rows, start=1):
        m = row.member
        ws.append([n, _safe(ws, _TextCell(m.full_name)), _safe(ws, m.birth_date), _safe(ws, m.admitted_on),
                   _safe(ws, _TextCell(m.unit.name)), _safe(ws, _TextCell(str(row.age))), row.years, _safe(ws, on)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
