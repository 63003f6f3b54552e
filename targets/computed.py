"""Values the system's own records answer: a registry of key → function, so a later app (assessment: "% of
grassroots organizations rated good or better") adds its key in its `AppConfig.ready()` without this app
importing it.

A function is `fn(unit, start, end, user) -> Decimal | None`: the value for the period [start, end] under
`unit`'s subtree, counted with what `user` may see (None: the whole subtree, for the demo and the jobs).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from members.choices import EventKind
from members.models import MemberEvent
from targets.rules import Kind


@dataclass(frozen=True)
class Computation:
    key: str
    label: str
    kind: str  # the kind of target it fits
    fn: Callable


_registry: dict[str, Computation] = {}


def register(key: str, label: str, kind: str, fn: Callable) -> None:
    _registry[key] = Computation(key, label, kind, fn)


def get(key: str) -> Computation | None:
    return _registry.get(key)


def choices() -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in sorted(_registry.values(), key=lambda c: c.label)]


class _Everything:
    """Stands for "no user": the whole subtree (demo load, jobs). Never a request's user."""

    is_authenticated = is_active = is_superuser = True
    pk = None


EVERYTHING = _Everything()


def admissions(unit, start: date, end: date, user) -> Decimal:
    """Members admitted or re-admitted in [start, end] by the cells of `unit`'s subtree (their events)."""
    rows = MemberEvent.objects.visible_subtree(user or EVERYTHING, unit.path)
    n = rows.filter(kind__in=[EventKind.ADMITTED, EventKind.READMITTED], on__gte=start, on__lte=end).count()
    return Decimal(n)


def members_share_of_population(unit, start: date, end: date, user) -> Decimal | None:
    """Members of `unit`'s subtree on `end` (today if later) as % of the population recorded on or before it."""
    from members import stats
    from targets.models import Population

    on = min(end, timezone.localdate())
    population = Population.objects.latest_on(unit, on)
    if population is None or not population.value:
        return None
    members = stats.rollup([unit], user or EVERYTHING, on)[unit.pk].total
    return (Decimal(members) * 100 / population.value).quantize(Decimal("0.01"), ROUND_HALF_UP)


register("ket_nap", "Số đảng viên kết nạp trong năm (kể cả kết nạp lại)", Kind.COUNT, admissions)
register("dang_vien_dan_so", "Tỷ lệ đảng viên so với dân số", Kind.POPULATION_SHARE, members_share_of_population)
