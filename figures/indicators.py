"""The reading layer's indicators: every figure a report or a table can show, by a stable code.

An indicator is computed for a unit's subtree (as the user sees it) over a period [start, end], or as of the
period's end for a stock ("đảng viên tại ngày"). Reports and tables ask `compute()` for codes and never read
the apps themselves, so a figure has one definition however many templates print it; a code nothing computes
(a period before the unit kept its records here) is declared by hand in a report submission instead.

    compute(["dv_tong", "kn_tong"], unit, user, start, end) -> {"dv_tong": 1234, "kn_tong": 56}

Indicators are registered by the modules of this app (`figures/from_*.py`), which read the apps below; no app
imports `figures` (the reading layer: reports and the dashboard read it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class Indicator:
    code: str  # stable: templates and submissions name it ("dv_tong", "kn_tong", "kl_khien_trach")
    label: str  # Vietnamese, as a report prints it
    group: str  # "Đảng viên", "Biến động", "Xếp loại", "Kiểm tra, kỷ luật", "Chỉ tiêu", "Khen thưởng"
    measure: str = "người"  # unit of measure: người, tổ chức, %, cuộc …
    stock: bool = False  # True: as of the period's end; False: a flow over the period


# A group's computer gives every indicator of its group at once (one pass over the data, not one per code).
Computer = Callable[[object, object, Period], dict[str, float | int | None]]

_indicators: dict[str, Indicator] = {}
_computers: dict[str, tuple[tuple[str, ...], Computer]] = {}


def register(group_key: str, indicators: list[Indicator], computer: Computer) -> None:
    """Register a group's indicators and the function computing them; again replaces (ready() may run twice)."""
    for ind in indicators:
        _indicators[ind.code] = ind
    _computers[group_key] = (tuple(i.code for i in indicators), computer)


def all_indicators() -> list[Indicator]:
    return list(_indicators.values())


def get(code: str) -> Indicator | None:
    return _indicators.get(code)


def compute(codes, unit, user, start: date, end: date) -> dict[str, float | int | None]:
    """The value of each code for `unit`'s subtree as `user` sees it over [start, end]; an unknown code is
    None (the caller declares it or leaves it blank)."""
    wanted = set(codes)
    period = Period(start, end)
    out: dict[str, float | int | None] = dict.fromkeys(wanted)
    for group_codes, computer in _computers.values():
        if wanted.intersection(group_codes):
            values = computer(unit, user, period)
            out.update({c: values.get(c) for c in group_codes if c in wanted})
    return out
