"""Writing many rows at once, as fast as each database allows: PostgreSQL `COPY`, SQLite `executemany`.

Django's `bulk_create` builds one model instance and one parameter list per row, about five times
slower than COPY (PERFORMANCE.md). Imports, tallies and the benchmark fixture write through here;
the caller gives plain tuples in column order, already validated, inside its own transaction.
"""

from collections.abc import Iterable

from django.db import connection


def insert_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` into `table`; returns how many were written."""
    qn = connection.ops.quote_name
    col_sql = ", ".join(qn(c) for c in columns)
    if connection.vendor == "postgresql":
        n = 0
        with connection.cursor() as c, c.cursor.copy(f"COPY {qn(table)} ({col_sql}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    counter = [0]
    connection.ensure_connection()
    raw = connection.connection.cursor()  # the sqlite3 cursor itself: no per-row wrapper work
    raw.executemany(f"INSERT INTO {qn(table)} ({col_sql}) VALUES ({', '.join('?' * len(columns))})",
                    _counting(rows, counter))
    return counter[0]


def _counting(rows: Iterable[tuple], counter: list[int]) -> Iterable[tuple]:
    for row in rows:
        counter[0] += 1
        yield row
