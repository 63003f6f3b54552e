"""Member counts over subtrees, now or "as of" a past date, always through `visible_to`.

Current figures scan `Member.org_path` (one range per subtree). Figures as of a past day use
the tree as it was (`OrgUnitVersion`) and the placements of that day (`MemberPeriod`), so a
unit merged away since still shows what it held then.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from core.scoping import can
from core.tree import SEGMENT, within_any_q
from members.models import MAJORITY_ETHNICITY, Gender, Member, MemberPeriod, Status
from orgs.models import OrgUnitVersion

# Age bands of the standard breakdown (years, inclusive).
AGE_BANDS = [("18–30", 18, 30), ("31–40", 31, 40), ("41–50", 41, 50), ("51–60", 51, 60), ("trên 60", 61, 200)]


@dataclass
class Counts:
    total: int = 0
    official: int = 0
    probationary: int = 0

    def add(self, status: str, n: int) -> None:
        self.total += n
        if status == Status.OFFICIAL:
            self.official += n
        elif status == Status.PROBATIONARY:
            self.probationary += n


def rollup(units, user, on: date | None = None) -> dict[int, Counts]:
    """Members of each unit's whole subtree, by status: {unit id: Counts}, in one query per depth."""
    units = list(units)
    result = {u.pk: Counts() for u in units}
    if not units:
        return result
    if on is None or on >= timezone.localdate():
        by_len = defaultdict(dict)
        for u in units:
            by_len[len(u.path)][u.path] = u.pk
        for length, prefix_to_id in by_len.items():
            members = Member.objects.active()
            if not all(can(user, "view", prefix) for prefix in prefix_to_id):
                members = members.visible_to(user)  # only when a unit is not wholly in reach
            rows = (
                members.filter(within_any_q(["org_path"], prefix_to_id))
                .annotate(prefix=Substr("org_path", 1, length))
                .values("prefix", "status")
                .annotate(n=Count("id"))
            )
            for row in rows:
                uid = prefix_to_id.get(row["prefix"])
                if uid is not None:
                    result[uid].add(row["status"], row["n"])
        return result
    return _rollup_on(units, user, on, result)


def _rollup_on(units, user, on: date, result: dict[int, Counts]) -> dict[int, Counts]:
    # The tree as it was on `on`: each unit's path then, and every unit under it then. What the
    # user may count is decided by where the units stood then (a member who has since moved away
    # still counts in the figures of the cell they were in).
    then = {v.unit_id: v.path for v in OrgUnitVersion.objects.on(on).filter(unit__in=units)}
    prefixes = {path: uid for uid, path in then.items()}
    if not prefixes:
        return result
    unit_to_path = dict(
        OrgUnitVersion.objects.on(on).visible_to(user).filter(within_any_q(["path"], prefixes))
        .values_list("unit_id", "path")
    )
    rows = (
        MemberPeriod.objects.on(on)
        .filter(unit_id__in=list(unit_to_path))
        .values("unit_id", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        path = unit_to_path[row["unit_id"]]
        for depth_len in range(SEGMENT, len(path) + 1, SEGMENT):
            uid = prefixes.get(path[:depth_len])
            if uid is not None:
                result[uid].add(row["status"], row["n"])
    return result


@dataclass
class Breakdown:
    """The standard breakdown of a subtree (W1 of PERFORMANCE.md)."""

    total: int = 0
    official: int = 0
    probationary: int = 0
    male: int = 0
    female: int = 0
    ethnic_minority: int = 0
    age_bands: dict[str, int] = field(default_factory=dict)


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def breakdown(unit, user, on: date | None = None) -> Breakdown:
    """Current standard breakdown of `unit`'s subtree (ages as of `on`, default today)."""
    on = on or timezone.localdate()
    aggregates = {
        "total": Count("id"),
        "official": Count("id", filter=Q(status=Status.OFFICIAL)),
        "probationary": Count("id", filter=Q(status=Status.PROBATIONARY)),
        "male": Count("id", filter=Q(gender=Gender.MALE)),
        "female": Count("id", filter=Q(gender=Gender.FEMALE)),
        "ethnic_minority": Count("id", filter=~Q(ethnicity=MAJORITY_ETHNICITY)),
    }
    for i, (_label, lo, hi) in enumerate(AGE_BANDS):
        # born in (on - hi - 1 years, on - lo years]  <=>  age in [lo, hi]
        aggregates[f"band{i}"] = Count(
            "id", filter=Q(birth_date__gt=_years_before(on, hi + 1), birth_date__lte=_years_before(on, lo))
        )
    row = Member.objects.active().visible_subtree(user, unit.path).aggregate(**aggregates)
    bands = {label: row.pop(f"band{i}") for i, (label, _lo, _hi) in enumerate(AGE_BANDS)}
    return Breakdown(**row, age_bands=bands)
