"""The figures of a set of targets for a year, with their roll-up over the targets cascaded below them, the
"x/y chỉ tiêu chưa đạt" summary and the comparison with the year before. Read once, shown by the pages, the
API, the Excel export and (later) the reports.

Every part below the targets shown, at any depth, is one range of `Target.cascade_path`: three queries (the
parts, their plans, their figures of the year) for a target given to 3,300 communes (bench W2t), and model
instances only for the parts shown.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone

from core.tree import within_any_q
from targets import services
from targets.models import Target, TargetPlan, TargetValue
from targets.rules import MET, Mode, Source, Status
from targets.values import YearFigure, compare, figure, year_end


class Part(NamedTuple):
    """What the roll-up needs of a target below the ones shown: no model instance for thousands of parts."""

    pk: int
    parent_id: int
    mode: str
    kind: str
    direction: str
    source: str
    from_year: int
    to_year: int


PART_FIELDS = ("pk", "parent_id", "mode", "kind", "direction", "source", "from_year", "to_year")


@dataclass(slots=True)
class Row:
    target: Target | Part
    fig: YearFigure
    children: list["Row"] = field(default_factory=list)  # the parts shown (`depth` levels)
    parts: int = 0  # parts given to the units below
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
        return self.rolled is not None


def rows(targets, year: int, user=None, *, depth: int | None = None, today: date | None = None) -> list[Row]:
    """A row per target of `targets` (a queryset or list, already `visible_to` the user) for `year`, with the
    roll-up of every part below it; `depth` levels of parts are kept as rows with their targets (None: all).

    Every part below the targets is one range of `cascade_path` each: one query for the parts, one for their
    plans, one for their figures of the year, whatever their number (bench W2t)."""
    today = today or timezone.localdate()
    top = list(targets)
    if not top:
        return []
    within = within_any_q(["cascade_path"], [t.cascade_path for t in top])
    shown = {t.pk for t in top}
    below: dict[int, list] = defaultdict(list)
    for values in Target.objects.filter(within).exclude(pk__in=shown).order_by().values_list(*PART_FIELDS):
        part = Part._make(values)
        below[part.parent_id].append(part)
    plans: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for tid, y, v in TargetPlan.objects.filter(within_any_q(["target__cascade_path"], [t.cascade_path for t in top])) \
            .order_by().values_list("target_id", "year", "value"):
        plans[tid][y] = v
    figures: dict[int, list] = defaultdict(list)
    rows_of_year = TargetValue.objects.filter(within_any_q(["target__cascade_path"], [t.cascade_path for t in top]),
                                              period_end__gte=date(year, 1, 1), period_end__lte=year_end(year))
    for tid, end, v in rows_of_year.order_by().values_list("target_id", "period_end", "value"):
        figures[tid].append((end, v))
    if depth is None or depth > 0:  # the parts shown are model instances, with their unit, in tree order
        ids = [p.pk for t in top for p in below.get(t.pk, [])] if depth == 1 else \
            [p.pk for parts in below.values() for p in parts]
        full = {t.pk: t for t in Target.objects.filter(pk__in=ids).select_related("unit", "group")} if ids else {}
        for parent, parts in below.items():
            below[parent] = sorted((full.get(p.pk, p) for p in parts),
                                   key=lambda p: p.unit.path if isinstance(p, Target) else "")
    for t in [*top, *(p for parts in below.values() for p in parts)]:
        # a computed target without a stored figure: what the records say now (one query each)
        if t.source == Source.COMPUTED and not figures.get(t.pk) and t.from_year <= year <= t.to_year \
                and date(year, 1, 1) <= today:
            target = t if isinstance(t, Target) else Target.objects.select_related("unit").get(pk=t.pk)
            v = services.compute(target, year, user)
            if v is not None:
                figures[t.pk].append((min(year_end(year), today), v))

    def build(t, level: int) -> Row:
        parts = [build(c, level + 1) for c in below.get(t.pk, [])]
        fig = figure(t, year, plans.get(t.pk, {}), figures.get(t.pk, []), today)
        row = Row(t, fig, parts=len(parts))
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
