"""The roll-up of a target over ~3,300 communes (issue 16 item 7), held to the W2 targets of PERFORMANCE.md.

Set up inside a transaction rolled back at the end (the fixture is left as it was): a plan of the root unit,
one target "Kết nạp đảng viên mới" of the root allocated to 3,300 units below it (the commune-level units
first; a fixture smaller than the nation has fewer communes, and grassroots organizations and cells fill up
the number, which the roll-up does not tell apart), a plan of 10 for 2025 for each part and its 2025 figure
(5–15, drawn from a fixed seed). Written with bulk inserts: the setup is not what is measured.

The app: `targets.tables.rows([target], 2025, user, depth=0)` for a user with a "xem" grant on the root,
grants looked up afresh each call, as the unit's page and `GET /targets` show a target: its parts below (one
range of `cascade_path`), their plans and their figures of the year (one query each), each part's status,
how many reported and met, and the sum. The reference: one hand-written SELECT joining the parts, their
plans and their figures, returning the count of parts, the parts reported, the parts meeting their plan and
the sum. Both must agree before anything is timed.
"""

import random
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from bench import w1
from bench.timing import Rollback, summarize
from core.tree import child_path
from documents.models import Document
from orgs.models import Kind, OrgUnit
from targets import tables
from targets.models import Target, TargetGroup, TargetPlan, TargetValue
from targets.rules import Mode

PARTS = 3300
YEAR = 2025
METHODS = ("app", "raw")
RAW = """
SELECT count(*), count(v.id), sum(CASE WHEN v.value >= p.value THEN 1 ELSE 0 END), sum(v.value)
FROM targets_target t
JOIN targets_targetplan p ON p.target_id = t.id AND p.year = %s
LEFT JOIN targets_targetvalue v ON v.target_id = t.id AND v.period_end = %s
WHERE t.parent_id = %s
"""


def _units() -> tuple[list[OrgUnit], int]:
    communes = list(OrgUnit.objects.filter(kind=Kind.COMMUNE).order_by("path")[:PARTS])
    units = communes + list(OrgUnit.objects.filter(depth__gte=2).exclude(kind=Kind.COMMUNE)
                            .order_by("path")[:PARTS - len(communes)])
    return units, len(communes)


def _setup(root: OrgUnit, units: list[OrgUnit]) -> Target:
    doc = Document.objects.create(unit=root, doc_type="KH", number=1, issuer="TW", issued_on=date(2025, 1, 2),
                                  title="Kế hoạch (bench W2t)")
    group = TargetGroup.objects.order_by("position").first()
    whole = Target.objects.create(document=doc, unit=root, group=group, name="Kết nạp đảng viên mới",
                                  from_year=YEAR, to_year=YEAR)
    whole.cascade_path = child_path("", whole.pk)
    whole.save(update_fields=["cascade_path"])
    TargetPlan.objects.create(target=whole, year=YEAR, value=10 * len(units))
    parts = Target.objects.bulk_create([
        Target(document=doc, unit=u, group=group, name=whole.name, from_year=YEAR, to_year=YEAR, parent=whole,
               mode=Mode.ALLOCATE) for u in units], batch_size=1000)
    for p in parts:  # as services.create_target places each part in its cascade
        p.cascade_path = child_path(whole.cascade_path, p.pk)
    Target.objects.bulk_update(parts, ["cascade_path"], batch_size=1000)
    TargetPlan.objects.bulk_create([TargetPlan(target=p, year=YEAR, value=10) for p in parts], batch_size=1000)
    rng = random.Random(2026)
    TargetValue.objects.bulk_create([TargetValue(target=p, period_end=date(YEAR, 12, 31), value=rng.randint(5, 15))
                                     for p in parts], batch_size=1000)
    return whole


class Methods:
    def __init__(self, user):
        self.user = user

    def app(self, target: Target) -> tuple:
        self.user.__dict__.pop("_scope_cache", None)  # a request loads its user, and so its grants, afresh
        [row] = tables.rows([target], YEAR, self.user, depth=0)  # the figures, as a list of targets shows them
        return row.parts, row.reported, row.met, row.rolled, row.status

    def raw(self, target: Target) -> tuple:
        with connection.cursor() as c:
            c.execute(RAW, [YEAR, date(YEAR, 12, 31), target.pk])
            n, reported, met, total = c.fetchone()
        return n, reported, int(met or 0), Decimal(total or 0)


def run(args, fixture: dict) -> dict:
    user = w1.bench_user()
    root = OrgUnit.objects.get(parent__isnull=True)
    out = {}
    try:
        with transaction.atomic():
            units, communes = _units()
            whole = _setup(root, units)
            methods = Methods(user)
            app, raw = methods.app(whole), methods.raw(whole)
            if app[:4] != raw:
                raise SystemExit(f"W2t: the roll-ups differ: app {app[:4]}, raw {raw}")
            print(f"  {len(units):,} parts ({communes:,} communes): {raw[1]:,} reported, {raw[2]:,} met, "
                  f"sum {raw[3]}; status {app[4]}; the methods agree")
            samples = w1.measure({name: getattr(methods, name) for name in METHODS}, whole, args.budget)
            timings = {name: summarize(times) for name, times in samples.items()}
            print("  median ms: " + "  ".join(f"{name} {t['median']:.2f}" for name, t in timings.items()))
            out = {"parts": len(units), "communes": communes, "reported": raw[1], "met": raw[2],
                   "sum": str(raw[3]), "status": app[4], "timings": timings}
            raise Rollback
    except Rollback:
        pass
    return out


# --- RESULTS.md ------------------------------------------------------------------------------------

TARGETS = {"postgresql": 60, "sqlite": 200}  # PERFORMANCE.md W2, national: the ~3,300 communes are the nation's


def render(results: dict[str, dict]) -> list[str]:
    from bench.report import DATABASES, fixture_line, fmt, met

    out = [
        "## W2t: the roll-up of a target over ~3,300 communes",
        "",
        "`targets.tables.rows([target], year, user, depth=0)`, as the unit's page and `GET /targets` show a target: "
        "a target of the root allocated to 3,300 units below it, each with its plan and its figure of the year; the "
        "parts' statuses, how many reported and met, and the sum. The reference is one SELECT joining the parts, "
        "their plans and figures. Held to the national W2 targets (the ~3,300 communes are the nation's); run on "
        "the province-scale fixture, whose 3,300 units are communes, grassroots organizations and cells alike "
        "for the roll-up.",
        "",
    ]
    for db, r in results.items():
        app, raw = r["timings"]["app"], r["timings"]["raw"]
        ms = TARGETS[db]
        out += [
            f"### {DATABASES[db]} ({r['database_version']})",
            "",
            f"Run {r['machine']['date']}. {fixture_line(r)} Parts: {r['parts']:,} ({r['communes']:,} communes, the "
            f"rest grassroots organizations and cells); {r['reported']:,} reported, {r['met']:,} met, sum {r['sum']}.",
            "",
            "| app median / p95 ms | raw SELECT ms | raw/app | target | |",
            "|---|---|---|---|---|",
            f"| {fmt(app['median'])} / {fmt(app['p95'])} | {fmt(raw['median'])} | {raw['median'] / app['median']:.2f}× "
            f"| ≤ {ms} ms | {met(app['median'] <= ms)} |",
            "",
            f"Load average {r['machine']['load_before']} before, {r['machine']['load_after']} after.",
            "",
        ]
    return out
