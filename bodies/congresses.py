"""Terms (nhiệm kỳ) and congresses (đại hội): a held congress closes the term before it and opens its own
the next day (rules.md §6); for any subtree, which organizations have held theirs for a term.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from audit.services import record
from bodies.models import Congress, Term
from bodies.services import _allowed, _not_future
from core.errors import DomainError
from core.text import vn_date
from orgs.models import CELL_KINDS, Kind, OrgUnit

# Organizations that hold congresses: every kind but the tổ đảng (it belongs to a cell's congress).
CONGRESS_KINDS = [k for k in Kind.values if k != Kind.GROUP]


def _term_snapshot(term: Term) -> dict:
    return {"label": term.label, "starts_on": term.starts_on.isoformat(),
            "ends_on": term.ends_on.isoformat() if term.ends_on else None}


@transaction.atomic
def create_term(unit: OrgUnit, *, label: str, starts_on: date, by, ends_on: date | None = None) -> Term:
    """A term recorded directly (one whose congress is not in the system, e.g. 2020–2025)."""
    _allowed(by, unit)
    label = label.strip().replace("-", "–")
    if Term.objects.filter(unit=unit, label=label).exists():
        raise DomainError(f"“{unit.name}” đã có nhiệm kỳ {label}.", field="label")
    if ends_on and ends_on < starts_on:
        raise DomainError("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu.", field="ends_on")
    if Term.objects.filter(unit=unit, starts_on__lte=ends_on or date.max).exclude(ends_on__lt=starts_on).exists():
        raise DomainError(f"Nhiệm kỳ {label} trùng thời gian với một nhiệm kỳ khác của “{unit.name}”.",
                          field="starts_on")
    term = Term.objects.create(unit=unit, label=label, starts_on=starts_on, ends_on=ends_on)
    record("bodies.term.created", actor=by, obj=term, unit_path=unit.path, unit_name=unit.name,
           after=_term_snapshot(term))
    return term


@transaction.atomic
def save_congress(unit: OrgUnit, *, term_label: str, by, planned_on: date | None = None,
                  held_from: date | None = None, held_to: date | None = None,
                  delegates_summoned: int | None = None, delegates_present: int | None = None,
                  delegates_up=()) -> Congress:
    """Plan the congress that opens `term_label`, or record it held. Held, it ends the term before it on its
    closing day and opens `term_label` the day after."""
    _allowed(by, unit)
    term_label = term_label.strip().replace("-", "–")
    if not term_label:
        raise DomainError("Hãy nhập nhiệm kỳ, ví dụ 2025–2030.", field="term_label")
    if unit.kind not in CONGRESS_KINDS:
        raise DomainError(f"“{unit.get_kind_display()}” không tổ chức đại hội riêng.")
    congress = Congress.objects.select_for_update().filter(unit=unit, term_label=term_label).first()
    if congress and congress.is_held:
        raise DomainError(f"Đại hội nhiệm kỳ {term_label} của “{unit.name}” đã ghi là đã họp "
                          f"({vn_date(congress.held_from)}–{vn_date(congress.held_to)}).", field="term_label")
    if (held_from is None) != (held_to is None):
        raise DomainError("Hãy nhập cả ngày khai mạc và ngày bế mạc (hoặc để trống cả hai nếu chưa họp).",
                          field="held_to" if held_to is None else "held_from")
    if held_from and held_to < held_from:
        raise DomainError(f"Ngày bế mạc ({vn_date(held_to)}) trước ngày khai mạc ({vn_date(held_from)}).",
                          field="held_to")
    _not_future(held_to, "Ngày bế mạc", "held_to")
    if held_from and held_from < unit.valid_from:
        raise DomainError(f"“{unit.name}” hoạt động từ {vn_date(unit.valid_from)}; đại hội không thể họp trước đó.",
                          field="held_from")
    if delegates_present is not None and delegates_summoned is not None and delegates_present > delegates_summoned:
        raise DomainError(f"Số đại biểu có mặt ({delegates_present}) nhiều hơn số được triệu tập "
                          f"({delegates_summoned}).", field="delegates_present")
    previous = Term.objects.filter(unit=unit).order_by("-starts_on").first()
    if held_from and previous is not None and held_from <= previous.starts_on:
        raise DomainError(f"Đại hội khai mạc {vn_date(held_from)}, trước khi nhiệm kỳ trước ({previous.label}) "
                          f"bắt đầu ({vn_date(previous.starts_on)}); hãy kiểm tra lại ngày.", field="held_from")
    before = _snapshot(congress) if congress else None
    congress = congress or Congress(unit=unit, term_label=term_label)
    congress.planned_on = planned_on or congress.planned_on
    congress.held_from, congress.held_to = held_from, held_to
    congress.delegates_summoned, congress.delegates_present = delegates_summoned, delegates_present
    if held_to:
        if Term.objects.filter(unit=unit, label=term_label).exists():
            raise DomainError(f"“{unit.name}” đã có nhiệm kỳ {term_label}.", field="term_label")
        if previous is not None and previous.ends_on is None:
            previous.ends_on = held_to  # a term ends the day the next congress closes
            previous.save(update_fields=["ends_on"])
        congress.term = Term.objects.create(unit=unit, label=term_label, starts_on=held_to + timedelta(days=1))
    congress.save()
    if delegates_up:
        congress.delegates_up.set(delegates_up)
    record("bodies.congress.held" if held_to else "bodies.congress.planned", actor=by, obj=congress,
           unit_path=unit.path, unit_name=unit.name, before=before, after=_snapshot(congress))
    return congress


def _snapshot(c: Congress) -> dict:
    def iso(d):
        return d.isoformat() if d else None

    return {"term_label": c.term_label, "planned_on": iso(c.planned_on), "held_from": iso(c.held_from),
            "held_to": iso(c.held_to), "delegates_summoned": c.delegates_summoned,
            "delegates_present": c.delegates_present}


@dataclass
class Progress:
    held: list  # (unit, congress)
    not_held: list  # (unit, congress or None: planned or not even planned)


def progress(units, term_label: str, kinds=None) -> Progress:
    """Of `units` (already `visible_to` the user, e.g. a subtree), those open today of `kinds` (default: every
    kind that holds a congress but cells, which are many), with and without a held congress for `term_label`."""
    kinds = kinds or [k for k in CONGRESS_KINDS if k not in CELL_KINDS]
    rows = list(units.open().filter(kind__in=kinds).order_by("path"))
    congresses = {c.unit_id: c for c in Congress.objects.filter(unit__in=rows, term_label=term_label)}
    held, not_held = [], []
    for unit in rows:
        c = congresses.get(unit.pk)
        (held if c and c.is_held else not_held).append((unit, c))
    return Progress(held, not_held)
