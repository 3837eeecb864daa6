"""A clinic's day in New York: the clock stands at 07:00 while the tests book, and
moves to 10:00 for the page (`clock.move_to(NOW)`)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.test import Client

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
DAY = datetime.date(2026, 12, 2)  # a Wednesday
EARLY = datetime.datetime(2026, 12, 2, 7, 0, tzinfo=NEW_YORK)
NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=NEW_YORK)


def at(hour: int, minute: int = 0, *, day: datetime.date = DAY) -> datetime.datetime:
    """A time on the clinic's clock (New York)."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=NEW_YORK)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
