"""Member counts over subtrees, now or "as of" a past date, always through `visible_to`.

Current figures of a subtree the user sees whole come from the tallies (`members.tally`): one row
per unit, kept in step with every change. A subtree seen only in part is counted from the members
(`Member.org_path`, one range per subtree). Figures as of a past day use
the tree as it was (`OrgUnitVersion`) and the placements of that day (`MemberPeriod`), so a
unit merged away since still shows what it held then.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from core.scoping import can
from core.tree import SEGMENT, within_any_q
from members import tally
from members.choices import AGE_BANDS
from members.models import CubeTally, Member, MemberPeriod, Status, UnitTally
from orgs.models import OrgUnitVersion


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
        whole = [u for u in units if can(user, "view", u.path)]  # the visibility check of the tallies read here
        if whole:
            tally.ensure_current()
            for uid, c in tally.counters_of([u.pk for u in whole]).items():
                result[uid] = Counts(c["total"], c["official"], c["probationary"])
        whole_ids = {u.pk for u in whole}
        partial = [u for u in units if u.pk not in whole_ids]
        return _rollup_now(partial, user, result) if partial else result
    return _rollup_on(units, user, on, result)


def _rollup_now(units, user, result: dict[int, Counts]) -> dict[int, Counts]:
    # Units the user sees only part of (never on the pages, which list visible units): count the
    # visible members, one query per depth.
    by_len = defaultdict(dict)
    for u in units:
        by_len[len(u.path)][u.path] = u.pk
    for length, prefix_to_id in by_len.items():
        rows = (
            Member.objects.active().visible_to(user).filter(within_any_q(["org_path"], prefix_to_id))
            .annotate(prefix=Substr("org_path", 1, length))
            .values("prefix", "status")
            .annotate(n=Count("id"))
        )
        for row in rows:
            uid = prefix_to_id.get(row["prefix"])
            if uid is not None:
                result[uid].add(row["status"], row["n"])
    return result


def _rollup_on(units, user, on: date, result: dict[int, Counts]) -> dict[int, Counts]:
    # The tree as it was on `on`: each unit's path then, and every unit under it then that is the
    # user's on a past day (`OrgUnitVersion.visible_on`: in reach today or wholly inherited, wherever
    # it stood then). A member who has since moved away still counts in the cell they were in; a
    # cell that has since gone to another place counts for that place only.
    then = {v.unit_id: v.path for v in OrgUnitVersion.objects.on(on).filter(unit__in=units)}
    prefixes = {path: uid for uid, path in then.items()}
    if not prefixes:
        return result
    unit_to_path = dict(
        OrgUnitVersion.objects.visible_on(user, on).filter(within_any_q(["path"], prefixes))
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

    @classmethod
    def of(cls, counters: dict) -> "Breakdown":
        bands = {label: counters[f"band{i}"] for i, (label, _lo, _hi) in enumerate(AGE_BANDS)}
        return cls(counters["total"], counters["official"], counters["probationary"], counters["male"],
                   counters["female"], counters["minority"], bands)


def breakdown(unit, user, on: date | None = None) -> Breakdown:
    """Standard breakdown of `unit`'s subtree: its current members, ages as of `on` (default today).

    Today's figures of a subtree the user sees whole are one row of `UnitTally`; otherwise (a past
    day's ages, or a unit the user sees only part of) they are counted from the members.
    """
    today = timezone.localdate()
    on = on or today
    if on == today and can(user, "view", unit.path):  # the whole subtree is visible: its tally is the answer
        tally.ensure_current(today)
        row = tally.counters_of([unit.pk]).get(unit.pk)
        return Breakdown.of(row or dict.fromkeys(UnitTally.COUNTERS, 0))
    row = Member.objects.active().visible_subtree(user, unit.path).aggregate(**tally.breakdown_aggregates(on))
    return Breakdown.of(row)


def cube(unit, user, on: date | None = None) -> dict[tuple, int]:
    """The report cube of `unit`'s subtree (W2): current members by (status, gender, age band index,
    ethnicity, education level), {key: n} without empty cells.

    For the top levels of the tree (`tally.CUBE_DEPTH`) seen whole, today, it is the stored
    `CubeTally` rows; below them, or for a past day's ages, a GROUP BY over the subtree's members
    (a commune holds a few thousand).
    """
    today = timezone.localdate()
    on = on or today
    if on == today and unit.depth < tally.CUBE_DEPTH and can(user, "view", unit.path):
        tally.ensure_current(today)
        rows = (CubeTally.objects.filter(unit_id=unit.pk).exclude(n=0)
                .values_list("status", "gender", "band", "ethnicity", "education", "n"))
    else:
        rows = (Member.objects.active().visible_subtree(user, unit.path).order_by()
                .annotate(band=tally.band_case(on))
                .values_list("status", "gender", "band", "ethnicity", "education_level")
                .annotate(n=Count("id")))
    return {tuple(row[:5]): row[5] for row in rows}
