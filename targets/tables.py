"""The figures of a set of targets for a year, with their roll-up over the targets cascaded below them, the
"x/y chỉ tiêu chưa đạt" summary and the comparison with the year before. Read once, shown by the pages, the
API, the Excel export and (later) the reports.

Loading is per level of the cascade, not per target: the targets of a level, then one query for the plans
and one for the values of all of them (in chunks), so a target given to 3,300 communes is a handful of
queries (bench W2).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from targets import services
from targets.models import Target, TargetPlan, TargetValue
from targets.rules import MET, Mode, Source, Status
from targets.values import YearFigure, compare, figure, year_end

CHUNK = 2000


@dataclass
class Row:
    target: Target
    fig: YearFigure
    children: list["Row"] = field(default_factory=list)
    rolled: Decimal | None = None  # sum of the allocated parts (each its own value or its own roll-up)
    reported: int = 0  # parts with a value for the year
    met: int = 0  # parts that reached their plan

    @property
    def status(self) -> str:
        return self.fig.status

    @property
    def value(self) -> Decimal | None:
        return self.fig.value

    @property
    def allocated(self) -> bool:
        return bool(self.children) and self.children[0].target.mode == Mode.ALLOCATE


def _chunks(ids: list[int]):
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _load(ids: list[int], year: int):
    plans: dict[int, dict[int, Decimal]] = defaultdict(dict)
    values: dict[int, list] = defaultdict(list)
    for chunk in _chunks(ids):
        for tid, y, v in TargetPlan.objects.filter(target_id__in=chunk).values_list("target_id", "year", "value"):
            plans[tid][y] = v
        rows = TargetValue.objects.filter(target_id__in=chunk, period_end__gte=date(year, 1, 1),
                                          period_end__lte=year_end(year))
        for tid, end, v in rows.values_list("target_id", "period_end", "value"):
            values[tid].append((end, v))
    return plans, values


def rows(targets, year: int, user=None, *, depth: int | None = None, today: date | None = None) -> list[Row]:
    """A row per target of `targets` (a queryset or list, already `visible_to` the user) for `year`, each with
    its cascaded parts below it (`depth` levels kept as children; the roll-up always reads them all)."""
    today = today or timezone.localdate()
    top = list(targets)
    everything: dict[int, Target] = {t.pk: t for t in top}
    below: dict[int, list[Target]] = defaultdict(list)
    level = [t.pk for t in top]
    while level:  # the cascade, level by level
        nxt = []
        for chunk in _chunks(level):
            for t in Target.objects.filter(parent_id__in=chunk).select_related("unit", "group").order_by("unit__path"):
                if t.pk not in everything:
                    everything[t.pk] = t
                    below[t.parent_id].append(t)
                    nxt.append(t.pk)
        level = nxt
    plans, values = _load(list(everything), year)
    for t in everything.values():  # a computed target without a stored figure: what the records say now
        if t.source == Source.COMPUTED and not values.get(t.pk) and t.from_year <= year <= t.to_year \
                and date(year, 1, 1) <= today:
            v = services.compute(t, year, user)
            if v is not None:
                values[t.pk].append((min(year_end(year), today), v))

    def build(t: Target, level: int) -> Row:
        parts = [build(c, level + 1) for c in below.get(t.pk, [])]
        fig = figure(t, year, plans.get(t.pk, {}), values.get(t.pk, []), today)
        row = Row(t, fig)
        if parts:
            row.reported = sum(1 for p in parts if p.fig.final)
            row.met = sum(1 for p in parts if p.status in MET)
            if parts[0].target.mode == Mode.ALLOCATE:
                row.rolled = sum((p.fig.value for p in parts if p.fig.final), Decimal(0))
                shares = sum((p.fig.planned for p in parts if p.fig.planned_year == year), Decimal(0))
                if not fig.final and row.reported == len(parts) and fig.planned is not None \
                        and fig.planned_year == year and shares == fig.planned:
                    # the whole is allocated and every part has reported the year: their sum is the whole's figure
                    row.fig = YearFigure(year, fig.planned, fig.planned_year, row.rolled, year_end(year), True,
                                         compare(t.direction, t.kind, row.rolled, fig.planned))
        if depth is None or level < depth:
            row.children = parts
        return row

    return [build(t, 0) for t in top]


@dataclass
class Summary:
    total: int
    counts: dict[str, int]
    not_achieved: list[Row]

    @property
    def text(self) -> str:
        """"8/54 chỉ tiêu chưa đạt"."""
        return f"{self.counts.get(Status.NOT_ACHIEVED, 0)}/{self.total} chỉ tiêu chưa đạt"

    @property
    def met(self) -> int:
        return self.counts.get(Status.ACHIEVED, 0) + self.counts.get(Status.EXCEEDED, 0)


def summary(table: list[Row]) -> Summary:
    counts = {s: 0 for s in Status.values}
    for r in table:
        counts[r.status] += 1
    return Summary(len(table), counts, [r for r in table if r.status == Status.NOT_ACHIEVED])


@dataclass
class Comparison:
    year: int
    count: int
    previous: int

    @property
    def text(self) -> str:
        """"45 chỉ tiêu, tăng 9 so với năm 2020"."""
        diff = self.count - self.previous
        if not self.previous:
            return f"{self.count} chỉ tiêu (năm {self.year - 1} chưa có chỉ tiêu)"
        change = f"tăng {diff}" if diff > 0 else (f"giảm {-diff}" if diff < 0 else "bằng")
        return f"{self.count} chỉ tiêu, {change} so với năm {self.year - 1}"


def compare_years(targets, year: int) -> Comparison:
    """The size of the year's target set against the year before (`targets`: a unit's, visible)."""
    return Comparison(year, targets.of_year(year).count(), targets.of_year(year - 1).count())


def unit_targets(unit, user, year: int):
    """A unit's own targets of the year, visible to `user`, in the order of the resolution."""
    return (Target.objects.visible_to(user).filter(unit=unit).of_year(year)
            .select_related("group", "document", "unit", "parent").order_by("group__position", "position", "id"))
