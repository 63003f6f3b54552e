"""Results of the reviews: the distribution by level for a unit's subtree and year, streaks, levels 3 and 4.

The distribution sums the per-unit summary rows (`Summary`, kept in step with every decision) over the
subtree's units: a cell's members are one row per level, so a province is a few thousand rows, not a hundred
thousand ratings. Where the caller sees only part of the subtree (never with today's grants, which cover
whole subtrees) it counts the visible ratings with one GROUP BY instead.
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, Sum

from assessment import rules
from assessment.models import Rating, Summary
from assessment.rules import LABELS, LegacyLevel, Level, Subject
from core.scoping import can
from core.text import vn_number
from core.tree import subtree_q
from orgs.models import OrgUnit


@dataclass
class Row:
    level: str
    label: str
    count: int
    percent: Decimal = Decimal(0)

    @property
    def percent_text(self) -> str:
        """"14,29": as the reports write it."""
        return vn_number(float(self.percent), -self.percent.as_tuple().exponent)


@dataclass
class Distribution:
    year: int
    subject: str
    total: int
    rows: list[Row] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"total": self.total, "levels": [{"level": r.level, "label": r.label, "count": r.count,
                                                 "percent": float(r.percent)} for r in self.rows]}

    def count(self, *levels) -> int:
        return sum(r.count for r in self.rows if r.level in levels)


def largest_remainder(counts: list[int], decimals: int | None = None) -> list[Decimal]:
    """Percentages of `counts` rounded to `decimals` that add up to exactly 100 (none if the total is 0): each
    is rounded down, and the units left go to the largest remainders (ties: the earlier level), as reports
    round their tables."""
    decimals = rules.rule("PERCENT_DECIMALS") if decimals is None else decimals
    total = sum(counts)
    if not total:
        return [Decimal(0) for _ in counts]
    scale = 100 * 10 ** decimals
    exact = [Decimal(c) * scale / total for c in counts]
    floors = [int(e.to_integral_value(rounding=ROUND_DOWN)) for e in exact]
    left = scale - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    unit = Decimal(1).scaleb(-decimals)
    return [(Decimal(f) / 10 ** decimals).quantize(unit) for f in floors]


def level_codes(year: int, subject: str) -> list[str]:
    """The levels a year's table lists: the four current ones, or the levels of the older texts (stored as they
    were, never mapped)."""
    if year >= rules.CURRENT_LEVELS_FROM_YEAR:
        return list(Level.values)
    legacy = rules.LEGACY_MEMBER if subject == Subject.MEMBERS else rules.LEGACY_ORG
    return [v for v in LegacyLevel.values if v in legacy]


def counts_by_level(unit: OrgUnit, user, year: int, subject: str, kinds=None) -> dict[str, int]:
    if can(user, "view", unit.path):
        rows = Summary.objects.filter(subtree_q("unit__path", unit.path), year=year, subject=subject)
        if kinds:
            rows = rows.filter(unit__kind__in=kinds)
        return {r["level"]: r["n"] for r in rows.values("level").annotate(n=Sum("count")) if r["n"]}
    rows = (Rating.objects.visible_to(user).filter(subtree_q("subject_unit__path", unit.path), round__year=year,
                                                   round__subject=subject).decided())
    if kinds:
        rows = rows.filter(subject_unit__kind__in=kinds)
    return {r["result"]: r["n"] for r in rows.values("result").annotate(n=Count("id"))}


def distribution(unit: OrgUnit, user, year: int, subject: str, kinds=None) -> Distribution:
    counts = counts_by_level(unit, user, year, subject, kinds)
    codes = level_codes(year, subject)
    codes += [c for c in counts if c not in codes]  # a legacy level recorded in a later year: listed as it is
    values = [counts.get(c, 0) for c in codes]
    percents = largest_remainder(values)
    rows = [Row(c, LABELS.get(c, c), n, p) for c, n, p in zip(codes, values, percents, strict=True)]
    return Distribution(year, subject, sum(values), rows)


def trend(unit: OrgUnit, user, last_year: int, subject: str, years: int = 5) -> list[Distribution]:
    return [distribution(unit, user, y, subject) for y in range(last_year - years + 1, last_year + 1)]


@dataclass
class Streak:
    name: str
    unit_name: str
    years: int
    member_id: int | None
    unit_id: int | None


def streaks(unit: OrgUnit, user, year: int, subject: str, level: str = Level.EXCELLENT,
            at_least: int | None = None, lookback: int = 15) -> list[Streak]:
    """Subjects rated `level` every year up to `year`, at least `at_least` years running (default 5: "5 năm
    liền hoàn thành xuất sắc nhiệm vụ", the ground of the standing committee's certificate, HD 06-HD/TW §19.2)."""
    at_least = at_least or rules.rule("STREAK_YEARS")
    key = "member_id" if subject == Subject.MEMBERS else "unit_id"
    rows = (Rating.objects.visible_to(user)
            .filter(subtree_q("subject_unit__path", unit.path), round__subject=subject, result=level,
                    round__year__gt=year - lookback, round__year__lte=year)
            .values_list(key, "round__year"))
    years: dict[int, set[int]] = {}
    for subject_id, y in rows:
        years.setdefault(subject_id, set()).add(y)
    runs = {}
    for subject_id, ys in years.items():
        n = 0
        while year - n in ys:
            n += 1
        if n >= at_least:
            runs[subject_id] = n
    if not runs:
        return []
    latest = (Rating.objects.filter(**{f"{key}__in": list(runs)}, round__year=year, round__subject=subject)
              .select_related("member", "unit", "subject_unit"))
    out = [Streak(r.subject_name, r.subject_unit.name, runs[getattr(r, key)], r.member_id, r.unit_id) for r in latest]
    return sorted(out, key=lambda s: (-s.years, s.unit_name, s.name))


def low(unit: OrgUnit, user, year: int, subject: str, limit: int = 500):
    """Subjects at levels 3 and 4 (hoàn thành nhiệm vụ, không hoàn thành nhiệm vụ) in the year."""
    return list(Rating.objects.visible_to(user)
                .filter(subtree_q("subject_unit__path", unit.path), round__year=year, round__subject=subject,
                        result__in=rules.LOW)
                .select_related("member", "unit", "subject_unit", "body")
                .order_by("-result", "subject_unit__path", "id")[:limit])
