"""Which database this process talks to, for the few statements written for PostgreSQL.

PostgreSQL takes id arrays, `UPDATE ... FROM (VALUES ...)` and the like; SQLite (`make run`)
has none of these, so the same work goes through a portable statement there."""

from __future__ import annotations

from django.db import connection


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"
