"""What `bodies` adds to the work list (core.worklist): congresses planned, terms run out without one."""

from datetime import date

from django.urls import reverse

from bodies.models import Congress, Term
from core import worklist
from core.text import vn_date
from members.rules import add_months

CONGRESS = "bodies.congress"
TERM = "bodies.term"
SHORTEST_TERM_MONTHS = 24  # no kind's term is shorter (bodies.rules: 2.5 and 5 years): the SQL prefilter


def congresses(user, today: date, horizon: date):
    """Congresses planned and not held, due on their planned day."""
    rows = (Congress.objects.visible_to(user).filter(held_to__isnull=True, planned_on__lte=horizon)
            .select_related("unit").order_by("planned_on"))
    for c in rows:
        yield worklist.Item(CONGRESS, f"Đại hội nhiệm kỳ {c.term_label}: {c.unit.name}", c.planned_on, c.unit_id,
                            c.unit.name, reverse("bodies-unit", args=[c.unit_id]), c.unit.path)


def terms(user, today: date, horizon: date):
    """Running terms (a held congress closes its term) whose expected end (bodies.rules) comes by `horizon`."""
    rows = (Term.objects.visible_to(user)
            .filter(ends_on__isnull=True, starts_on__lte=add_months(horizon, -SHORTEST_TERM_MONTHS),
                    unit__valid_to__isnull=True)
            .select_related("unit"))
    for t in rows:
        end = t.expected_end
        if end <= horizon:
            yield worklist.Item(TERM, f"Nhiệm kỳ {t.label} hết ngày {vn_date(end)}, chưa đại hội: {t.unit.name}", end,
                                t.unit_id, t.unit.name, reverse("bodies-unit", args=[t.unit_id]), t.unit.path)


def register() -> None:
    worklist.register(CONGRESS, "Đại hội", congresses)
    worklist.register(TERM, "Nhiệm kỳ đã hết, chưa đại hội", terms)
