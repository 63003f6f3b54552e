"""W4's restructuring: moving a commune to another province and merging two provinces, by the app
(`orgs.services.move_unit`, `merge_units`) and by the raw SQL that rewrites the same rows, each inside
a transaction rolled back; both must leave the same rows (bench/w4.py says what is measured)."""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from time import perf_counter

from django.db import connection, transaction

from bench.timing import Rollback, summarize_calls
from core.tree import END, SEGMENT
from members.models import UnitTally
from orgs.models import Kind, OrgUnit
from orgs.services import merge_units, move_unit, open_runs

MOVE_ROUNDS, MERGE_ROUNDS = (7, 3), (2, 1)  # (full, --quick): a merge rewrites a whole province


def median_unit(kind: str, exclude=()) -> tuple[OrgUnit, int] | None:
    """The open unit of `kind` of median size (members of its subtree, from the checked tallies)."""
    ranked = sorted((n, uid) for uid, n in UnitTally.objects.filter(unit__kind=kind, unit__valid_to__isnull=True)
                    .values_list("unit_id", "total") if uid not in exclude)
    if not ranked:
        return None
    n, uid = ranked[len(ranked) // 2]
    return OrgUnit.objects.get(pk=uid), n


def digest(prefixes: list[str], max_event: int) -> str:
    """A hash of every unit, member and (pre-existing) event under `prefixes`: ids, paths, parents."""
    h = hashlib.sha256()
    queries = [("SELECT id, path, depth, parent_id, valid_to FROM orgs_orgunit WHERE path >= %s AND path < %s", []),
               ("SELECT id, org_path, unit_id FROM members_member WHERE org_path >= %s AND org_path < %s", []),
               ("SELECT id, org_path, unit_id FROM members_memberevent WHERE org_path >= %s AND org_path < %s"
                " AND id <= %s", [max_event])]
    with connection.cursor() as c:
        for sql, extra in queries:
            for prefix in sorted(prefixes):
                c.execute(sql + " ORDER BY id", [prefix, prefix + END, *extra])
                while rows := c.fetchmany(50_000):
                    h.update(repr(rows).encode())
    return h.hexdigest()


def _rewrite(c, old: str, new: str, lo: str, hi: str, depth_delta: int) -> None:
    """Raw SQL: paths in [lo, hi) of units, members and events get `new` in place of the prefix `old`."""
    c.execute("UPDATE orgs_orgunit SET path = %s || substr(path, %s), depth = depth + %s"
              " WHERE path >= %s AND path < %s", [new, len(old) + 1, depth_delta, lo, hi])
    for table in ("members_member", "members_memberevent"):
        c.execute(f"UPDATE {table} SET org_path = %s || substr(org_path, %s) WHERE org_path >= %s AND org_path < %s",
                  [new, len(old) + 1, lo, hi])


def raw_move(unit: OrgUnit, parent: OrgUnit) -> None:
    new = parent.path + unit.path[-SEGMENT:]
    with connection.cursor() as c:
        c.execute("UPDATE orgs_orgunit SET parent_id = %s WHERE id = %s", [parent.pk, unit.pk])
        _rewrite(c, unit.path, new, unit.path, unit.path + END, parent.depth + 1 - unit.depth)


def raw_merge(source: OrgUnit, target: OrgUnit, on) -> None:
    """Children re-parented, one prefix rewrite per run of adjacent open children, the source closed."""
    runs = open_runs(source)  # before the children are re-parented
    with connection.cursor() as c:
        c.execute("UPDATE orgs_orgunit SET parent_id = %s WHERE parent_id = %s AND valid_to IS NULL",
                  [target.pk, source.pk])
        for lo, hi in runs:
            _rewrite(c, source.path, target.path, lo, hi, target.depth - source.depth)
        c.execute("UPDATE members_member SET unit_id = %s, org_path = %s WHERE unit_id = %s",
                  [target.pk, target.path, source.pk])
        c.execute("UPDATE orgs_orgunit SET valid_to = %s WHERE id = %s", [on - timedelta(days=1), source.pk])


class Restructure:
    """One restructuring, by the app and by raw SQL, each inside a transaction rolled back."""

    def __init__(self, user, name: str, app: Callable, raw: Callable, prefixes: Callable[[], list[str]]):
        self.user, self.name, self.app, self.raw, self.prefixes = user, name, app, raw, prefixes

    def _once(self, fn: Callable, digest_too: bool = False) -> tuple[float, str]:
        self.user.__dict__.pop("_scope_cache", None)
        with connection.cursor() as c:
            c.execute("SELECT coalesce(max(id), 0) FROM members_memberevent")
            max_event = c.fetchone()[0]
        try:
            with transaction.atomic():
                t = perf_counter()
                fn()
                elapsed = perf_counter() - t
                found = digest(self.prefixes(), max_event) if digest_too else ""
                raise Rollback
        except Rollback:
            pass
        return elapsed, found

    def measure(self, rounds: int) -> dict[str, dict]:
        """Alternating rounds of both. The first also checks that they leave the same rows (the digest is
        taken after the timed call, before the rollback) and stops the run if they do not."""
        samples: dict[str, list[float]] = {"app": [], "raw": []}
        for r in range(rounds):
            found = {}
            for name in (("app", "raw") if r % 2 == 0 else ("raw", "app")):
                elapsed, found[name] = self._once(getattr(self, name), digest_too=r == 0)
                samples[name].append(elapsed)
            if r == 0 and found["app"] != found["raw"]:
                raise SystemExit(f"W4: {self.name}: the app and the raw SQL leave different rows (digest "
                                 f"{found['app'][:12]} ≠ {found['raw'][:12]}); compare the paths under {self.prefixes()}")
            if r == 0:
                print(f"  {self.name}: the app and the raw SQL leave the same units, members and events")
        return {name: summarize_calls(s) for name, s in samples.items()}


def restructure(user, today, quick: bool) -> dict:
    """The commune move and the province merge; {} parts when the fixture has a single province."""
    out = {}
    commune_picked, province_picked = median_unit(Kind.COMMUNE), median_unit(Kind.PROVINCE)
    if commune_picked is None or province_picked is None:
        return out
    commune, n_commune = commune_picked
    home = commune.path[:2 * SEGMENT]
    other = median_unit(Kind.PROVINCE, exclude={u.pk for u in OrgUnit.objects.filter(path=home)})
    if other is None:
        print("  restructuring skipped: the fixture has a single province")
        return out
    province, n_province = other

    def fresh(unit):
        return OrgUnit.objects.get(pk=unit.pk)

    new_commune_path = province.path + commune.path[-SEGMENT:]
    move = Restructure(
        user, "commune move",
        app=lambda: move_unit(fresh(commune), fresh(province), on=today, by=user),
        raw=lambda: raw_move(fresh(commune), fresh(province)),
        prefixes=lambda: [commune.path, new_commune_path])
    out["move"] = {"unit": commune.name, "members": n_commune, "from": fresh(commune).parent.name, "to": province.name,
                   **counts_under(commune.path), **move.measure(MOVE_ROUNDS[quick])}
    print(f"  commune move ({n_commune:,} members): app {out['move']['app']['median']:.1f} ms, raw "
          f"{out['move']['raw']['median']:.1f} ms")

    source, n_source = province_picked
    target_picked = median_unit(Kind.PROVINCE, exclude={source.pk})
    target, n_target = target_picked
    merge = Restructure(
        user, "province merge",
        app=lambda: merge_units(fresh(source), fresh(target), on=today, by=user),
        raw=lambda: raw_merge(fresh(source), fresh(target), today),
        prefixes=lambda: [source.path, target.path])
    out["merge"] = {"unit": source.name, "members": n_source, "to": target.name, "target_members": n_target,
                    **counts_under(source.path), **merge.measure(MERGE_ROUNDS[quick])}
    print(f"  province merge ({n_source:,} members): app {out['merge']['app']['median']:.0f} ms, raw "
          f"{out['merge']['raw']['median']:.0f} ms")
    return out


def counts_under(prefix: str) -> dict:
    """The rows under `prefix` a restructuring rewrites: units, member rows (current and former), events."""
    with connection.cursor() as c:
        found = {}
        for key, table, col in (("units", "orgs_orgunit", "path"), ("member_rows", "members_member", "org_path"),
                                ("events", "members_memberevent", "org_path")):
            c.execute(f"SELECT count(*) FROM {table} WHERE {col} >= %s AND {col} < %s", [prefix, prefix + END])
            found[key] = c.fetchone()[0]
    return found
