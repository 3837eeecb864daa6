"""A prescription's dates and reminder schedule: start dates, weekdays, times of day."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from core.clock import parse_clock_time
from core.dates import EARLIEST_RECORD, LATEST_RECORD
from core.localtime import local_today, patient_zone
from patients.models import Patient

from .models import Weekday

MAX_REMINDER_TIMES = 8

# A program starts in the years of the practice's records. An earlier or later date is
# a typing slip (a two-digit year, a lost digit) that every read after it (adherence,
# charts, reminders) would inherit; reads treat such a date, stored before the rule, as
# this range's edge. Unlike the dates of core.dates.implausible_date, a start
# may lie in the future.
FIRST_START = EARLIEST_RECORD
LAST_START = LATEST_RECORD


def default_start_date(patient: Patient) -> datetime.date:
    """The day a program starts unless the therapist picks another: today on the
    patient's calendar, where they will do the first session (the server's UTC date
    may be a day ahead or behind)."""
    return local_today(patient_zone(patient))


def check_start_date(start_date: datetime.date) -> None:
    if not FIRST_START <= start_date <= LAST_START:
        raise ValidationError(
            {
                "start_date": f"{start_date.isoformat()} is not a plausible start date: a "
                f"program starts between {FIRST_START.year} and {LAST_START.year}."
            }
        )


def parse_weekdays(values: Iterable[int | str]) -> list[int]:
    days: set[int] = set()
    for value in values:
        # Only whole numbers: int() would quietly turn 1.5 or True into Tuesday.
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValidationError({"weekdays": f"{value!r} is not a weekday number."})
        try:
            day = int(value)
        except ValueError:
            raise ValidationError({"weekdays": f"{value!r} is not a weekday number."}) from None
        if day not in Weekday.values:
            raise ValidationError(
                {"weekdays": f"{day} is not a weekday (0 = Monday ... 6 = Sunday)."}
            )
        days.add(day)
    if not days:
        raise ValidationError({"weekdays": "Choose at least one day of the week."})
    return sorted(days)


def parse_reminder_times(values: Iterable[str | datetime.time]) -> list[str]:
    times: set[str] = set()
    for value in values:
        # The API's rule (core.clock), so the admin takes exactly what the API takes.
        parsed = value if isinstance(value, datetime.time) else parse_clock_time(value)
        if parsed is None:
            raise ValidationError(
                {"reminder_times": f"{value!r} is not a time of day as HH:MM (24-hour)."}
            )
        times.add(parsed.strftime("%H:%M"))
    if len(times) > MAX_REMINDER_TIMES:
        raise ValidationError(
            {"reminder_times": f"At most {MAX_REMINDER_TIMES} reminder times a day."}
        )
    return sorted(times)
