"""W1 of PERFORMANCE.md: the standard breakdown of a subtree, through the app and three references.

The app: `members.stats.breakdown(unit, user)` for a user with a "xem" grant on the root, exactly as
a view would call it. References, in the same run on the same rows:

- raw: one SQL statement with the same aggregates (`count(*) FILTER (…)`) straight on the member
  table; no path predicate for the nation, the path range otherwise;
- naive: what code without the materialized path would do: collect the descendant unit ids level by
  level through `parent`, then `Member.objects.filter(unit__in=ids)` with the same aggregates;
- numpy: the columns loaded once into arrays in tree order (load time excluded); a subtree is a
  binary search on the sorted paths and a scan of the slice. The floor: no database, no SQL.

Every method must give the same figures for every unit before anything is timed.
"""

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from time import perf_counter

import numpy as np
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.models import Grant
from access.rules import Role
from bench import w1_changes
from bench.timing import summarize
from core.bulk import chunks
from core.tree import END, subtree_q
from members.choices import AGE_BANDS
from members.models import MAJORITY_ETHNICITY, Gender, Member, Status
from members.stats import breakdown
from orgs.models import Kind, OrgUnit

LEVELS = {"nation": Kind.CENTRAL, "province": Kind.PROVINCE, "commune": Kind.COMMUNE, "cell": Kind.CELL}
METHODS = ("app", "raw", "naive", "numpy")
# Members counted in a breakdown (đảng số): the current ones, whatever other statuses the app adds.
ACTIVE = (Status.PROBATIONARY.value, Status.OFFICIAL.value)
IN_LIMIT = 30_000  # ids per IN (...) of the naive method: under SQLite's 32,766 parameters
FIELDS = ("total", "official", "probationary", "male", "female", "ethnic_minority", *(b[0] for b in AGE_BANDS))
MIN_REPS, MAX_REPS = 7, 31


def years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def band_limits(on: date) -> list[tuple[date, date]]:
    """Per age band, birth dates in (after, up_to]: age in [lo, hi] on `on`."""
    return [(years_before(on, hi + 1), years_before(on, lo)) for _label, lo, hi in AGE_BANDS]


def bench_user():
    """A user who may view the whole tree through a grant on the root, as a central officer would."""
    user, created = get_user_model().objects.get_or_create(username="bench-w1")
    if created:
        user.set_unusable_password()
        user.save()
    Grant.objects.get_or_create(user=user, unit=OrgUnit.objects.get(parent__isnull=True), role=Role.VIEWER)
    return user


def pick_units() -> dict[str, tuple[OrgUnit, int]]:
    """The root and, per level, the unit of median size among units of that kind: {level: (unit, members)}."""
    members = Member.objects.filter(status__in=ACTIVE)
    chosen = {"nation": (OrgUnit.objects.get(parent__isnull=True), members.count())}
    for level, kind in list(LEVELS.items())[1:]:
        path_to_unit = {u.path: u for u in OrgUnit.objects.filter(kind=kind)}
        length = len(next(iter(path_to_unit)))
        sizes = (
            members.annotate(prefix=Substr("org_path", 1, length))
            .values_list("prefix")
            .annotate(n=Count("id"))
            .order_by()
        )
        ranked = sorted((n, prefix) for prefix, n in sizes if prefix in path_to_unit)
        n, prefix = ranked[len(ranked) // 2]
        chosen[level] = (path_to_unit[prefix], n)
    return chosen


@dataclass
class Columns:
    """The member columns as numpy arrays, sorted by path (= the table's tree order)."""

    paths: np.ndarray  # bytes, byte order = C collation
    status: np.ndarray  # int8: 0 probationary, 1 official, 2 anything else
    male: np.ndarray  # bool
    female: np.ndarray  # bool
    minority: np.ndarray  # bool
    birth: np.ndarray  # int32 days since 1970-01-01
    all_active: bool


def load_columns() -> tuple[Columns, float]:
    t = perf_counter()
    with connection.cursor() as c:
        c.execute(
            "SELECT org_path, status, gender, CAST(birth_date AS TEXT), ethnicity FROM members_member"
            " ORDER BY org_path, id"
        )
        paths, statuses, genders, births, ethnicities = zip(*c.fetchall(), strict=True)
    status_codes = {Status.PROBATIONARY.value: 0, Status.OFFICIAL.value: 1}
    status = np.array([status_codes.get(s, 2) for s in statuses], dtype=np.int8)
    gender = np.array(genders)
    width = max(len(p) for p in paths) + len(END)  # room for "path~": a wider key would copy the array
    columns = Columns(
        paths=np.array(paths, dtype=f"S{width}"),
        status=status,
        male=gender == Gender.MALE.value,
        female=gender == Gender.FEMALE.value,
        minority=np.array(ethnicities) != MAJORITY_ETHNICITY,
        birth=np.array(births, dtype="datetime64[D]").astype(np.int32),
        all_active=bool((status < 2).all()),
    )
    return columns, perf_counter() - t


class Methods:
    """The four ways to compute a breakdown; each returns the figures as a tuple in FIELDS order."""

    def __init__(self, user, on: date, columns: Columns):
        self.user, self.on, self.columns = user, on, columns
        self.limits = band_limits(on)

    def app(self, unit: OrgUnit) -> tuple:
        # A request loads its user afresh, so each call looks the grants up again, as a page would.
        self.user.__dict__.pop("_scope_cache", None)
        b = breakdown(unit, self.user, on=self.on)
        return (b.total, b.official, b.probationary, b.male, b.female, b.ethnic_minority,
                *(b.age_bands[label] for label, _lo, _hi in AGE_BANDS))

    def raw(self, unit: OrgUnit) -> tuple:
        bands = ", ".join("count(*) FILTER (WHERE birth_date > %s AND birth_date <= %s)" for _ in self.limits)
        where = "status IN (%s, %s)"
        params: list = [Status.OFFICIAL.value, Status.PROBATIONARY.value, Gender.MALE.value, Gender.FEMALE.value,
                        MAJORITY_ETHNICITY]
        params += [d for limit in self.limits for d in limit]
        params += list(ACTIVE)
        if unit.depth > 0:
            where += " AND org_path >= %s AND org_path < %s"
            params += [unit.path, unit.path + END]
        sql = (
            "SELECT count(*), count(*) FILTER (WHERE status = %s), count(*) FILTER (WHERE status = %s),"
            " count(*) FILTER (WHERE gender = %s), count(*) FILTER (WHERE gender = %s),"
            f" count(*) FILTER (WHERE ethnicity <> %s), {bands} FROM members_member WHERE {where}"
        )
        with connection.cursor() as c:
            c.execute(sql, params)
            return tuple(c.fetchone())

    def naive(self, unit: OrgUnit) -> tuple:
        # The ORM as one first writes it: the descendants' ids, then `unit_id__in` them. SQLite takes at
        # most 32,766 parameters in a statement, so a long list goes in slices whose counts are added up.
        ids, frontier = [unit.pk], [unit.pk]
        while frontier:
            frontier = [pk for part in chunks(frontier, IN_LIMIT)
                        for pk in OrgUnit.objects.filter(parent_id__in=part).values_list("pk", flat=True)]
            ids += frontier
        aggregates = {
            "total": Count("id"),
            "official": Count("id", filter=Q(status=Status.OFFICIAL)),
            "probationary": Count("id", filter=Q(status=Status.PROBATIONARY)),
            "male": Count("id", filter=Q(gender=Gender.MALE)),
            "female": Count("id", filter=Q(gender=Gender.FEMALE)),
            "ethnic_minority": Count("id", filter=~Q(ethnicity=MAJORITY_ETHNICITY)),
        }
        for i, (after, up_to) in enumerate(self.limits):
            aggregates[f"band{i}"] = Count("id", filter=Q(birth_date__gt=after, birth_date__lte=up_to))
        rows = [tuple(Member.objects.filter(unit_id__in=part, status__in=ACTIVE).aggregate(**aggregates).values())
                for part in chunks(ids, IN_LIMIT)]
        return tuple(sum(column) for column in zip(*rows, strict=True))

    def numpy(self, unit: OrgUnit) -> tuple:
        cols = self.columns
        if unit.depth == 0:
            lo, hi = 0, len(cols.paths)
        else:
            lo = int(np.searchsorted(cols.paths, unit.path.encode()))
            hi = int(np.searchsorted(cols.paths, (unit.path + END).encode()))
        status, male, female = cols.status[lo:hi], cols.male[lo:hi], cols.female[lo:hi]
        minority, birth = cols.minority[lo:hi], cols.birth[lo:hi]
        if not cols.all_active:  # former members (if the fixture ever holds them) are not counted
            keep = status < 2
            status, male, female, minority, birth = (a[keep] for a in (status, male, female, minority, birth))
        official = int(np.count_nonzero(status == 1))
        probationary = int(np.count_nonzero(status == 0))
        epoch = date(1970, 1, 1).toordinal()
        at_or_before: dict[date, int] = {}
        for limit in {d for pair in self.limits for d in pair}:
            at_or_before[limit] = int(np.count_nonzero(birth <= limit.toordinal() - epoch))
        bands = [at_or_before[up_to] - at_or_before[after] for after, up_to in self.limits]
        return (official + probationary, official, probationary, int(np.count_nonzero(male)),
                int(np.count_nonzero(female)), int(np.count_nonzero(minority)), *bands)


def measure(fns: dict[str, Callable], unit: OrgUnit, budget: float) -> dict[str, list[float]]:
    """Milliseconds per call of each method, interleaved so that a noisy neighbour slows them all alike.

    After a warm-up, rounds of one call per method (in a rotating order) until MAX_REPS rounds, or
    fewer (at least MIN_REPS) once `budget` seconds per method have passed.
    """
    for fn in fns.values():
        t = perf_counter()
        fn(unit)
        if perf_counter() - t < 0.5:
            fn(unit)
            fn(unit)
    samples: dict[str, list[float]] = {name: [] for name in fns}
    names = list(fns)
    start = perf_counter()
    rounds = 0
    while rounds < MAX_REPS and (rounds < MIN_REPS or perf_counter() - start < budget * len(fns)):
        shift = rounds % len(names)
        for name in names[shift:] + names[:shift]:
            t = perf_counter()
            fns[name](unit)
            samples[name].append((perf_counter() - t) * 1000)
        rounds += 1
    return samples


def app_sql(methods: Methods, unit: OrgUnit) -> str:
    """The SQL of the app's aggregate for `unit`, with its parameters inlined."""
    with CaptureQueriesContext(connection) as ctx:
        methods.app(unit)
    return ctx.captured_queries[-1]["sql"]


def run_sql(sql: str) -> tuple:
    with connection.cursor() as c:
        c.execute(sql)
        return tuple(c.fetchone())


def explain(sql: str) -> str:
    """The plan of the app's own query, as the database ran it."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [row[0] for row in c.fetchall()]
        else:
            c.execute("EXPLAIN QUERY PLAN " + sql)
            lines = [row[-1] for row in c.fetchall()]
    return "\n".join(lines)


def check(methods: Methods, units: dict[str, tuple[OrgUnit, int]]) -> dict[str, dict]:
    """Every method's figures for every unit; abort unless they are all equal."""
    figures = {}
    for level, (unit, count) in units.items():
        got = {name: getattr(methods, name)(unit) for name in METHODS}
        if len(set(got.values())) != 1 or (level == "nation" and got["raw"][0] != count):
            lines = [f"W1: the methods disagree for {level} {unit.name} ({unit.path}, {count:,} rows):"]
            lines.append("  method  " + " ".join(f"{f:>15}" for f in FIELDS))
            lines += [f"  {name:7} " + " ".join(f"{v:>15}" for v in values) for name, values in got.items()]
            raise SystemExit("\n".join(lines))
        figures[level] = dict(zip(FIELDS, got["app"], strict=True))
        print(f"  {level:9} {unit.name} ({count:,} members): the four methods agree")
    return figures


# The national dashboard as a page process serves it: the tree page, the root's unit page and node
# summary, its breakdown and cube; in a fresh process, so its peak memory is the app's alone.
DASHBOARD = """
import django
django.setup()
from django.test import Client
from django.contrib.auth import get_user_model
from access.models import ApiToken
from orgs.models import OrgUnit
from members import stats
user = get_user_model().objects.get(username="bench-w1")
root = OrgUnit.objects.get(parent__isnull=True)
client = Client()
client.force_login(user)
token = ApiToken.issue(user)
for url in ("/to-chuc/", f"/to-chuc/{root.pk}/"):
    assert client.get(url).status_code == 200, url
assert client.get(f"/api/v1/orgs/{root.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
stats.breakdown(root, user)
stats.cube(root, user)
from core.memory import peak_rss_mb
print(peak_rss_mb())
"""


def dashboard_rss_mb() -> float:
    import os
    import subprocess
    import sys

    from bench.load import REPO

    out = subprocess.run([sys.executable, "-c", DASHBOARD], cwd=REPO, env={**os.environ, "ALLOWED_HOSTS": "testserver"},
                         capture_output=True, text=True, check=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def run(args, fixture: dict) -> dict:
    budget = args.budget
    user = bench_user()
    rss = dashboard_rss_mb()
    print(f"  the national dashboard in a fresh process: peak {rss:,.0f} MB")
    on = timezone.localdate()
    units = pick_units()
    columns, load_s = load_columns()
    print(f"  numpy columns loaded in {load_s:.1f} s (not timed)")
    methods = Methods(user, on, columns)
    figures = check(methods, units)
    # The app's own SQL sent straight to the database splits the app's time into the query and the
    # Python around it (building the queryset, the grant lookup, reading the row).
    sqls = {unit.pk: app_sql(methods, unit) for unit, _n in units.values()}
    fns = {name: getattr(methods, name) for name in METHODS}
    fns["app_sql"] = lambda u: run_sql(sqls[u.pk])
    timings: dict[str, dict] = {}
    for level, (unit, _n) in units.items():
        samples = measure(fns, unit, budget)
        timings[level] = {name: summarize(times) for name, times in samples.items()}
        # The Python around the app's query: paired by round, so drift between rounds cancels out.
        paired = [app - sql for app, sql in zip(samples["app"], samples["app_sql"], strict=True)]
        timings[level]["app"]["python"] = round(statistics.median(paired), 3)
        row = "  ".join(f"{name} {t['median']:.2f}" for name, t in timings[level].items())
        print(f"  {level:9} median ms: {row}")
    plans = {level: sqls[unit.pk] + "\n\n" + explain(sqls[unit.pk]) for level, (unit, _n) in units.items()}
    changes = w1_changes.run(user, units, measure, budget)
    return {
        "changes": changes,
        "on": on.isoformat(),
        "units": {
            level: {"name": unit.name, "path": unit.path, "kind": unit.kind, "members": n,
                    "units": OrgUnit.objects.filter(subtree_q("path", unit.path)).count()}
            for level, (unit, n) in units.items()
        },
        "figures": figures,
        "timings": timings,
        "plans": plans,
        "numpy_load_s": round(load_s, 2),
        "dashboard_peak_rss_mb": rss,
    }


# --- RESULTS.md ------------------------------------------------------------------------------------

LEVEL_NAMES = {"nation": "toàn quốc (nation)", "province": "tỉnh (province)", "commune": "xã (commune)",
               "cell": "chi bộ (cell)"}
# PERFORMANCE.md, W1: (app median at most, in ms; raw/app at least). The province and commune targets
# carry no database in PERFORMANCE.md, so they are held against both.
TARGETS: dict[tuple[str, str], tuple[float, float | None]] = {
    ("postgresql", "nation"): (20, 13),
    ("postgresql", "province"): (5, None),
    ("postgresql", "commune"): (2, None),
    ("sqlite", "nation"): (50, None),
    ("sqlite", "province"): (5, None),
    ("sqlite", "commune"): (2, None),
}


def verdict(db: str, level: str, timings: dict) -> tuple[str, str]:
    """(target text, met text) of a level, on the median of the app."""
    from bench.report import met

    target = TARGETS.get((db, level))
    if target is None:
        return "—", "—"
    ms, speedup = target
    app, raw = timings["app"]["median"], timings["raw"]["median"]
    text = f"≤ {ms:g} ms" + (f", ≥ {speedup:g}× raw" if speedup else "")
    return text, met(app <= ms and (speedup is None or raw / app >= speedup))


def render(results: dict[str, dict]) -> list[str]:
    from bench.report import DATABASES, fixture_line, fmt

    out = [
        "## W1: the standard breakdown of a subtree",
        "",
        "`members.stats.breakdown(unit, user)` as a page calls it (grants looked up afresh each call): total, "
        "official/probationary, gender, ethnic minority, five age bands. Classification (xếp loại) is part of W1 "
        "in PERFORMANCE.md but is not modeled yet (no assessment app). For a subtree the user sees whole, the app "
        "reads one `UnitTally` row (members.tally); the references scan the members.",
        "",
    ]
    for db, result in results.items():
        out += [
            f"### {DATABASES[db]} ({result['database_version']})",
            "",
            f"Run {result['machine']['date']}; ages as of {result['on']}. {fixture_line(result)}",
            "",
            "| level | unit (members) | app median / p95 ms | app's last SQL ms | raw ms | naive ms | numpy ms "
            "| raw/app | naive/app | app/numpy | target (PERFORMANCE.md) | |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for level, t in result["timings"].items():
            unit = result["units"][level]
            app = t["app"]["median"]
            target, ok = verdict(db, level, t)
            out.append(
                f"| {LEVEL_NAMES[level]} | {unit['name']} ({unit['members']:,}) | {fmt(app)} / {fmt(t['app']['p95'])} "
                f"| {fmt(t['app_sql']['median'])} | {fmt(t['raw']['median'])} | {fmt(t['naive']['median'])} "
                f"| {fmt(t['numpy']['median'])} | {t['raw']['median'] / app:.1f}× | {t['naive']['median'] / app:.1f}× "
                f"| {app / t['numpy']['median']:.1f} | {target} | {ok} |"
            )
        reps = sorted({m["n"] for t in result["timings"].values() for m in t.values()})
        out += [
            "",
            f"Medians and p95 (nearest rank) over {reps[0]}–{reps[-1]} interleaved rounds after a warm-up. "
            "\"app's last SQL\" is the app's last query (the tally row) sent straight to the database. Load "
            f"average {result['machine']['load_before']} before, {result['machine']['load_after']} after.",
            "",
            f"Memory: a fresh app process serving the national dashboard (the tree page, the root's unit page and "
            f"node summary, its breakdown and cube) peaks at **{result.get('dashboard_peak_rss_mb', 0):,.0f} MB** "
            "resident (PERFORMANCE.md / issue 4: at most 2 GB).",
            "",
            "Figures of the check (identical for all four methods):",
            "",
            "| level | " + " | ".join(next(iter(result["figures"].values()))) + " |",
            "|---|" + "---|" * len(next(iter(result["figures"].values()))),
        ]
        for level, figures in result["figures"].items():
            out.append(f"| {level} | " + " | ".join(f"{v:,}" for v in figures.values()) + " |")
        out += ["", *w1_changes.render(result)]
        out += ["<details><summary>The app's last query and its plan</summary>", ""]
        for level, plan in result["plans"].items():
            out += [f"**{level}**", "", "```", plan, "```", ""]
        out += ["</details>", ""]
    return out
