"""Figures other capabilities compute from the classification (the targets app: "≥ 95% of grassroots
organizations rated good or better"). They read through `results`, so they count what the results page
shows, within what `user` may see."""

from dataclasses import dataclass
from decimal import Decimal

from assessment import results
from assessment.rules import GOOD_OR_BETTER, Subject
from core.text import vn_number
from orgs.models import GRASSROOTS_KINDS, OrgUnit


@dataclass(frozen=True)
class Share:
    good_or_better: int
    total: int
    percent: Decimal | None  # None when nothing was rated: a target is then unknown, neither met nor missed

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else vn_number(float(self.percent), 2)

    def meets(self, target_percent) -> bool | None:
        return None if self.percent is None else self.percent >= Decimal(str(target_percent))


def share_good_or_better(unit: OrgUnit, user, year: int, subject: str = Subject.ORGANIZATIONS,
                         grassroots_only: bool = False) -> Share:
    """The share of `subject` ("organizations" or "members") in `unit`'s subtree decided "hoàn thành xuất sắc"
    or "hoàn thành tốt nhiệm vụ" for `year`, in percent to two decimals (rounded down, so 94.999… is not
    95). `grassroots_only` counts only grassroots party organizations (đảng bộ cơ sở, chi bộ cơ sở)."""
    kinds = GRASSROOTS_KINDS if grassroots_only and subject == Subject.ORGANIZATIONS else None
    counts = results.counts_by_level(unit, user, year, subject, kinds)
    total = sum(counts.values())
    good = sum(counts.get(level, 0) for level in GOOD_OR_BETTER)
    if not total:
        return Share(0, 0, None)
    percent = (Decimal(good) * 100 / total).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return Share(good, total, percent)
