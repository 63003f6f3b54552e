"""W2 of PERFORMANCE.md: the full report cube of a subtree, through the app and a raw GROUP BY.

The app: `members.stats.cube(unit, user)` (status × gender × age band × ethnicity × education) for
a user with a "xem" grant on the root, as a report would call it, for the nation, the median-sized
province and the median-sized commune (`w1.pick_units`). The nation and a province (the top
`tally.CUBE_DEPTH` levels) read their stored `CubeTally` rows; a commune is a GROUP BY over its
members.

The reference, in the same run on the same rows: one hand-written GROUP BY on `members_member`
with the age band as a CASE on the birth date (the edges of `members.choices.band_of`) and the
education as stored (`Member.education_level`); no path predicate for the nation, the path range
otherwise. Both must give the same cube, cell by cell, before anything is timed; the commune's cube
is also counted in Python from its member rows with `band_of` itself.
"""

from collections import Counter

from django.db import connection
from django.utils import timezone

from bench import w1
from bench.timing import summarize
from core.tree import END, subtree_q
from members.choices import AGE_BANDS, NO_BAND, band_of, years_before
from members.models import Member
from members.stats import cube
from orgs.models import OrgUnit

LEVELS = ("nation", "province", "commune")
METHODS = ("app", "raw")


class Methods:
    """The ways to count a cube; each returns {(status, gender, band, ethnicity, education): n}."""

    def __init__(self, user, on):
        self.user, self.on = user, on

    def app(self, unit: OrgUnit) -> dict:
        self.user.__dict__.pop("_scope_cache", None)  # a request loads its user, and so its grants, afresh
        return cube(unit, self.user, on=self.on)

    def raw(self, unit: OrgUnit) -> dict:
        # Band i holds ages [lo, hi]: born after the day `hi + 1` years back; younger than 18 is no band.
        whens = ["WHEN birth_date > %s THEN %s"]
        params: list = [years_before(self.on, AGE_BANDS[0][1]), NO_BAND]
        for i, (_label, _lo, hi) in enumerate(AGE_BANDS):
            whens.append("WHEN birth_date > %s THEN %s")
            params += [years_before(self.on, hi + 1), i]
        params.append(NO_BAND)
        where = "status IN (%s, %s)"
        params += list(w1.ACTIVE)
        if unit.depth > 0:
            where += " AND org_path >= %s AND org_path < %s"
            params += [unit.path, unit.path + END]
        sql = (f"SELECT status, gender, CASE {' '.join(whens)} ELSE %s END AS band, ethnicity, education_level,"
               f" count(*) FROM members_member WHERE {where} GROUP BY 1, 2, 3, 4, 5")
        with connection.cursor() as c:
            c.execute(sql, params)
            return {tuple(row[:5]): row[5] for row in c.fetchall()}

    def python(self, unit: OrgUnit) -> dict:
        """The definition itself, row by row (for the check only: a commune holds a few thousand)."""
        rows = (Member.objects.active().filter(subtree_q("org_path", unit.path))
                .values_list("status", "gender", "birth_date", "ethnicity", "education_level"))
        return dict(Counter((s, g, band_of(b, self.on), e, ed) for s, g, b, e, ed in rows.iterator()))


def check(methods: Methods, units: dict) -> dict[str, dict]:
    """The cube of every unit by every method; abort unless they are equal. {level: facts of the cube}."""
    facts = {}
    for level, (unit, count) in units.items():
        got = {name: getattr(methods, name)(unit) for name in METHODS}
        if level == "commune":
            got["python"] = methods.python(unit)
        total = sum(got["raw"].values())
        if any(g != got["raw"] for g in got.values()) or total != count:
            lines = [f"W2: the cubes differ for {level} {unit.name} ({unit.path}, {count:,} members):"]
            for name, c in got.items():
                lines.append(f"  {name}: {len(c):,} cells, {sum(c.values()):,} members")
            keys = sorted(set().union(*got.values()), key=str)
            diff = [k for k in keys if len({g.get(k, 0) for g in got.values()}) > 1]
            lines += [f"  {k}: " + ", ".join(f"{name} {g.get(k, 0)}" for name, g in got.items()) for k in diff[:20]]
            raise SystemExit("\n".join(lines))
        facts[level] = {"cells": len(got["app"]), "members": total,
                        "ethnicities": len({k[3] for k in got["app"]})}
        print(f"  {level:9} {unit.name} ({count:,} members): {len(got['app']):,} cells, the methods agree")
    return facts


def run(args, fixture: dict) -> dict:
    user = w1.bench_user()
    on = timezone.localdate()
    units = {level: picked for level, picked in w1.pick_units().items() if level in LEVELS}
    methods = Methods(user, on)
    facts = check(methods, units)
    sqls = {unit.pk: w1.app_sql(methods, unit) for unit, _n in units.values()}
    fns = {name: getattr(methods, name) for name in METHODS}
    fns["app_sql"] = lambda u: _run_sql(sqls[u.pk])
    timings = {}
    for level, (unit, _n) in units.items():
        samples = w1.measure(fns, unit, args.budget)
        timings[level] = {name: summarize(times) for name, times in samples.items()}
        row = "  ".join(f"{name} {t['median']:.2f}" for name, t in timings[level].items())
        print(f"  {level:9} median ms: {row}")
    plans = {level: sqls[unit.pk] + "\n\n" + w1.explain(sqls[unit.pk]) for level, (unit, _n) in units.items()}
    return {
        "on": on.isoformat(),
        "units": {
            level: {"name": unit.name, "path": unit.path, "kind": unit.kind, "members": n,
                    "units": OrgUnit.objects.filter(subtree_q("path", unit.path)).count()}
            for level, (unit, n) in units.items()
        },
        "cubes": facts,
        "timings": timings,
        "plans": plans,
    }


def _run_sql(sql: str) -> list:
    with connection.cursor() as c:
        c.execute(sql)
        return c.fetchall()


# --- RESULTS.md ------------------------------------------------------------------------------------

# PERFORMANCE.md, W2: the app's median at most, in ms. The province target names no database, so it is
# held against both; the commune has none.
TARGETS = {("postgresql", "nation"): 60, ("sqlite", "nation"): 200, ("postgresql", "province"): 10,
           ("sqlite", "province"): 10}


def verdict(db: str, level: str, timings: dict) -> tuple[str, str]:
    from bench.report import met

    ms = TARGETS.get((db, level))
    if ms is None:
        return "—", "—"
    return f"≤ {ms:g} ms", met(timings["app"]["median"] <= ms)


def render(results: dict[str, dict]) -> list[str]:
    from bench.report import DATABASES, fixture_line, fmt

    out = [
        "## W2: the report cube of a subtree",
        "",
        "`members.stats.cube(unit, user)` as a report calls it (grants looked up afresh each call): current members "
        "by status × gender × age band × ethnicity × education. The nation and a province read their stored "
        "`CubeTally` rows (members.tally keeps them for the top two levels); a commune is a GROUP BY over its "
        "members. The reference is one raw GROUP BY on `members_member` (age band as a CASE on the birth date, "
        "education as stored), the whole table for the nation, the path range otherwise.",
        "",
    ]
    for db, result in results.items():
        out += [
            f"### {DATABASES[db]} ({result['database_version']})",
            "",
            f"Run {result['machine']['date']}; ages as of {result['on']}. {fixture_line(result)}",
            "",
            "| level | unit (members) | cube cells | app median / p95 ms | app's last SQL ms | raw GROUP BY ms "
            "| raw/app | target (PERFORMANCE.md) | |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for level, t in result["timings"].items():
            unit, facts = result["units"][level], result["cubes"][level]
            app = t["app"]["median"]
            target, ok = verdict(db, level, t)
            out.append(
                f"| {w1.LEVEL_NAMES[level]} | {unit['name']} ({unit['members']:,}) | {facts['cells']:,} "
                f"| {fmt(app)} / {fmt(t['app']['p95'])} | {fmt(t['app_sql']['median'])} | {fmt(t['raw']['median'])} "
                f"| {t['raw']['median'] / app:.1f}× | {target} | {ok} |"
            )
        reps = sorted({m["n"] for t in result["timings"].values() for m in t.values()})
        out += [
            "",
            f"Medians and p95 (nearest rank) over {reps[0]}–{reps[-1]} interleaved rounds after a warm-up. "
            "\"app's last SQL\" is the app's last query sent straight to the database: the app minus it is the "
            "Python around it (grants, building the query, the dictionary). Before timing, the app's cube equals the "
            "raw GROUP BY's cell by cell at every level, and the commune's also equals a count in Python with "
            f"`members.choices.band_of`. Load average {result['machine']['load_before']} before, "
            f"{result['machine']['load_after']} after.",
            "",
            "<details><summary>The app's last query and its plan</summary>",
            "",
        ]
        for level, plan in result["plans"].items():
            out += [f"**{level}**", "", "```", plan, "```", ""]
        out += ["</details>", ""]
    return out
