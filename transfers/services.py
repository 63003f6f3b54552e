"""Transfer workflows: start (the letter), present, accept, refuse, cancel, return.

Each: guard (rules, who may act, the step order) → change inside one transaction → `audit.services.record`
→ (nothing after commit yet). Refusals are `DomainError`s with a Vietnamese message naming the rule and how to
fix it; nothing is written then. The member's status and placement change only through
`members.services.record_event`, on the day of acceptance (and of the return). `by` may be None only for the
demo load and tests.

Which events an accepted transfer writes, and why:

- official, inside the system: TRANSFERRED_OUT at the sending cell, then TRANSFERRED_IN at the receiving cell,
  both on the acceptance day. `members.history` foresees exactly this pair (a member transferred out may only
  be transferred in), so the placement in A ends the day before and the one in B starts that day; the tallies
  take the member off A's path and onto B's in the same transaction (the province's total does not move);
  the history shows “chuyển đi” at A and “chuyển đến” at B, as both units' paper records have it; the signal
  `member_left` ends the posts the member held in A's bodies (a MOVED, kept for moves inside one đảng bộ and
  for restructurings, would leave them open and show no transfer out of A).
- official, outside the system: TRANSFERRED_OUT alone: the member leaves the tree, the record stays.
- temporary: TEMP_OUT at acceptance and TEMP_BACK at the return, both at the home cell: the member's unit does
  not change, so the home cell keeps counting them and the receiving unit does not (rules.md §8).
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record
from calendars.workdays import add_working_days
from core.errors import DomainError
from core.scoping import can
from core.text import vn_date
from members import services as member_services
from members.choices import EventKind
from members.models import Member
from members.rules import add_months
from orgs.models import Kind as UnitKind
from orgs.models import OrgUnit
from transfers import letter, rules
from transfers.models import ALLOWED, Kind, Purpose, Status, Transfer

ACTION = "change"
# Units a letter may be addressed to: a cell, or a committee that assigns the member to one of its cells.
RECEIVING_KINDS = {UnitKind.CELL, UnitKind.GRASSROOTS_CELL, UnitKind.COMMUNE, UnitKind.GRASSROOTS_COMMITTEE,
                   UnitKind.SUB_COMMITTEE}
CELL_KINDS = {UnitKind.CELL, UnitKind.GRASSROOTS_CELL}


def _today() -> date:
    return timezone.localdate()


def _not_future(day: date, what: str, field: str) -> None:
    if day > _today():
        raise DomainError(f"{what} {vn_date(day)} chưa đến; chỉ ghi việc đã diễn ra (hôm nay là "
                          f"{vn_date(_today())}).", field=field)


def _may_act(by, unit: OrgUnit, side: str) -> None:
    if by is not None and not can(by, ACTION, unit.path):
        raise DomainError(f"Bạn không có quyền ghi việc chuyển sinh hoạt của {side} “{unit.name}”.")


def present_due(started_on: date) -> date:
    return add_working_days(started_on, rules.rule("PRESENT_WORKING_DAYS"))


def start_deadline(reason_on: date) -> date:
    return add_working_days(reason_on, rules.rule("START_WORKING_DAYS"))


def temporary_limits(purpose: str, start: date) -> tuple[date, date, bool]:
    """(earliest end, latest end, whether the latest is allowed itself) of a temporary stay from `start`."""
    shortest = add_months(start, rules.rule("TEMPORARY_MIN_MONTHS"))
    if purpose == Purpose.STUDY:
        return shortest, add_months(start, rules.rule("TEMPORARY_STUDY_MAX_MONTHS")), True
    return shortest, add_months(start, rules.rule("TEMPORARY_MAX_MONTHS")), False


def check_temporary(purpose: str, start: date | None, until: date | None) -> None:
    if start is None or until is None:
        raise DomainError("Chuyển sinh hoạt tạm thời phải ghi thời gian sinh hoạt tạm thời (từ ngày, đến ngày).",
                          field="temp_until" if start else "temp_from")
    shortest, longest, inclusive = temporary_limits(purpose, start)
    if until < shortest:
        raise DomainError(f"Sinh hoạt tạm thời phải từ {rules.rule('TEMPORARY_MIN_MONTHS')} tháng trở lên: từ "
                          f"{vn_date(start)} thì đến ngày {vn_date(shortest)} hoặc sau ({rules.TEMPORARY_RULE}). "
                          "Ngắn hơn thì không phải chuyển sinh hoạt.", field="temp_until")
    if purpose == Purpose.STUDY and until > longest:
        raise DomainError(f"Đi học tập trung chỉ chuyển sinh hoạt tạm thời đến "
                          f"{rules.rule('TEMPORARY_STUDY_MAX_MONTHS') // 12} năm: từ {vn_date(start)} thì chậm nhất "
                          f"đến {vn_date(longest)} ({rules.TEMPORARY_RULE}).", field="temp_until")
    if purpose != Purpose.STUDY and until >= longest:
        raise DomainError(f"Chuyển sinh hoạt tạm thời (không phải đi học) phải dưới "
                          f"{rules.rule('TEMPORARY_MAX_MONTHS')} tháng: từ {vn_date(start)} thì trước ngày "
                          f"{vn_date(longest)} ({rules.TEMPORARY_RULE}). Lâu hơn thì chuyển sinh hoạt chính thức.",
                          field="temp_until")


def _check_destination(member: Member, to_unit: OrgUnit | None, to_outside: str) -> None:
    if to_unit is None and not to_outside.strip():
        raise DomainError("Hãy chọn tổ chức đảng nơi đến, hoặc ghi tên tổ chức đảng ngoài hệ thống.", field="to_unit")
    if to_unit is not None and to_outside.strip():
        raise DomainError("Chỉ chọn một nơi đến: tổ chức trong hệ thống hoặc tên tổ chức ngoài hệ thống.",
                          field="to_outside")
    if to_unit is None:
        return
    if to_unit.pk == member.unit_id or member.org_path.startswith(to_unit.path):
        raise DomainError(f"{member.full_name} đang sinh hoạt ở “{member.unit.name}”, thuộc “{to_unit.name}”: không "
                          "chuyển sinh hoạt đến chính tổ chức đang sinh hoạt. Hãy chọn tổ chức nơi đến khác.",
                          field="to_unit")
    if not to_unit.is_open:
        raise DomainError(f"“{to_unit.name}” đã kết thúc hoạt động ngày {vn_date(to_unit.valid_to)}: không chuyển "
                          "sinh hoạt đến tổ chức đã giải thể, sáp nhập. Hãy chọn tổ chức đang hoạt động.",
                          field="to_unit")
    if to_unit.kind not in RECEIVING_KINDS:
        raise DomainError(f"“{to_unit.name}” ({to_unit.get_kind_display()}) không nhận đảng viên: hãy chọn một chi bộ "
                          "hoặc đảng ủy nơi đến.", field="to_unit")


@transaction.atomic
def start(member: Member, *, kind: str, purpose: str, reason_on: date, started_on: date, by,
          to_unit: OrgUnit | None = None, to_outside: str = "", decision_number: str = "",
          temp_from: date | None = None, temp_until: date | None = None, note: str = "") -> Transfer:
    """Start a transfer: the sending cell introduces the member (giấy giới thiệu) to the receiving unit."""
    member = Member.objects.select_for_update(of=("self",)).select_related("unit").get(pk=member.pk)
    _may_act(by, member.unit, "nơi đi")
    if not member.is_active:
        raise DomainError(f"{member.full_name} không phải đảng viên đang sinh hoạt ({member.get_status_display()}): "
                          "chỉ chuyển sinh hoạt cho đảng viên dự bị hoặc chính thức.", field="member")
    if kind not in Kind.values:
        raise DomainError("Hãy chọn hình thức chuyển sinh hoạt: chính thức hoặc tạm thời.", field="kind")
    if purpose not in Purpose.values:
        raise DomainError("Hãy chọn lý do chuyển sinh hoạt.", field="purpose")
    current = Transfer.objects.filter(member=member).open().first()
    if current is not None:
        raise DomainError(f"{member.full_name} đang có một việc chuyển sinh hoạt chưa xong (đến “{current.destination}”, "
                          f"{current.get_status_display().lower()}): mỗi đảng viên chỉ có một việc chuyển sinh hoạt "
                          "đang mở. Hãy hoàn tất hoặc hủy việc đó trước.", field="member")
    _check_destination(member, to_unit, to_outside)
    if started_on < reason_on:
        raise DomainError(f"Ngày giới thiệu ({vn_date(started_on)}) trước ngày quyết định hoặc chuyển nơi ở "
                          f"({vn_date(reason_on)}): hãy kiểm tra lại thứ tự ngày.", field="started_on")
    _not_future(started_on, "Ngày giới thiệu", "started_on")
    if kind == Kind.OFFICIAL and started_on > (deadline := start_deadline(reason_on)):
        raise DomainError(f"Quá hạn làm thủ tục chuyển sinh hoạt chính thức: đảng viên phải làm thủ tục trong "
                          f"{rules.rule('START_WORKING_DAYS')} ngày làm việc kể từ ngày quyết định có hiệu lực hoặc "
                          f"chuyển nơi ở ({vn_date(reason_on)}), tức chậm nhất ngày {vn_date(deadline)} "
                          f"({rules.START_RULE}). Đảng viên và chi bộ báo cáo lý do để cấp ủy có thẩm quyền xem xét, "
                          "xử lý trước khi làm thủ tục.", field="started_on")
    if kind == Kind.TEMPORARY:
        check_temporary(purpose, temp_from, temp_until)
        if temp_from < started_on:
            raise DomainError(f"Thời gian sinh hoạt tạm thời ({vn_date(temp_from)}) bắt đầu trước ngày giới thiệu "
                              f"({vn_date(started_on)}).", field="temp_from")
    else:
        temp_from = temp_until = None
    transfer = Transfer(member=member, kind=kind, purpose=purpose, from_unit=member.unit, to_unit=to_unit,
                        to_outside=to_outside.strip(), reason_on=reason_on, decision_number=decision_number.strip(),
                        started_on=started_on, present_due=present_due(started_on), temp_from=temp_from,
                        temp_until=temp_until, note=note.strip(), created_by=by)
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError:  # another officer opened one between our check and our write
        raise DomainError(f"{member.full_name} vừa có một việc chuyển sinh hoạt khác được mở; hãy tải lại trang.",
                          field="member") from None
    letter.number(transfer, by)  # the letter's number, committed with the transfer or not at all
    transfer.save(update_fields=["letter_document_id", "letter_symbol"])
    _audit("started", transfer, by, after=transfer.snapshot())
    return transfer


def _audit(step: str, transfer: Transfer, by, before: dict | None = None, after: dict | None = None,
           note: str = "") -> None:
    # Both paths: the officers of either unit read the entry in their log; the member's page shows it.
    record(f"transfers.transfer.{step}", actor=by, obj=transfer, unit_path=transfer.from_unit.path,
           unit_path_2=transfer.to_unit.path if transfer.to_unit_id else "", unit_name=transfer.from_unit.name,
           before=before, after=after, note=note, mentions=[(transfer.member, transfer.member.org_path)])


def _locked(transfer: Transfer, to: str) -> Transfer:
    t = (Transfer.objects.select_for_update(of=("self",)).select_related("member__unit", "from_unit", "to_unit")
         .get(pk=transfer.pk))
    if to not in ALLOWED[t.status]:
        raise DomainError(f"Việc chuyển sinh hoạt này đang ở bước “{t.get_status_display()}”: không thể chuyển sang "
                          f"“{Status(to).label}”.", field="status")
    return t


def _receiver_side(t: Transfer) -> OrgUnit:
    """Who acts for the receiving side: the receiving unit's officers; for an organization outside the
    system, the sending unit records what it was told."""
    return t.to_unit if t.to_unit_id else t.from_unit


@transaction.atomic
def present(transfer: Transfer, *, on: date, by, late_reason: str = "") -> Transfer:
    """The member presented the letter to the receiving chi ủy on `on`."""
    t = _locked(transfer, Status.PRESENTED)
    _may_act(by, _receiver_side(t), "nơi đến")
    _check_presentation(t, on, late_reason)
    before = t.snapshot()
    t.status, t.presented_on, t.late_reason = Status.PRESENTED, on, late_reason.strip()
    t.accept_due = add_working_days(on, rules.rule("ACCEPT_WORKING_DAYS"))
    t.save(update_fields=["status", "presented_on", "late_reason", "accept_due"])
    _audit("presented", t, by, before, t.snapshot())
    return t


def _check_presentation(t: Transfer, on: date, late_reason: str) -> None:
    if on < t.started_on:
        raise DomainError(f"Ngày nộp giấy giới thiệu ({vn_date(on)}) trước ngày giới thiệu ({vn_date(t.started_on)}).",
                          field="on")
    _not_future(on, "Ngày nộp giấy giới thiệu", "on")
    if on > t.present_due and not late_reason.strip():
        raise DomainError(f"Giấy giới thiệu nộp chậm: phải nộp cho chi ủy nơi đến trong "
                          f"{rules.rule('PRESENT_WORKING_DAYS')} ngày làm việc kể từ ngày giới thiệu, tức chậm nhất "
                          f"ngày {vn_date(t.present_due)} ({rules.PRESENT_RULE}). Hãy ghi lý do nộp chậm để cấp ủy có "
                          "thẩm quyền xem xét.", field="late_reason")


@transaction.atomic
def accept(transfer: Transfer, *, on: date, by, unit: OrgUnit | None = None, late_reason: str = "") -> Transfer:
    """The receiving unit accepts the member on `on` (into `unit`, a cell under the letter's unit): the member
    moves that day. A letter whose presentation was not recorded is taken as presented that day."""
    t = _locked(transfer, Status.ACCEPTED)
    side = _receiver_side(t)
    _may_act(by, side, "nơi đến")
    # The member's row, locked: no other change of their unit or status slips between this check and the move.
    member = Member.objects.select_for_update(of=("self",)).select_related("unit").get(pk=t.member_id)
    if not member.is_active or member.unit_id != t.from_unit_id:
        raise DomainError(f"{member.full_name} không còn là đảng viên đang sinh hoạt ở “{t.from_unit.name}” "
                          f"({member.get_status_display()}, {member.unit.name}): hãy hủy việc chuyển sinh hoạt này.")
    if t.presented_on is None:
        _check_presentation(t, on, late_reason)
    elif on < t.presented_on:
        raise DomainError(f"Ngày tiếp nhận ({vn_date(on)}) trước ngày nộp giấy giới thiệu ({vn_date(t.presented_on)}).",
                          field="on")
    _not_future(on, "Ngày tiếp nhận", "on")
    cell = _receiving_cell(t, unit, by) if t.kind == Kind.OFFICIAL and t.to_unit_id else None
    before = t.snapshot()
    note = f"Giấy giới thiệu {t.letter_symbol}".strip() if t.letter_symbol else "Theo giấy giới thiệu sinh hoạt đảng"
    if t.kind == Kind.TEMPORARY:
        member_services.record_event(member, EventKind.TEMP_OUT, on=on, by=None,
                                     decision_number=t.decision_number,
                                     note=f"Sinh hoạt tạm thời tại {t.destination} đến {vn_date(t.temp_until)}")
    else:
        # By the system: `record_event` checks that its writer may change the member's current unit, which the
        # receiving officer may not (and the sender may not write into the receiving unit). Both sides were
        # checked here; this transfer's own audit entry names the officer and mentions the member.
        status = member.status
        member_services.record_event(member, EventKind.TRANSFERRED_OUT, on=on, by=None,
                                     decision_number=t.decision_number, note=f"{note}, đến {t.destination}"[:255])
        if cell is not None:
            member_services.record_event(member, EventKind.TRANSFERRED_IN, on=on, by=None, unit=cell,
                                         status_after=status, decision_number=t.decision_number,
                                         note=f"{note}, từ {t.from_unit.name}"[:255])
    if t.presented_on is None:
        t.presented_on, t.late_reason = on, late_reason.strip()
    t.status, t.accepted_on = Status.ACCEPTED, on
    if cell is not None:
        t.to_unit = cell
    t.save(update_fields=["status", "presented_on", "late_reason", "accepted_on", "to_unit"])
    _audit("accepted", t, by, before, t.snapshot())
    return t


def _receiving_cell(t: Transfer, unit: OrgUnit | None, by) -> OrgUnit:
    cell = unit or t.to_unit
    if not cell.path.startswith(t.to_unit.path):
        raise DomainError(f"“{cell.name}” không thuộc “{t.to_unit.name}”, nơi giấy giới thiệu gửi đến: hãy chọn một "
                          "chi bộ của tổ chức đó.", field="unit")
    if cell.kind not in CELL_KINDS:
        raise DomainError(f"Hãy chọn chi bộ nơi {t.member.full_name} sinh hoạt (“{cell.name}” không phải chi bộ).",
                          field="unit")
    if not cell.is_open:
        raise DomainError(f"“{cell.name}” đã kết thúc hoạt động: hãy chọn chi bộ đang hoạt động.", field="unit")
    _may_act(by, cell, "nơi đến")
    return cell


@transaction.atomic
def refuse(transfer: Transfer, *, on: date, by, reason: str) -> Transfer:
    """The receiving unit does not accept the member (a wrong address, a file missing…): the member stays."""
    t = _locked(transfer, Status.REFUSED)
    _may_act(by, _receiver_side(t), "nơi đến")
    return _close(t, Status.REFUSED, "refused", on, by, reason, "không tiếp nhận")


@transaction.atomic
def cancel(transfer: Transfer, *, on: date, by, reason: str) -> Transfer:
    """The sending unit withdraws the letter before the acceptance: the member stays."""
    t = _locked(transfer, Status.CANCELLED)
    _may_act(by, t.from_unit, "nơi đi")
    return _close(t, Status.CANCELLED, "cancelled", on, by, reason, "hủy")


def _close(t: Transfer, status: str, step: str, on: date, by, reason: str, what: str) -> Transfer:
    if not reason.strip():
        raise DomainError(f"Hãy ghi lý do {what}.", field="reason")
    if on < t.started_on:
        raise DomainError(f"Ngày {what} ({vn_date(on)}) trước ngày giới thiệu ({vn_date(t.started_on)}).", field="on")
    _not_future(on, f"Ngày {what}", "on")
    before = t.snapshot()
    t.status, t.closed_on, t.closed_reason = status, on, reason.strip()
    t.save(update_fields=["status", "closed_on", "closed_reason"])
    _audit(step, t, by, before, t.snapshot())
    return t


@transaction.atomic
def record_return(transfer: Transfer, *, on: date, by) -> Transfer:
    """A member on a temporary transfer is back at the home cell on `on` (recorded by the home unit)."""
    t = _locked(transfer, Status.RETURNED)
    if t.kind != Kind.TEMPORARY:
        raise DomainError("Chỉ ghi trở về cho việc chuyển sinh hoạt tạm thời.", field="status")
    _may_act(by, t.from_unit, "nơi đi")
    if on < t.accepted_on:
        raise DomainError(f"Ngày trở về ({vn_date(on)}) trước ngày bắt đầu sinh hoạt tạm thời "
                          f"({vn_date(t.accepted_on)}).", field="on")
    _not_future(on, "Ngày trở về", "on")
    before = t.snapshot()
    member_services.record_event(t.member, EventKind.TEMP_BACK, on=on, by=None,
                                 note=f"Trở về sau sinh hoạt tạm thời tại {t.destination}")
    t.status, t.returned_on = Status.RETURNED, on
    t.save(update_fields=["status", "returned_on"])
    _audit("returned", t, by, before, t.snapshot())
    return t
