"""The unit's own targets of the year of the period's end, by status (`targets.tables`)."""

from datetime import date

from figures.indicators import Indicator, register
from targets.rules import Status
from targets.tables import rows, summary, unit_targets

G = "Chỉ tiêu"
INDICATORS = [
    Indicator("ct_tong", "Số chỉ tiêu của năm", G, "chỉ tiêu", stock=True),
    Indicator("ct_dat_vuot", "Chỉ tiêu đạt và vượt", G, "chỉ tiêu", stock=True),
    *[Indicator(f"ct_{s.value}", f"Chỉ tiêu {s.label.lower()}", G, "chỉ tiêu", stock=True) for s in Status],
]


def _compute(unit, user, period):
    s = summary(rows(unit_targets(unit, user, period.end.year), period.end.year, user, today=min(period.end, date.today())))
    return {"ct_tong": s.total, "ct_dat_vuot": s.met, **{f"ct_{k}": n for k, n in s.counts.items()}}


def register_all() -> None:
    register("targets", INDICATORS, _compute)
