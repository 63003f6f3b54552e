"""Writing many rows at once, as fast as each database allows: PostgreSQL `COPY`, SQLite `executemany`.

Django's `bulk_create` builds one model instance and one parameter list per row, about five times
slower than COPY (PERFORMANCE.md). Imports, tallies and the benchmark fixture write through here;
the caller gives plain tuples in column order, already validated, inside its own transaction.
"""

from collections.abc import Iterable, Iterator, Sequence

from django.db import connection


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    """`items` in slices of `size`: an `IN (...)` list must stay under the database's parameter limit
    (SQLite's is 32,766) and within what its planner handles well."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def insert_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` into `table`; returns how many were written. The driver's errors come out as
    Django's (a duplicate is an `IntegrityError`), as from any query."""
    qn = connection.ops.quote_name
    col_sql = ", ".join(qn(c) for c in columns)
    if connection.vendor == "postgresql":
        n = 0
        with connection.cursor() as c, connection.wrap_database_errors:
            with c.cursor.copy(f"COPY {qn(table)} ({col_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        return n
    counter = [0]
    connection.ensure_connection()
    raw = connection.connection.cursor()  # the sqlite3 cursor itself: no per-row wrapper work
    with connection.wrap_database_errors:
        raw.executemany(f"INSERT INTO {qn(table)} ({col_sql}) VALUES ({', '.join('?' * len(columns))})",
                        _counting(rows, counter))
    return counter[0]


def _counting(rows: Iterable[tuple], counter: list[int]) -> Iterable[tuple]:
    for row in rows:
        counter[0] += 1
        yield row


def secondary_indexes(table: str) -> list[tuple[str, str, str]]:
    """(kind, name, definition) of the foreign keys, unique constraints and plain indexes of `table`:
    everything a bulk load into an empty table can drop and rebuild faster afterwards (the primary
    key stays). SQLite cannot drop a UNIQUE declared in its CREATE TABLE, so those stay there."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(
                "SELECT CASE contype WHEN 'f' THEN 'fk' ELSE 'constraint' END, conname, pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
                [table],
            )
            constraints = c.fetchall()
            c.execute(
                "SELECT 'index', i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
                " JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)",
                [table],
            )
            return constraints + c.fetchall()
        c.execute("SELECT 'index', name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                  " AND sql IS NOT NULL", [table])
        return c.fetchall()


def drop_indexes(table: str, items: list[tuple[str, str, str]]) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as c:
        for kind, name, _definition in items:
            c.execute(f"DROP INDEX {qn(name)}" if kind == "index" else f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")


def restore_indexes(table: str, items: list[tuple[str, str, str]]) -> None:
    """Recreate what `drop_indexes` dropped: indexes and unique constraints first, foreign keys last."""
    qn = connection.ops.quote_name
    with connection.cursor() as c:
        for kind, name, definition in sorted(items, key=lambda item: item[0] == "fk"):
            c.execute(definition if kind == "index" else f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
