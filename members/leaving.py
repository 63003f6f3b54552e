"""Leaving the Party: xóa tên, khai trừ, ra khỏi Đảng, từ trần (issue 15 item 7).

Each is an event of `services.record_event` (day, decision number, reason, note): the member's status and
placements follow, they leave the tallies at once and the past-day counts from that day, and the record
stays. This module holds what the pages and the API check beyond it, and the call through which a
discipline decision of the inspection app will expel a member.
"""

from datetime import date

from core.errors import DomainError, DomainErrors
from members import rules
from members.models import EventKind, Member, MemberEvent
from members.services import record_event


def decision_problems(kind: str, decision_number: str) -> list[DomainError]:
    """An exit that is a committee's decision (xóa tên, khai trừ: `rules.EXIT_DECISION_REQUIRED`) recorded
    without the decision's number. The page's form and the API check it before `record_event`; the
    service itself does not, because histories are loaded from records that never kept the number (the
    national migration, imports, re-entered old exits)."""
    if kind in rules.rule("EXIT_DECISION_REQUIRED") and not (decision_number or "").strip():
        what = dict(EventKind.choices)[kind]
        return [DomainError(f"“{what}” là quyết định của cấp ủy có thẩm quyền (Điều lệ Đảng Điều 8): hãy ghi số "
                            "quyết định, ví dụ 125-QĐ/ĐU.", field="decision_number")]
    return []


def expel(member: Member, *, on: date, decision_number: str, by, reason: str = "", note: str = "") -> MemberEvent:
    """Khai trừ from a discipline decision: the call the inspection app makes once its decision takes
    effect (the decision's number and day; the reason as LeaveReason, which re-admission depends on).
    The member leaves the counts from `on`; the record stays."""
    DomainErrors.raise_any(decision_problems(EventKind.EXPELLED, decision_number))
    return record_event(member, EventKind.EXPELLED, on=on, by=by, decision_number=decision_number, note=note,
                        reason=reason)
