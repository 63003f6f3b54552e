from django.db import models


class ByteOrderCharField(models.CharField):
    """A CharField compared byte by byte on both databases: C collation on PostgreSQL (SQLite's
    default BINARY already is). Used for tree paths and Vietnamese sort keys, whose order is
    designed as byte order."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
