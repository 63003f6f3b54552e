"""W1, membership changes (issue 15 item 9): the figures of a year for the nation, a province and a commune.

The app, for a user with a "xem" grant on the root, exactly as the page and the API call it:

- admissions: `members.changes.admissions(unit, user, from, to)`, kết nạp and kết nạp lại of the year
  ("kết nạp … đảng viên" of a term's target);
- table: `members.changes.changes(unit, user, from, to)`, the whole table (admissions, recognitions,
  transfers in and out with the member's event before each move, temporary transfers, leavings by kind
  and by reason).

Reference, in the same run: one raw SQL statement on the events (`count(*)`, or `GROUP BY kind` for the
kinds counted by their own unit), with the path range for a subtree. The reference knows nothing of
units that moved (the fixture has none) and cannot tell a transfer within the subtree from one that
leaves it, so it is compared on the kinds it can count; the table's transfers are timed, not compared.
The year is the fixture's last full year of events (2025: the fixture is drawn as of 01/01/2026).
"""

from datetime import date

from django.db import connection

from bench.timing import summarize
from core.tree import END
from members import changes
from members.choices import EventKind as K

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
LEVELS = ("nation", "province", "commune")
# Figures of the table the raw GROUP BY can check: the kinds counted by the event's own unit.
COMPARED = {"admitted": K.ADMITTED, "readmitted": K.READMITTED, "recognized": K.RECOGNIZED,
            "struck_off": K.STRUCK_OFF, "expelled": K.EXPELLED, "resigned": K.RESIGNED, "deceased": K.DECEASED,
            "temp_out": K.TEMP_OUT, "temp_back": K.TEMP_BACK}


def _where(unit) -> tuple[str, list]:
    sql, params = ' AND "on" >= %s AND "on" <= %s', list(YEAR)
    if unit.depth > 0:
        sql += " AND org_path >= %s AND org_path < %s"
        params += [unit.path, unit.path + END]
    return sql, params


def raw_admissions(unit) -> int:
    where, params = _where(unit)
    with connection.cursor() as c:
        c.execute(f"SELECT count(*) FROM members_memberevent WHERE kind IN (%s, %s){where}",
                  [K.ADMITTED, K.READMITTED, *params])
        return c.fetchone()[0]


def raw_table(unit) -> dict[str, int]:
    where, params = _where(unit)
    kinds = list(COMPARED.values())
    with connection.cursor() as c:
        c.execute(f"SELECT kind, count(*) FROM members_memberevent WHERE kind IN ({', '.join(['%s'] * len(kinds))})"
                  f"{where} GROUP BY kind", [*kinds, *params])
        by_kind = dict(c.fetchall())
    return {key: by_kind.get(kind, 0) for key, kind in COMPARED.items()}


def run(user, units: dict, measure, budget: float) -> dict:
    """Check, then time, app and raw for each level; `measure` is W1's interleaved timer."""
    out: dict[str, dict] = {}
    for level in LEVELS:
        unit, members = units[level]

        def app_admissions(u):
            user.__dict__.pop("_scope_cache", None)  # a request looks its grants up afresh
            return changes.admissions(u, user, *YEAR)

        def app_table(u):
            user.__dict__.pop("_scope_cache", None)
            return changes.changes(u, user, *YEAR).figures

        n_app, n_raw = app_admissions(unit), raw_admissions(unit)
        table = app_table(unit)
        raw = raw_table(unit)
        if n_app != n_raw or {k: table[k] for k in COMPARED} != raw:
            raise SystemExit(f"W1 changes: the app and raw SQL disagree for {level} {unit.name}: admissions "
                             f"{n_app} / {n_raw}; table {table} / raw {raw}")
        print(f"  changes {level:9} {unit.name}: {n_app:,} admissions in 2025, app and raw agree")
        samples = measure({"app_admissions": app_admissions, "raw_admissions": raw_admissions,
                           "app_table": app_table, "raw_table": raw_table}, unit, budget)
        timings = {name: summarize(times) for name, times in samples.items()}
        print(f"  changes {level:9} median ms: " + "  ".join(f"{k} {t['median']:.2f}" for k, t in timings.items()))
        out[level] = {"name": unit.name, "members": members, "figures": table, "timings": timings}
    return out


def render(result: dict) -> list[str]:
    """The section of RESULTS.md under one database's W1 (nothing for results from before it existed)."""
    from bench.report import fmt

    rows = result.get("changes")
    if not rows:
        return []
    out = ["#### Membership changes of a year (biến động đảng viên, 2025)", "",
           "`members.changes.admissions` (kết nạp + kết nạp lại) and `members.changes.changes` (the whole table) "
           "for a user with a grant on the root; raw: one SQL count / GROUP BY kind on the events with the path "
           "range. The app and raw agree on every compared figure before timing.", "",
           "| level | unit (members) | admissions | app ms | raw ms | whole table app ms | raw GROUP BY ms |",
           "|---|---|---|---|---|---|---|"]
    for level, r in rows.items():
        t = r["timings"]
        out.append(f"| {level} | {r['name']} ({r['members']:,}) | {r['figures']['admissions']:,} "
                   f"| {fmt(t['app_admissions']['median'])} | {fmt(t['raw_admissions']['median'])} "
                   f"| {fmt(t['app_table']['median'])} | {fmt(t['raw_table']['median'])} |")
    out.append("")
    return out
