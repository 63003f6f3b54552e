"""Writing the generated fixture into the app's real tables, once per (N, seed, generator, schema).

The database is built by the app's own migrations, then filled in bulk: PostgreSQL with `COPY`,
SQLite with `executemany` in one transaction (synchronous=OFF while loading). Secondary indexes and
foreign keys are dropped during the load and recreated from their own definitions afterwards, so the
end state has exactly the indexes the migrations create. Then ANALYZE (PostgreSQL: VACUUM ANALYZE, as
autovacuum would do), so the planner sees the data a live database would show it.

A marker row (`bench_fixture`) records what was loaded; a later run with the same N, seed, generator
version and migrations reuses the database instead of rebuilding it.
"""

import json
import operator
from collections.abc import Callable, Iterable
from pathlib import Path
from time import perf_counter

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from bench import generate
from core.text import fold
from members.models import Member, MemberPeriod
from orgs.models import OrgUnit, OrgUnitVersion

MARKER_TABLE = "bench_fixture"


def wanted(members: int, seed: int) -> dict:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes())
    return {"generator": generate.VERSION, "members": members, "seed": seed, "migrations": leaves}


def ensure_fixture(members: int, seed: int, regenerate: bool = False) -> dict:
    """The marker of the loaded fixture; builds the database first unless it already holds it."""
    want = wanted(members, seed)
    _create_database_if_missing()
    found = _read_marker()
    if found and not regenerate and all(found.get(k) == v for k, v in want.items()):
        if Member.objects.count() == members:
            print(f"  fixture already loaded ({members:,} members, seed {seed}): reused")
            return found
    _reset_database()
    call_command("migrate", interactive=False, verbosity=0)
    marker = {**want, **write_fixture(members, seed)}
    _write_marker(marker)
    connection.close()  # the benchmark starts on a fresh connection with the app's own settings
    return marker


# --- database lifecycle --------------------------------------------------------------------------


def _db_name() -> str:
    name = str(settings.DATABASES["default"]["NAME"])
    # The fixture replaces the whole database: never point it at anything but a bench database.
    if "bench" not in Path(name).name:
        raise SystemExit(f"refusing to rebuild database {name!r}: its name must contain 'bench'")
    return name


def _admin_connection() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname="postgres", autocommit=True
    )


def _create_database_if_missing() -> None:
    name = _db_name()
    if connection.vendor != "postgresql":
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        return
    with _admin_connection() as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def _reset_database() -> None:
    name = _db_name()
    connection.close()
    if connection.vendor == "postgresql":
        with _admin_connection() as admin:
            ident = psycopg.sql.Identifier(name)
            admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
            admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(ident))
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


def _read_marker() -> dict | None:
    try:
        with connection.cursor() as c:
            c.execute(f"SELECT value FROM {MARKER_TABLE} WHERE key = %s", ["fixture"])
            row = c.fetchone()
    except DatabaseError:  # no marker table yet: a fresh database
        return None
    return json.loads(row[0]) if row else None


def _write_marker(marker: dict) -> None:
    with transaction.atomic(), connection.cursor() as c:
        c.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key varchar(40) PRIMARY KEY, value text NOT NULL)")
        c.execute(f"DELETE FROM {MARKER_TABLE} WHERE key = %s", ["fixture"])
        c.execute(f"INSERT INTO {MARKER_TABLE} (key, value) VALUES (%s, %s)", ["fixture", json.dumps(marker)])


# --- rows of each table ----------------------------------------------------------------------------


def _name_columns() -> tuple[list[str], Callable[[str], tuple]]:
    """Columns the app derives from the full name (folded_name, sort_key…) and a cached function
    computing them with the app's own code (`Member.fill_derived`)."""
    fields = [
        f
        for f in Member._meta.concrete_fields
        if isinstance(f, models.CharField) and not f.editable and f.name != "org_path"
    ]
    cache: dict[str, tuple] = {}

    def derive(full_name: str) -> tuple:
        values = cache.get(full_name)
        if values is None:
            probe = Member(full_name=full_name, unit=OrgUnit(path=""))
            if hasattr(probe, "fill_derived"):
                probe.fill_derived()
            else:
                probe.folded_name = fold(full_name)
            values = cache[full_name] = tuple(getattr(probe, f.attname) for f in fields)
        return values

    return [f.column for f in fields], derive


def _tables(units: list[generate.Unit], members: list[generate.MemberRow]):
    """(model, columns, rows) for each table, rows as tuples in column order, built before any write
    so that the write timings measure the database alone."""
    unit_cols = ["id", "kind", "name", "short_name", "issuer_abbr", "is_grassroots", "parent_id", "path", "depth",
                 "valid_from", "valid_to"]
    yield OrgUnit, unit_cols, [
        (u.id, u.kind, u.name, u.short_name, u.issuer_abbr, u.is_grassroots, u.parent_id, u.path, u.depth,
         u.valid_from, None)
        for u in units
    ]
    version_cols = ["id", "unit_id", "parent_id", "kind", "name", "short_name", "path", "depth", "valid_from",
                    "valid_to"]
    yield OrgUnitVersion, version_cols, [
        (u.id, u.id, u.parent_id, u.kind, u.name, u.short_name, u.path, u.depth, u.valid_from, None) for u in units
    ]
    name_cols, derive = _name_columns()
    member_cols = ["id", "full_name", "gender", "birth_date", "ethnicity", "status", "unit_id", "org_path",
                   "admitted_on", "recognized_on", *name_cols]
    yield Member, member_cols, [
        (m.id, m.full_name, m.gender, m.birth_date, m.ethnicity, m.status, m.unit_id, m.org_path, m.admitted_on,
         m.recognized_on, *derive(m.full_name))
        for m in members
    ]
    period_cols = ["id", "member_id", "unit_id", "status", "valid_from", "valid_to"]
    yield MemberPeriod, period_cols, [(m.id, m.id, m.unit_id, m.status, m.since, None) for m in members]


def _fit_to_schema(model, columns: list[str], rows: Iterable[tuple]) -> tuple[list[str], Iterable[tuple]]:
    """Keep the columns the table has; give columns the generator does not know their field default
    (those with a database default or NULL are left to the database)."""
    with connection.cursor() as c:
        existing = {col.name for col in connection.introspection.get_table_description(c, model._meta.db_table)}
    keep = [i for i, col in enumerate(columns) if col in existing]
    extra_cols, extra_values = [], []
    for f in model._meta.concrete_fields:
        if f.column in existing and f.column not in columns and not f.null and f.db_default is models.NOT_PROVIDED:
            extra_cols.append(f.column)
            extra_values.append(f.get_db_prep_save(f.get_default(), connection))
    if len(keep) == len(columns) and not extra_cols:
        return columns, rows
    pick = operator.itemgetter(*keep)
    extra = tuple(extra_values)
    return [columns[i] for i in keep] + extra_cols, (tuple(pick(r)) + extra for r in rows)


# --- bulk writing ----------------------------------------------------------------------------------


def _write(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    qn = connection.ops.quote_name
    col_sql = ", ".join(qn(c) for c in columns)
    n = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as c, c.cursor.copy(f"COPY {qn(table)} ({col_sql}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    counter = [0]
    raw = connection.connection.cursor()  # the sqlite3 cursor itself: no per-row wrapper work
    raw.executemany(f"INSERT INTO {qn(table)} ({col_sql}) VALUES ({', '.join('?' * len(columns))})",
                    _counting(rows, counter))
    return counter[0]


def _counting(rows: Iterable[tuple], counter: list[int]) -> Iterable[tuple]:
    for row in rows:
        counter[0] += 1
        yield row


def _secondary(table: str) -> list[tuple[str, str, str]]:
    """(kind, name, definition) of the foreign keys and non-constraint indexes of `table`."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(
                "SELECT 'fk', conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            fks = c.fetchall()
            c.execute(
                "SELECT 'index', i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
                " JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)",
                [table],
            )
            return fks + c.fetchall()
        c.execute("SELECT 'index', name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                  " AND sql IS NOT NULL", [table])
        return c.fetchall()


def _drop(table: str, items: list[tuple[str, str, str]]) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as c:
        for kind, name, _definition in items:
            c.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}" if kind == "fk" else f"DROP INDEX {qn(name)}")


def _restore(table: str, items: list[tuple[str, str, str]]) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as c:
        for kind, name, definition in sorted(items, key=lambda item: item[0] == "fk"):  # indexes first
            c.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}" if kind == "fk" else definition)


def write_fixture(members: int, seed: int, bulk: bool = True) -> dict:
    """Generate the fixture and write it into the (empty) tables; timings per step.

    `bulk` is the benchmark's load: indexes dropped and rebuilt, SQLite unsynchronized, ANALYZE after.
    Without it the rows are simply written inside the current transaction (the test suite's way).
    """
    t0 = perf_counter()
    units = generate.build_tree(members, seed)
    rows = list(generate.member_rows(units, seed))
    plan = list(_tables(units, rows))
    generated = perf_counter() - t0
    print(f"  generated {len(units):,} units and {len(rows):,} members in {generated:.1f} s")
    stats: dict = {"units": len(units), "generate_s": round(generated, 2), "tables": {}}
    sqlite = connection.vendor == "sqlite"
    t_load = perf_counter()
    if bulk and sqlite:
        with connection.cursor() as c:
            c.execute("PRAGMA synchronous = OFF")
            c.execute("PRAGMA cache_size = -262144")  # 256 MiB for the index builds; reset on reconnect
    with transaction.atomic():
        saved = {}
        if bulk:
            if not sqlite:
                with connection.cursor() as c:
                    c.execute("SET LOCAL maintenance_work_mem = '512MB'")  # index builds sort in memory
            saved = {model._meta.db_table: _secondary(model._meta.db_table) for model, _c, _r in plan}
            for table, items in saved.items():
                _drop(table, items)
        for model, columns, data in plan:
            table = model._meta.db_table
            columns, data = _fit_to_schema(model, columns, data)
            t = perf_counter()
            n = _write(table, columns, data)
            seconds = perf_counter() - t
            stats["tables"][table] = {"rows": n, "seconds": round(seconds, 2)}
            print(f"  {table}: {n:,} rows in {seconds:.1f} s ({n / max(seconds, 1e-9):,.0f} rows/s)")
        t = perf_counter()
        for table, items in saved.items():
            _restore(table, items)
        stats["indexes_s"] = round(perf_counter() - t, 2)
        with connection.cursor() as c:
            for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _c, _r in plan]):
                c.execute(sql)
    if not bulk:
        return stats
    print(f"  indexes and foreign keys rebuilt in {stats['indexes_s']:.1f} s")
    t = perf_counter()
    with connection.cursor() as c:
        if sqlite:
            c.execute("ANALYZE")
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            c.execute("VACUUM (ANALYZE) " + ", ".join(m._meta.db_table for m, _c, _r in plan))
    stats["analyze_s"] = round(perf_counter() - t, 2)
    stats["load_s"] = round(perf_counter() - t_load, 2)
    stats["loaded_at"] = timezone.now().isoformat(timespec="seconds")
    print(f"  ANALYZE in {stats['analyze_s']:.1f} s; database load {stats['load_s']:.1f} s in all")
    return stats
