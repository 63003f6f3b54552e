"""A member's life in the Party, derived from their dated events.

Pure functions over lists of events: the allowed transitions, the status and unit after each
event, the placements (periods) that counts "as of" a date use, and the intervals inside the
Party that party age adds up. `members.services` calls them inside its transactions.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from core.errors import DomainError
from members.choices import EventKind as K
from members.choices import Status as S

# Which events may follow which status (the status before the event; None = not yet a member).
# A probationary member may be disciplined only by khiển trách or cảnh cáo, so not expelled
# (rules.md §1, "certain"); at the end of probation an unfit one is struck off instead.
_ANY_ACTIVE = {K.MOVED, K.TRANSFERRED_OUT, K.TEMP_OUT, K.TEMP_BACK, K.EXCUSED, K.RESUMED,
               K.STRUCK_OFF, K.RESIGNED, K.DECEASED}
ALLOWED: dict[str | None, set[str]] = {
    None: {K.ADMITTED, K.TRANSFERRED_IN},
    S.PROBATIONARY: _ANY_ACTIVE | {K.RECOGNIZED},
    S.OFFICIAL: _ANY_ACTIVE | {K.EXPELLED},
    S.TRANSFERRED_OUT: {K.TRANSFERRED_IN},
    S.STRUCK_OFF: {K.READMITTED},
    S.EXPELLED: {K.READMITTED},
    S.RESIGNED: {K.READMITTED},
    S.DECEASED: set(),
}
# The status an event leads to; events not listed keep the status (TRANSFERRED_IN names its own).
STATUS_AFTER = {
    K.ADMITTED: S.PROBATIONARY,
    K.READMITTED: S.PROBATIONARY,
    K.RECOGNIZED: S.OFFICIAL,
    K.TRANSFERRED_OUT: S.TRANSFERRED_OUT,
    K.STRUCK_OFF: S.STRUCK_OFF,
    K.EXPELLED: S.EXPELLED,
    K.RESIGNED: S.RESIGNED,
    K.DECEASED: S.DECEASED,
}
# Events that end membership of the Party (time outside does not count in party age, rules §2).
EXITS = {K.STRUCK_OFF, K.EXPELLED, K.RESIGNED, K.DECEASED}
ENTRIES = {K.ADMITTED, K.READMITTED}
ACTIVE = {S.PROBATIONARY, S.OFFICIAL}


@dataclass(frozen=True)
class EventRow:
    """The fields of an event that history needs (a MemberEvent works too)."""

    kind: str
    on: date
    unit_id: int
    status_after: str = ""


def status_after(kind: str, before: str | None, given: str = "") -> str:
    if kind == K.TRANSFERRED_IN:
        if given not in ACTIVE:
            raise DomainError("Chuyển đến phải ghi rõ là đảng viên chính thức hay dự bị.", field="status_after")
        return given
    return STATUS_AFTER.get(kind, before or "")


def check_transition(before: str | None, kind: str) -> None:
    if kind not in ALLOWED.get(before, set()):
        what = dict(K.choices).get(kind, kind)
        state = "chưa là đảng viên" if before is None else dict(S.choices).get(before, before).lower()
        raise DomainError(f"Không thể ghi “{what}” cho người {state}.", field="kind")


def replay(events) -> list[tuple[date, str, int]]:
    """(date, status after, unit) for each event in order, checking every transition."""
    states, status = [], None
    for e in sorted(events, key=lambda e: e.on):
        check_transition(status, e.kind)
        status = status_after(e.kind, status, getattr(e, "status_after", ""))
        states.append((e.on, status, e.unit_id))
    return states


def periods(events) -> list[tuple[int, str, date, date | None]]:
    """Placements (unit, status, from, to inclusive) while active, from the events. An event is never
    dated when its unit did not exist (`services.unit_date_problems`), so neither is a placement.
    """
    out: list[list] = []
    for on, status, unit_id in replay(events):
        if out and out[-1][3] is None:
            if (out[-1][0], out[-1][1]) == (unit_id, status):
                continue
            out[-1][3] = on - timedelta(days=1)
        if status in ACTIVE:
            out.append([unit_id, status, on, None])
    return [tuple(p) for p in out if p[3] is None or p[3] >= p[2]]


def party_intervals(events, admitted_on: date | None) -> list[tuple[date, date | None]]:
    """Intervals [start, end) inside the Party, for party age (rules §2).

    Starts at the first admission decision (`admitted_on`, or the first admission event), ends at
    each exit, restarts at re-admission. A member transferred in from outside counts from their
    admission date on the profile.
    """
    intervals: list[list] = []
    ordered = sorted(events, key=lambda e: e.on)
    first = min([d for d in [admitted_on, *(e.on for e in ordered if e.kind == K.ADMITTED)] if d], default=None)
    if first is not None:
        intervals.append([first, None])
    for e in ordered:
        if e.kind in EXITS and intervals and intervals[-1][1] is None:
            intervals[-1][1] = e.on
        elif e.kind == K.READMITTED and (not intervals or intervals[-1][1] is not None):
            intervals.append([e.on, None])
    return [tuple(i) for i in intervals]
