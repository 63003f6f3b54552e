"""Hints for SQLite's query planner, which keeps no statistics of a table that grew after the last ANALYZE.

PostgreSQL chooses between "read the few rows of this range, then sort them" and "walk another index
in the wanted order, skipping rows" from its statistics; SQLite may walk the other index through a
whole table for ten rows. Where the code knows which plan is right, it says so with these.
"""

from django.db.models import Func


class Unindexed(Func):
    """A column SQLite may not use an index for (`+column`): not to search by it, nor to read rows in
    its order. Elsewhere the column itself. Give its `output_field`."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra)

