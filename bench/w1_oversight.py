"""W1 for oversight (issue 17 item 7): the discipline figures of a quarter and of a five-year term.

Setup, inside a transaction rolled back at the end: about 0.3% of current members disciplined per year over
five years, registered with bulk inserts (forms weighted like seed 003: mostly khiển trách, few khai trừ),
decided by the member's cell on a date spread over the five years. The app: `oversight.stats.statistics(user,
unit, start, end)` for the nation, the median province and the median commune, as the statistics page calls it.
The reference: one GROUP BY over `oversight_disciplinedecision` for the subtree and period (the decisions by
form only). Both must agree before anything is timed. Target: W2's (PostgreSQL national ≤ 60 ms, SQLite
≤ 200 ms, province ≤ 10 ms). Cases and petitions are not planted: their queries run, over empty tables.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from access.models import Grant, Role
from bench import w1
from bench.timing import Rollback, summarize
from core.tree import END as TREE_END
from members.choices import Status
from members.models import ACTIVE, Member
from orgs.models import OrgUnit
from oversight import stats
from oversight.models import DisciplineDecision
from oversight.rules import Form, SubjectKind

METHODS = ("app", "sql")
YEARS = 5
RATE = 0.003
FORMS = [(Form.REPRIMAND, 60), (Form.WARNING, 30), (Form.REMOVAL, 4), (Form.EXPULSION, 6)]
END = date(2025, 12, 31)
PERIODS = {"quarter": (date(2025, 10, 1), END), "term": (date(2021, 1, 1), END)}


def inspector():
    user, created = get_user_model().objects.get_or_create(username="bench-oversight")
    if created:
        user.set_unusable_password()
        user.save()
    Grant.objects.get_or_create(user=user, unit=OrgUnit.objects.get(parent__isnull=True), role=Role.INSPECTION)
    return user


def plant(seed: int = 17) -> int:
    rnd = random.Random(seed)
    members = list(Member.objects.filter(status__in=ACTIVE).values_list("pk", "full_name", "status", "unit_id",
                                                                        "org_path"))
    n = max(1, round(len(members) * RATE * YEARS))
    forms = rnd.choices([f for f, _ in FORMS], weights=[w for _, w in FORMS], k=n)
    start = date(END.year - YEARS + 1, 1, 1)
    span = (END - start).days
    rows = []
    for i, (pk, name, status, unit_id, path) in enumerate(rnd.sample(members, n)):
        decided = start + timedelta(days=rnd.randrange(span + 1))
        rows.append(DisciplineDecision(
            subject_kind=SubjectKind.PROBATIONARY if status == Status.PROBATIONARY else SubjectKind.OFFICIAL,
            member_id=pk, subject_name=name, subject_path=path, form=forms[i], deciding_unit_id=unit_id,
            deciding_name="Chi bộ", deciding_level="chi_bo", body_path=path, votes_for=8, votes_total=10,
            violation_on=decided - timedelta(days=rnd.randrange(30, 300)), reason="Vi phạm (bench)",
            decision_number=f"{i + 1}-QĐ/CB", decided_on=decided, effective_on=decided + timedelta(days=3)))
    DisciplineDecision.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE oversight_disciplinedecision")
    return n


def reference(unit: OrgUnit, start: date, end: date) -> dict:
    """{form: members disciplined} for the subtree and period, by one GROUP BY on the path prefix."""
    sql = ("SELECT form, count(*) FROM oversight_disciplinedecision WHERE subject_path >= %s AND subject_path < %s "
           "AND decided_on >= %s AND decided_on <= %s AND subject_kind <> %s GROUP BY form")
    hi = unit.path + TREE_END
    with connection.cursor() as c:
        c.execute(sql, [unit.path, hi, start, end, SubjectKind.ORGANIZATION])
        return {f: n for f, n in c.fetchall()}


def app_counts(user, unit, start, end) -> dict:
    user.__dict__.pop("_scope_cache", None)  # a request reads its grants afresh
    s = stats.statistics(user, unit, start, end)
    return {r["form"]: r["members"] for r in s["discipline_by_form"] if r["members"]}


def run(args, fixture: dict) -> dict:
    user = inspector()
    result = {}
    try:
        with transaction.atomic():
            planted = plant()
            units = w1.pick_units()
            units = {lvl: units[lvl] for lvl in ("nation", "province", "commune") if lvl in units}
            timings = {}
            for level, (unit, _n) in units.items():
                for period, (start, end) in PERIODS.items():
                    fns = {"app": lambda u, s=start, e=end: app_counts(user, u, s, e),
                           "sql": lambda u, s=start, e=end: reference(u, s, e)}
                    got = {name: fn(unit) for name, fn in fns.items()}
                    if got["app"] != got["sql"]:
                        raise SystemExit(f"W1 oversight: {level} {period} differ: {got}")
                    samples = w1.measure(fns, unit, args.budget)
                    timings[f"{level}/{period}"] = {"unit": unit.name, "disciplined": sum(got["app"].values()),
                                                    **{k: summarize(v) for k, v in samples.items()}}
                    print(f"  {level} {period}: {sum(got['app'].values())} decisions, agree; median ms app "
                          f"{timings[f'{level}/{period}']['app']['median']:.1f} sql "
                          f"{timings[f'{level}/{period}']['sql']['median']:.1f}")
            result = {"planted": planted, "timings": timings}
            raise Rollback
    except Rollback:
        pass
    return result


# W2's targets, held as bench/w2.py holds them: the province's against both databases, the commune none.
TARGETS = {("postgresql", "nation"): 60, ("sqlite", "nation"): 200, ("postgresql", "province"): 10,
           ("sqlite", "province"): 10}


def render(results: dict[str, dict]) -> list[str]:
    from bench.report import DATABASES, fixture_line, fmt, met

    out = ["## W1 oversight: discipline figures of a quarter and a term (issue 17)", "",
           "`oversight.stats.statistics(user, unit, start, end)` (the whole statistics page: cases, decisions, "
           "appeals, petitions, programme) over ~0.3% of current members disciplined per year for five years; "
           "reference: one GROUP BY over the decisions (by form only). Cases and petitions not planted.", ""]
    for db, r in results.items():
        out += [f"### {DATABASES[db]} ({r['database_version']})", "", f"Run {r['machine']['date']}. {fixture_line(r)} "
                f"{r['planted']:,} decisions planted.", "",
                "| unit / period | decisions | app median / p95 ms | SQL ms | target | |", "|---|---|---|---|---|---|"]
        for key, t in r["timings"].items():
            app = t["app"]["median"]
            lim = TARGETS.get((db, key.split("/")[0]))
            verdict = ("—", "—") if lim is None else (f"≤ {lim} ms", met(app <= lim))
            out.append(f"| {key} ({t['unit']}) | {t['disciplined']:,} | {fmt(app)} / {fmt(t['app']['p95'])} "
                       f"| {fmt(t['sql']['median'])} | {verdict[0]} | {verdict[1]} |")
        out.append("")
    return out
