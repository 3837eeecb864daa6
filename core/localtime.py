"""A clinic's or a patient's time zone, and dates on their calendar: the one place
that turns a stored zone name into a zone, a moment into a local date, and a local
date into the moment it begins.

Zone names are validated when they are typed (core.validators), but a stored name
can still stop resolving: the IANA database renames and retires zones, and rows loaded
in bulk skip validation. Reads must not fail on such a row, so an unknown name counts
as UTC. Code that must rather skip the row (the reminder planner) asks `known_zone`.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Protocol

from django.utils import timezone

UTC = zoneinfo.ZoneInfo("UTC")

# A zone given by name, or one already resolved (callers that loop over many moments
# of one patient resolve it once).
Zone = str | datetime.tzinfo


def known_zone(name: str) -> zoneinfo.ZoneInfo | None:
    """The IANA zone of that name; None for a name the system does not know."""
    try:
        return zoneinfo.ZoneInfo(name)
    # ValueError: "", "../x", "/x". OSError: with the tzdata package installed, a
    # directory of zones ("America") is opened as if it were one.
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone of that name; UTC for a name the system does not know."""
    return known_zone(name) or UTC


def _resolve(zone: Zone) -> datetime.tzinfo:
    return zone_of(zone) if isinstance(zone, str) else zone


def local_date(moment: datetime.datetime, zone: Zone) -> datetime.date:
    """`moment`'s date on the calendar of `zone`. At the ends of the calendar (a value
    stored as year 1 or 9999) the shift would leave the range of dates: the UTC date
    then, so a stored value, however wrong, never breaks a read."""
    try:
        return moment.astimezone(_resolve(zone)).date()
    except OverflowError:
        return moment.astimezone(datetime.UTC).date()


def local_today(zone: Zone, now: datetime.datetime | None = None) -> datetime.date:
    """Today's date where the zone's people are, so an entry made today in Auckland is
    not "tomorrow" by the server's UTC clock."""
    return local_date(now or timezone.now(), zone)


def local_midnight(day: datetime.date, zone: Zone) -> datetime.datetime:
    """The moment `day` begins in `zone` (a day there may last 23 or 25 hours)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=_resolve(zone))


class HasTimeZone(Protocol):
    """A patient, or anything else that stores the IANA name of where its person lives."""

    time_zone: str


def patient_zone(patient: HasTimeZone) -> zoneinfo.ZoneInfo:
    """The patient's zone; UTC when the stored name no longer resolves."""
    return zone_of(patient.time_zone)


def moment_text(moment: datetime.datetime | None) -> str:
    """A moment as a sentence or a record's name prints it: in the active zone (the
    clinic's on its admin pages, UTC in the API), abbreviated ("2026-11-02 10:00 EST"),
    so a name never labels a local hour "UTC". At the ends of the calendar, in UTC."""
    if moment is None:
        return "-"
    try:
        local = timezone.localtime(moment)
    except OverflowError:
        local = moment.astimezone(datetime.UTC)
    # isoformat: strftime leaves a year before 1000 unpadded ("1-01-01").
    return f"{local.date().isoformat()} {local:%H:%M} {local.tzname() or ''}".rstrip()
