"""The Vietnamese working-day calendar every deadline counts in.

A day is a working day unless it is a Saturday or Sunday (party and state offices work Monday to
Friday) or a public holiday, and unless the government's announcement for the year says otherwise.
Three sources, the later overriding the earlier:

1. the weekend;
2. the public holidays of the Labor Code 2019 art. 112 as the `holidays` package computes them
   (`holidays.VN`): Tết by the lunar calendar, Giỗ Tổ Hùng Vương on 10/3 lunar, the days off in lieu
   when a holiday falls on a weekend, and the swaps the package already knows (with their make-up
   Saturdays, `weekend_workdays`);
3. `DayException` rows: the swapped days off and make-up working days administrators enter from each
   year's announcement (they win over both, so a wrong or missing package entry is fixed by a row).

Each year is read once per process (one query for its rows) and kept for CACHE_SECONDS; saving or
deleting a row empties the cache at once in this process (calendars.receivers), and the other
processes (gunicorn workers) see it within CACHE_SECONDS. A thread whose open transaction changed a row
reads without caching until that transaction ends, so a rollback never leaves its rows in the cache.
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays
from django.db import connection

CACHE_SECONDS = 60
MAX_DAYS = 3660  # about ten years of working days: a longer deadline is a typing error


@dataclass(frozen=True)
class Day:
    """A day that is not what its weekday says, or a public holiday: for the calendar page and the API."""

    day: date
    working: bool
    name: str
    origin: str  # "luat" (the package's holidays), "thong_bao" (a DayException row)
    source: str = ""
    exception_id: int | None = None


@dataclass
class Year:
    off: dict[date, Day] = field(default_factory=dict)  # weekdays (or holidays on weekends) not worked
    working: dict[date, Day] = field(default_factory=dict)  # weekend days worked (make-up days)


_cache: dict[int, tuple[float, Year]] = {}
_lock = threading.Lock()
_local = threading.local()  # .changing: this thread's open transaction changed a row


def forget() -> None:
    """Empty the cache: the next question reads each year again."""
    with _lock:
        _cache.clear()


def changing() -> None:
    """A row changes in this thread's transaction: forget now, and read uncached until it ends."""
    forget()
    _local.changing = True


def changed() -> None:
    """The transaction that changed a row committed."""
    _local.changing = False
    forget()


def statutory(year: int) -> Year:
    """The year as the `holidays` package gives it, without the administrators' rows."""
    y = Year()
    package = holidays.VN(years=year, language="vi")
    for d, name in sorted(package.items()):
        y.off[d] = Day(d, False, name, "luat")
    for d in sorted(package.weekend_workdays):
        if d.year == year:
            y.working[d] = Day(d, True, "Ngày làm bù", "luat")
    return y


def _load(year: int) -> Year:
    from calendars.models import DayException, DayKind

    y = statutory(year)
    for row in DayException.objects.filter(day__year=year):
        working = row.kind == DayKind.WORKING
        day = Day(row.day, working, row.note or row.get_kind_display(), "thong_bao", row.source, row.pk)
        y.off.pop(row.day, None)
        y.working.pop(row.day, None)
        (y.working if working else y.off)[row.day] = day
    return y


def calendar_of(year: int) -> Year:
    if getattr(_local, "changing", False):
        if connection.in_atomic_block:
            return _load(year)  # may hold rows a rollback will undo: never cached
        changed()  # the transaction ended without committing (a commit would have called changed())
    now = time.monotonic()
    with _lock:
        hit = _cache.get(year)
    if hit and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    y = _load(year)
    with _lock:
        _cache[year] = (now, y)
    return y


def is_working_day(d: date) -> bool:
    y = calendar_of(d.year)
    if d in y.working:
        return True
    if d in y.off:
        return False
    return d.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """The day on which `n` working days have passed, counted from the day after `start`.

    `n` = 0 is `start` itself. Counting from the day after is how a deadline "within N working days of"
    a decision runs: the decision's own day is not one of them."""
    if n < 0 or n > MAX_DAYS:
        raise ValueError(f"n must be between 0 and {MAX_DAYS}")
    d = start
    while n:
        d += timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def working_days_between(a: date, b: date) -> int:
    """Working days after `a` up to and including `b` (negative when `b` is before `a`), so that
    `working_days_between(s, add_working_days(s, n)) == n`."""
    if b < a:
        return -working_days_between(b, a)
    count, d = 0, a
    while d < b:
        d += timedelta(days=1)
        count += is_working_day(d)
    return count


def special_days(year: int) -> list[Day]:
    """The year's holidays, days off and make-up days, in date order."""
    y = calendar_of(year)
    return sorted([*y.off.values(), *y.working.values()], key=lambda day: day.day)


def long_breaks(year: int, min_days: int = 3) -> list[tuple[date, date, int]]:
    """The runs of at least `min_days` consecutive days off that start in `year` (first day, last day,
    length): the Tết break, the 30/4–1/5 and 2/9 breaks, as the announcements state them."""
    out, d, end = [], date(year, 1, 1), date(year, 12, 31)
    while d <= end:
        if is_working_day(d):
            d += timedelta(days=1)
            continue
        first = d
        while not is_working_day(d + timedelta(days=1)):
            d += timedelta(days=1)
        length = (d - first).days + 1
        if length >= min_days:
            out.append((first, d, length))
        d += timedelta(days=1)
    return out
