"""W8 (not in PERFORMANCE.md; issue 16 item 7): the lineage of a central document over the whole tree.

Setup, inside a transaction rolled back at the end: a document of the Central Committee (no unit) and one
plan per party committee above the cells (the nation's, each province's, each committee's and commune's:
~3,400 at national scale), each implementing its parent's plan, registered with bulk inserts (the app's
numbering is not what is measured). The app: `documents.lineage.lineage(root, user)` for a user with a grant
on the root, as the document's page calls it: the documents implementing it level by level and, under each,
the committees right below its unit without a plan (none here, so every level's children are read). The
reference: one recursive CTE over `documents_document` giving the same set of documents. Both must agree
before anything is timed. PERFORMANCE.md gives no target of its own; issue 16 asks for W2's (PostgreSQL
national ≤ 60 ms, SQLite ≤ 200 ms, province ≤ 10 ms), held here against the whole tree of the fixture.
"""

from django.db import connection, transaction

from bench import w1
from bench.timing import Rollback, summarize
from documents import lineage
from documents.models import Document
from orgs.models import CELL_KINDS, OrgUnit

METHODS = ("app", "cte")


def _plant() -> tuple[Document, int]:
    root = Document.objects.create(unit=None, issuer="TW", doc_type="KL", number=21, issued_on="2021-10-25",
                                   title="Kết luận (bench)")
    by_unit = {}
    units = OrgUnit.objects.exclude(kind__in=CELL_KINDS).filter(valid_to__isnull=True).order_by("depth", "path")
    for depth in sorted(set(units.values_list("depth", flat=True))):
        level = list(units.filter(depth=depth).values_list("pk", "parent_id"))
        rows = [Document(unit_id=pk, issuer="ĐU", doc_type="KH", number=i + 1, issued_on="2022-01-20",
                         title="Kế hoạch (bench)", implements_id=by_unit.get(parent, root.pk))
                for i, (pk, parent) in enumerate(level)]
        for d in Document.objects.bulk_create(rows, batch_size=2000):
            by_unit[d.unit_id] = d.pk
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE documents_document")
    return root, len(by_unit)


def _count(node) -> int:
    return 1 + sum(_count(c) for c in node.children)


def _cte(root_id: int) -> int:
    sql = ("WITH RECURSIVE down(id) AS (SELECT CAST(%s AS bigint) UNION ALL SELECT d.id FROM documents_document d "
           "JOIN down ON d.implements_id = down.id) SELECT count(*) FROM down")
    with connection.cursor() as c:
        c.execute(sql, [root_id])
        return c.fetchone()[0]


def run(args, fixture: dict) -> dict:
    user = w1.bench_user()
    result = {}
    try:
        with transaction.atomic():
            root, plans = _plant()
            root.refresh_from_db()

            def app(_unit):
                user.__dict__.pop("_scope_cache", None)  # a request reads its grants afresh
                return _count(lineage.lineage(root, user))

            fns = {"app": app, "cte": lambda _u: _cte(root.pk)}
            got = {name: fn(None) for name, fn in fns.items()}
            if len(set(got.values())) != 1 or got["app"] != plans + 1:
                raise SystemExit(f"W8: the lineages differ: {got} for {plans} plans")
            print(f"  {plans:,} plans under the root document; app and CTE agree")
            samples = w1.measure(fns, None, args.budget)
            result = {"plans": plans, "timings": {name: summarize(t) for name, t in samples.items()}}
            print("  median ms: " + "  ".join(f"{n} {t['median']:.1f}" for n, t in result["timings"].items()))
            raise Rollback
    except Rollback:
        pass
    return result


TARGETS = {"postgresql": 60, "sqlite": 200}


def render(results: dict[str, dict]) -> list[str]:
    from bench.report import DATABASES, fixture_line, fmt, met

    out = ["## W8: the lineage of a central document (issue 16)", "",
           "`documents.lineage.lineage(root, user)` over one plan per committee above the cells, each implementing "
           "its parent's; reference: one recursive CTE over the documents table (the set of documents only, "
           "without the units still to act).", ""]
    for db, r in results.items():
        t = r["timings"]
        app = t["app"]["median"]
        out += [f"### {DATABASES[db]} ({r['database_version']})", "", f"Run {r['machine']['date']}. {fixture_line(r)}", "",
                "| plans | app median / p95 ms | CTE ms | CTE/app | target (W2's national) | |", "|---|---|---|---|---|---|",
                f"| {r['plans']:,} | {fmt(app)} / {fmt(t['app']['p95'])} | {fmt(t['cte']['median'])} "
                f"| {t['cte']['median'] / app:.2f}× | ≤ {TARGETS[db]} ms | {met(app <= TARGETS[db])} |", ""]
    return out
