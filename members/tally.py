"""Tallies: member counts per unit, kept in step with every change (ARCHITECTURE.md §6).

`UnitTally` holds the standard breakdown of each unit's whole subtree and `CubeTally` the full
cube (status × gender × age band × ethnicity × education) for the top `CUBE_DEPTH` levels, so a
figure for the nation is one row instead of a scan of 5.6 million members. Events stay the truth:
`rebuild()` recomputes every tally from the members table and `check()` lists where they differ.

Every write that changes who is a current member, where, or a counted attribute calls this module
inside its own transaction, *after* writing the members: `apply()` with the `State` of each
member before and after (None when not a current member), or `groups_of()` before and `shift()`
after moving a whole group. A change at a cell is added to the cell and to each of its ancestors
(their ids are the segments of the path), in id order, so concurrent writers lock rows in the
same order and cannot deadlock.

Ages move with nobody writing. `TallyClock.ages_on` is the day the age bands count for and
`ensure_current()` rolls it forward to today, moving the few members whose birthday that day
crosses a band edge (found through the indexed `Member.birth_md`). On PostgreSQL writers hold the
clock row FOR SHARE until they commit and the roll locks the table, so no write counts ages for
a day the roll has already passed. On SQLite every write transaction is serialized anyway.
"""

from calendar import isleap
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from core.bulk import insert_rows
from core.tree import SEGMENT, ids_of
from members.choices import AGE_BANDS, NO_BAND, Gender, Status, band_of, years_before
from members.models import MAJORITY_ETHNICITY, CubeTally, Member, TallyClock, UnitTally

CUBE_DEPTH = 2  # the cube is kept for depth 0 and 1 (the nation and its committees, or a province and its communes)
MAX_ROLL_DAYS = 400  # a clock further behind than this is rebuilt rather than rolled day by day
COUNTERS = UnitTally.COUNTERS
BATCH = 500  # rows per upsert statement (SQLite allows 32,766 parameters)


class State(NamedTuple):
    """What the tallies count of one current member."""

    path: str
    status: str
    gender: str
    birth_date: date
    ethnicity: str
    education: str


class Key(NamedTuple):
    """A cube cell: the counted attributes with the age band for the clock's day."""

    status: str
    gender: str
    band: int
    ethnicity: str
    education: str


def state(member: Member) -> State | None:
    """The member as the tallies see them now (call after `fill_derived`/`save`); None if not current."""
    if member.status not in (Status.PROBATIONARY, Status.OFFICIAL):
        return None
    return State(member.org_path, member.status, member.gender, member.birth_date, member.ethnicity,
                 member.education_level)


def vector(key: Key, n: int = 1) -> list[int]:
    """The UnitTally counters `n` members of `key` add."""
    out = [n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    out[1 if key.status == Status.OFFICIAL else 2] = n
    out[3 if key.gender == Gender.MALE else 4] = n
    if key.ethnicity != MAJORITY_ETHNICITY:
        out[5] = n
    if key.band != NO_BAND:
        out[6 + key.band] = n
    return out


# --- the clock ---------------------------------------------------------------------------------

def _read_clock(lock: bool) -> date | None:
    with connection.cursor() as c:
        share = " FOR SHARE" if lock and connection.vendor == "postgresql" else ""
        c.execute(f"SELECT ages_on FROM {TallyClock._meta.db_table} WHERE id = 1{share}")
        row = c.fetchone()
    if row is None:
        return None
    value = row[0]
    return date.fromisoformat(value) if isinstance(value, str) else value


def _clock_for_write() -> tuple[date, bool]:
    """(the day ages count for, whether the tallies were just built from the members as they are now).

    A database without a clock (just migrated or flushed) builds its tallies on first use.
    """
    day = _read_clock(lock=True)
    if day is not None:
        return day, False
    return rebuild(), True


def _lock_for_rebuild() -> None:
    if connection.vendor == "postgresql":
        # Conflicts with the writers' FOR SHARE, not with plain reads of the clock.
        with connection.cursor() as c:
            c.execute(f"LOCK TABLE {TallyClock._meta.db_table} IN EXCLUSIVE MODE")


def ensure_current(today: date | None = None) -> date:
    """Roll the age bands forward to `today` if they are behind; the day they count for."""
    today = today or timezone.localdate()
    day = _read_clock(lock=False)
    if day is not None and day >= today:
        return day
    with transaction.atomic():
        _lock_for_rebuild()
        day = _read_clock(lock=False)  # someone may have rolled while we waited for the lock
        if day is None or (today - day).days > MAX_ROLL_DAYS:
            return rebuild(today)
        while day < today:
            day += timedelta(days=1)
            _roll(day)
        TallyClock.objects.filter(pk=1).update(ages_on=today)
    return today


def _roll(day: date) -> None:
    """Move the members whose age band changes on `day` (their birthday) to their new band."""
    birthdays = [day.month * 100 + day.day]
    if day.month == 3 and day.day == 1 and not isleap(day.year):
        birthdays.append(229)  # born on 29 February: a year older from 1 March in other years
    before = day - timedelta(days=1)
    deltas: dict[tuple[str, Key], int] = defaultdict(int)
    rows = (Member.objects.filter(status__in=[Status.PROBATIONARY, Status.OFFICIAL], birth_md__in=birthdays)
            .values_list("org_path", "status", "gender", "birth_date", "ethnicity", "education_level"))
    for path, status, gender, birth, ethnicity, education in rows.iterator(chunk_size=5000):
        old, new = band_of(birth, before), band_of(birth, day)
        if old != new:
            deltas[(path, Key(status, gender, old, ethnicity, education))] -= 1
            deltas[(path, Key(status, gender, new, ethnicity, education))] += 1
    _add(deltas)


def counters_of(unit_ids: list[int]) -> dict[int, dict[str, int]]:
    """The UnitTally counters of these units ({} for a unit without members). Callers check first
    that the user sees the units' whole subtrees (`can`); a page calls this on every request, so
    it is one plain statement rather than a queryset compiled each time (a third of a millisecond)."""
    if not unit_ids:
        return {}
    marks = ", ".join(["%s"] * len(unit_ids))
    with connection.cursor() as c:
        c.execute(f"SELECT unit_id, {', '.join(COUNTERS)} FROM {UnitTally._meta.db_table} WHERE unit_id IN ({marks})",
                  list(unit_ids))
        return {row[0]: dict(zip(COUNTERS, row[1:], strict=True)) for row in c.fetchall()}


# --- incremental changes -----------------------------------------------------------------------

def apply(entries: Iterable[tuple[State | None, int]]) -> None:
    """Count `n` more (or fewer, n < 0) members of each state; call after the members are written."""
    day, built = _clock_for_write()
    if built:
        return  # the tallies were just counted from the members as they now are
    deltas: dict[tuple[str, Key], int] = defaultdict(int)
    for st, n in entries:
        if st is not None and n:
            key = Key(st.status, st.gender, band_of(st.birth_date, day), st.ethnicity, st.education)
            deltas[(st.path, key)] += n
    _add(deltas)


def change(before: State | None, after: State | None) -> None:
    """One member changed from `before` to `after`."""
    if before != after:
        apply([(before, -1), (after, 1)])


def groups_of(members) -> dict[Key, int]:
    """How many of `members` (a queryset) are in each cube cell, ages as of the clock's day.
    Call before moving them, then `shift()` after."""
    day, _built = _clock_for_write()
    rows = (members.filter(status__in=[Status.PROBATIONARY, Status.OFFICIAL])
            .annotate(band=band_case(day))
            .values_list("status", "gender", "band", "ethnicity", "education_level")
            .annotate(n=Count("id")).order_by())
    return {Key(*row[:5]): row[5] for row in rows}


def shift(groups: dict[Key, int], from_path: str, to_path: str) -> None:
    """`groups` (from `groups_of`) left the unit at `from_path` (and its ancestors) for `to_path`.
    Either path may be "" (nowhere)."""
    if from_path == to_path or not groups:
        return
    deltas: dict[tuple[str, Key], int] = defaultdict(int)
    for key, n in groups.items():
        if from_path:
            deltas[(from_path, key)] -= n
        if to_path:
            deltas[(to_path, key)] += n
    _add(deltas)


def _add(deltas: dict[tuple[str, Key], int]) -> None:
    """Add the deltas to the unit at each path and to its ancestors, then write them."""
    units: dict[int, list[int]] = {}
    cube: dict[tuple[int, Key], int] = defaultdict(int)
    for (path, key), n in deltas.items():
        if not n:
            continue
        vec = vector(key, n)
        for depth, uid in enumerate(ids_of(path)):
            acc = units.setdefault(uid, [0] * len(COUNTERS))
            for i, v in enumerate(vec):
                acc[i] += v
            if depth < CUBE_DEPTH:
                cube[(uid, key)] += n
    _upsert_units({uid: v for uid, v in units.items() if any(v)})
    _upsert_cube({k: n for k, n in cube.items() if n})


def _upsert_units(units: dict[int, list[int]]) -> None:
    table = UnitTally._meta.db_table
    cols = ", ".join(COUNTERS)
    sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    rows = sorted(units.items())  # id order: every writer locks the rows in the same order
    with connection.cursor() as c:
        for i in range(0, len(rows), BATCH):
            chunk = rows[i:i + BATCH]
            values = ", ".join(["(" + ", ".join(["%s"] * (1 + len(COUNTERS))) + ")"] * len(chunk))
            params = [x for uid, vec in chunk for x in (uid, *vec)]
            c.execute(f"INSERT INTO {table} (unit_id, {cols}) VALUES {values} "
                      f"ON CONFLICT (unit_id) DO UPDATE SET {sets}", params)


def _upsert_cube(cube: dict[tuple[int, Key], int]) -> None:
    table = CubeTally._meta.db_table
    rows = sorted(cube.items())
    with connection.cursor() as c:
        for i in range(0, len(rows), BATCH):
            chunk = rows[i:i + BATCH]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params = [x for (uid, key), n in chunk for x in (uid, *key, n)]
            c.execute(f"INSERT INTO {table} (unit_id, status, gender, band, ethnicity, education, n) VALUES {values} "
                      f"ON CONFLICT (unit_id, status, gender, band, ethnicity, education) "
                      f"DO UPDATE SET n = {table}.n + excluded.n", params)


# --- counting from the members table -------------------------------------------------------------

def band_case(on: date) -> Case:
    """The age band of a member on `on`, in SQL (the same edges as `choices.band_of`)."""
    whens = [When(birth_date__gt=years_before(on, AGE_BANDS[0][1]), then=Value(NO_BAND))]
    for i, (_label, _lo, hi) in enumerate(AGE_BANDS):
        whens.append(When(birth_date__gt=years_before(on, hi + 1), then=Value(i)))
    return Case(*whens, default=Value(NO_BAND), output_field=IntegerField())


def breakdown_aggregates(on: date) -> dict:
    """The UnitTally counters as aggregates over members (ages on `on`)."""
    aggregates = {
        "total": Count("id"),
        "official": Count("id", filter=Q(status=Status.OFFICIAL)),
        "probationary": Count("id", filter=Q(status=Status.PROBATIONARY)),
        "male": Count("id", filter=Q(gender=Gender.MALE)),
        "female": Count("id", filter=Q(gender=Gender.FEMALE)),
        "minority": Count("id", filter=~Q(ethnicity=MAJORITY_ETHNICITY)),
    }
    for i, (_label, lo, hi) in enumerate(AGE_BANDS):
        # born in (on - hi - 1 years, on - lo years]  <=>  age in [lo, hi]
        aggregates[f"band{i}"] = Count(
            "id", filter=Q(birth_date__gt=years_before(on, hi + 1), birth_date__lte=years_before(on, lo)))
    return aggregates


def count_from_members(on: date) -> tuple[dict[int, list[int]], dict[tuple[int, Key], int]]:
    """What the tallies should hold on day `on`, counted from the members table."""
    current = Member.objects.filter(status__in=[Status.PROBATIONARY, Status.OFFICIAL]).order_by()
    units: dict[int, list[int]] = {}
    for row in current.values("org_path").annotate(**breakdown_aggregates(on)).iterator(chunk_size=10000):
        vec = [row[c] for c in COUNTERS]
        for uid in ids_of(row["org_path"]):
            acc = units.setdefault(uid, [0] * len(COUNTERS))
            for i, v in enumerate(vec):
                acc[i] += v
    # One GROUP BY at the deepest level of the cube; the levels above are sums of it (members of a
    # shallower unit have a shorter prefix and count in that unit and its ancestors only).
    cube: dict[tuple[int, Key], int] = defaultdict(int)
    rows = (current.annotate(prefix=Substr("org_path", 1, SEGMENT * CUBE_DEPTH), band=band_case(on))
            .values_list("prefix", "status", "gender", "band", "ethnicity", "education_level")
            .annotate(n=Count("id")))
    for prefix, *key, n in rows.iterator(chunk_size=10000):
        k = Key(*key)
        for uid in ids_of(prefix):
            cube[(uid, k)] += n
    return units, cube


@transaction.atomic
def rebuild(on: date | None = None) -> date:
    """Recount every tally from the members table, ages as of `on` (today); returns `on`."""
    on = on or timezone.localdate()
    _lock_for_rebuild()
    units, cube = count_from_members(on)
    UnitTally.objects.all().delete()
    CubeTally.objects.all().delete()
    insert_rows(UnitTally._meta.db_table, ["unit_id", *COUNTERS],
                ((uid, *vec) for uid, vec in sorted(units.items()) if any(vec)))
    insert_rows(CubeTally._meta.db_table, ["unit_id", "status", "gender", "band", "ethnicity", "education", "n"],
                ((uid, *key, n) for (uid, key), n in sorted(cube.items())))
    TallyClock.objects.update_or_create(pk=1, defaults={"ages_on": on})
    return on


def check() -> list[str]:
    """Where the stored tallies differ from a recount (empty: they agree), in Vietnamese."""
    on = ensure_current()
    units, cube = count_from_members(on)
    problems = []
    stored = {t.unit_id: [getattr(t, c) for c in COUNTERS] for t in UnitTally.objects.all().iterator(chunk_size=10000)}
    for uid in sorted(set(units) | set(stored)):
        want, have = units.get(uid, [0] * len(COUNTERS)), stored.get(uid, [0] * len(COUNTERS))
        if want != have:
            diff = ", ".join(f"{c} {h} ≠ {w}" for c, h, w in zip(COUNTERS, have, want, strict=True) if h != w)
            problems.append(f"Tổ chức #{uid}: {diff} (đang lưu ≠ đếm lại)")
    stored_cube = {(t.unit_id, Key(t.status, t.gender, t.band, t.ethnicity, t.education)): t.n
                   for t in CubeTally.objects.exclude(n=0).iterator(chunk_size=10000)}
    for k in sorted(set(cube) | set(stored_cube)):
        if cube.get(k, 0) != stored_cube.get(k, 0):
            problems.append(f"Tổ chức #{k[0]}, nhóm {tuple(k[1])}: {stored_cube.get(k, 0)} ≠ {cube.get(k, 0)}")
    return problems
