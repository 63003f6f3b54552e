"""Reading a typed value for a target's kind, and the status of a target for a year (rules.STATUS_NOTES)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from core.errors import DomainError
from targets.rules import PERCENT_KINDS, Direction, Kind, Status

YES = {"co", "có", "x", "1", "dat", "đạt", "true", "yes"}
NO = {"khong", "không", "0", "chua", "chưa", "false", "no"}


def parse_value(kind: str, raw, field: str = "value", what: str = "Kết quả") -> Decimal:
    """The value typed for a target of `kind` ("12", "12,5", "95%", "có"), or a DomainError saying what to type."""
    if isinstance(raw, bool):  # JSON true/false: an answer to a yes/no target only
        if kind != Kind.YES_NO:
            raise DomainError(f"{what} phải là số, không phải đúng/sai.", field=field)
        raw = int(raw)
    text = str(raw if raw is not None else "").strip()
    if not text:
        raise DomainError(f"Hãy nhập {what.lower()}.", field=field)
    if kind == Kind.YES_NO:
        low = text.lower()
        if low in YES:
            return Decimal(1)
        if low in NO:
            return Decimal(0)
        raise DomainError(f"{what} “{text}” không hợp lệ: chỉ tiêu có/không chỉ nhận “có” hoặc “không”.", field=field)
    number = text.rstrip("%").strip().replace(" ", "")
    if "," in number and "." in number:  # 1.250,5 as Vietnamese write it
        number = number.replace(".", "").replace(",", ".")
    elif "," in number:
        number = number.replace(",", ".")
    elif number.count(".") == 1 and len(number.split(".")[1]) == 3 and kind == Kind.COUNT:
        number = number.replace(".", "")  # 1.250 = một nghìn hai trăm năm mươi
    try:
        value = Decimal(number)
    except InvalidOperation:
        label = "số nguyên, ví dụ 12" if kind == Kind.COUNT else "số, ví dụ 95 hoặc 95,5"
        raise DomainError(f"{what} “{text}” không phải là số; chỉ tiêu “{Kind(kind).label}” cần {label}.",
                          field=field) from None
    if not value.is_finite():
        raise DomainError(f"{what} “{text}” không phải là số.", field=field)
    if value < 0:
        raise DomainError(f"{what} không được âm ({text}).", field=field)
    if kind == Kind.COUNT and value != value.to_integral_value():
        raise DomainError(f"{what} “{text}” không hợp lệ: chỉ tiêu số lượng là số nguyên (ví dụ 12).", field=field)
    if kind in PERCENT_KINDS and value > 100:
        raise DomainError(f"{what} {text} không hợp lệ: tỷ lệ không quá 100%. Nếu là phần trăm so với kế hoạch "
                          "(ví dụ “đạt 115% kế hoạch”), hãy ghi chỉ tiêu số lượng và nhập số thực hiện.", field=field)
    if value.as_tuple().exponent < -2:
        value = value.quantize(Decimal("0.01"))
    return value


def year_end(year: int) -> date:
    return date(year, 12, 31)


def compare(direction: str, kind: str, value: Decimal, planned: Decimal) -> str:
    """Đạt, vượt or chưa đạt of a value against a plan: "vượt" is strictly beyond the plan in the target's
    direction; exactly the plan is "đạt". A yes/no target is met or not."""
    if kind == Kind.YES_NO:
        return Status.ACHIEVED if (value >= planned if direction == Direction.AT_LEAST else value <= planned) \
            else Status.NOT_ACHIEVED
    if direction == Direction.AT_MOST:
        value, planned = -value, -planned
    if value > planned:
        return Status.EXCEEDED
    return Status.ACHIEVED if value == planned else Status.NOT_ACHIEVED


@dataclass(slots=True)
class YearFigure:
    """A target's figures for one year: its plan (that year's, or the end-of-term one it leads to), the year's
    value (the period ending 31/12) or the latest one within the year, and the status."""

    year: int
    planned: Decimal | None
    planned_year: int | None  # the year the plan is for (later than `year` for an end-of-term plan)
    value: Decimal | None
    value_end: date | None
    final: bool  # the value is the whole year's
    status: str

    @property
    def percent_of_plan(self) -> float | None:
        if self.value is None or not self.planned:
            return None
        return float(self.value / self.planned * 100)

    @property
    def bar(self) -> float:
        """Width of the progress bar, 0–100."""
        p = self.percent_of_plan
        return 0.0 if p is None else max(0.0, min(100.0, p))


def figure(target, year: int, plans: dict[int, Decimal], values: list, today: date) -> YearFigure:
    """`plans`: {year: value} of the target; `values`: its (period_end, value) pairs within `year`, any order.
    Called once per part of a roll-up (thousands): one pass over the few values, no sorting."""
    if year in plans:
        planned_year = year
    else:
        later = [y for y in plans if y > year]
        planned_year = min(later) if later else None
    planned = plans[planned_year] if planned_year is not None else None
    final = latest = None
    for v in values:
        if v[0].year != year:
            continue
        if v[0].month == 12 and v[0].day == 31:
            final = v
        if latest is None or v[0] > latest[0]:
            latest = v
    if final is not None:
        latest = final
    value = latest[1] if latest else None
    if planned is None or planned_year != year:  # no plan, or the plan is for a later year (end of term)
        status = Status.NOT_DUE
    elif final is not None:
        status = compare(target.direction, target.kind, final[1], planned)
    elif today <= date(year, 12, 31):
        status = Status.NOT_DUE
    else:
        status = Status.NO_FIGURE
    return YearFigure(year, planned, planned_year, value, latest[0] if latest else None, final is not None, status)
