"""One planner at a time: two overlapping passes could both nudge the same streak."""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator

from django.db import connection


@contextlib.contextmanager
def single_run(name: str) -> Iterator[bool]:
    """Yields whether this process holds the lock; another holder means skip this run.

    A PostgreSQL session advisory lock; elsewhere (SQLite in development, where one
    embedded beat runs) there is nothing to race with.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = zlib.crc32(name.encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
