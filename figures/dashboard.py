"""The dashboard's figures for one unit's subtree (issue 19 item 5), read from every app, imported by none.

Cost (PERFORMANCE.md W1/W2): today's figures come from the tallies (`members.stats.rollup`/`breakdown`/`cube`
read `UnitTally`/`CubeTally` for a subtree the user sees whole); each past year-end is one `rollup` on that
day (one query for the tree as it was, one over the placements); admissions one count per year.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from assessment import results
from assessment.rules import Subject
from core import menu
from core.scoping import can_anywhere
from members import changes, stats
from members.choices import AGE_BANDS
from members.models import MAJORITY_ETHNICITY, Gender, Status
from oversight.models import ACTION as INSPECT
from oversight.stats import statistics
from targets import tables
from targets.models import Target, TargetPlan
from targets.rules import Status as TargetStatus

YEARS = 5  # year-ends shown in the membership chart, besides today (the issue asks for 5–10)
PLAN_KEY = "ket_nap"  # targets.computed: "Số đảng viên kết nạp trong năm"


def register_menu() -> None:
    """Called from FiguresConfig.ready(): the entry "Tổng quan" in the reports group, for everyone signed in."""
    menu.add(menu.Entry("bao-cao", "Tổng quan", "figures-dashboard", order=10))


@dataclass
class Dashboard:
    unit: object
    today: date
    membership: list[tuple[str, stats.Counts]] = field(default_factory=list)  # (label, counts), oldest first
    breakdown: stats.Breakdown | None = None
    ethnicity: list[tuple[str, int]] = field(default_factory=list)
    admissions: list[tuple[int, int, int | None]] = field(default_factory=list)  # (year, admitted, plan)
    classification: results.Distribution | None = None
    classification_units: results.Distribution | None = None
    discipline: dict | None = None  # None: the user holds no inspection right
    targets: tables.Summary | None = None
    target_year: int = 0


def membership(unit, user, today: date, years: int = YEARS) -> list[tuple[str, stats.Counts]]:
    """Totals at 31/12 of each of the last `years` years, then today's (from the tallies)."""
    out = []
    for year in range(today.year - years, today.year):
        out.append((str(year), stats.rollup([unit], user, on=date(year, 12, 31))[unit.pk]))
    out.append(("Hiện nay", stats.rollup([unit], user)[unit.pk]))
    return out


def ethnicity(unit, user) -> list[tuple[str, int]]:
    """Members by ethnicity from the report cube: the majority, the four largest minorities, the rest."""
    by_group = Counter()
    for (_status, _gender, _band, group, _edu), n in stats.cube(unit, user).items():
        by_group[group or MAJORITY_ETHNICITY] += n
    major = by_group.pop(MAJORITY_ETHNICITY, 0)
    rows = [(MAJORITY_ETHNICITY, major)] if major else []
    top = by_group.most_common(4)
    rows += top
    rest = sum(by_group.values()) - sum(n for _g, n in top)
    if rest:
        rows.append(("Dân tộc khác", rest))
    return rows


def admissions(unit, user, today: date, years: int = YEARS) -> list[tuple[int, int, int | None]]:
    """(year, members admitted, the year's plan) for the last `years` years and this one so far. The plan is
    the unit's own target computed as "ket_nap" (targets.computed) for that year, when it has one."""
    first = today.year - years + 1
    plans = dict(TargetPlan.objects.filter(target__in=Target.objects.visible_to(user).filter(
        unit=unit, computed_key=PLAN_KEY), year__gte=first, year__lte=today.year).values_list("year", "value"))
    out = []
    for year in range(first, today.year + 1):
        end = min(date(year, 12, 31), today)
        plan = plans.get(year)
        out.append((year, changes.admissions(unit, user, date(year, 1, 1), end),
                    int(plan) if plan is not None else None))
    return out


def build(unit, user, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    last = today.year - 1
    board = Dashboard(unit, today)
    board.membership = membership(unit, user, today)
    board.breakdown = stats.breakdown(unit, user)
    board.ethnicity = ethnicity(unit, user)
    board.admissions = admissions(unit, user, today)
    board.classification = results.distribution(unit, user, last, Subject.MEMBERS)
    board.classification_units = results.distribution(unit, user, last, Subject.ORGANIZATIONS)
    if can_anywhere(user, INSPECT):  # as oversight's own pages: only inspection officers see discipline
        board.discipline = statistics(user, unit, date(today.year, 1, 1), today)
    board.target_year = today.year
    board.targets = tables.summary(tables.rows(tables.unit_targets(unit, user, today.year), today.year, user,
                                               today=today))
    return board


def target_counts(summary: tables.Summary) -> list[tuple[str, int]]:
    return [(s.label, summary.counts.get(s.value, 0)) for s in TargetStatus]


STATUS_LABELS = {Status.OFFICIAL: "Chính thức", Status.PROBATIONARY: "Dự bị"}
GENDER_LABELS = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ"}
BAND_LABELS = [label for label, _lo, _hi in AGE_BANDS]
