"""How far back and ahead a date a person types may lie.

A date outside these bounds is a typing slip (a two-digit year read as the first
century, a lost or doubled digit, the wrong field) that every read after it would
inherit: an age, a chronicity, a chart's axis, the hold periods. The services call
these checks, so the API and the admin refuse the same dates with the same message,
keyed by the field. Only arithmetic-free comparisons are made on the value itself:
shifting year 1 or 9999 by an offset or a time zone would leave the calendar.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

# Nobody alive was born before 1900 (the oldest living people were born in 1908 and
# after), so an earlier year of birth, or of the onset of symptoms, is a slip such as
# 1875 for 1975 or 0075 for 1975.
EARLIEST_BIRTH = datetime.date(1900, 1, 1)

# Referrals, diagnoses and screenings are records of current care: this system and the
# codes it checks (ICD-10-CM, in use in the US since 2015) postdate 2000, and 2100 is
# past any entry made today. Program starts and appointments keep the same years.
EARLIEST_RECORD = datetime.date(2000, 1, 1)
LATEST_RECORD = datetime.date(2099, 12, 31)
EARLIEST_RECORD_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# The first moment (UTC) after those years: an exclusive bound for times such as bookings.
RECORD_TIMES_END = datetime.datetime(LATEST_RECORD.year + 1, 1, 1, tzinfo=datetime.UTC)

# A time "now" from another device may run a little ahead of, or behind, the server's clock.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def implausible_date(
    value: datetime.date,
    *,
    label: str,
    today: datetime.date,
    earliest: datetime.date,
    born: datetime.date | None = None,
) -> str | None:
    """Why `value` is not a plausible `label` (e.g. "referral date"), or None when it is.

    `born`, when given, is the patient's date of birth: nothing of theirs comes before it.
    """
    reason = None
    if value > today:
        reason = "it is in the future"
    elif value > LATEST_RECORD:
        reason = f"it is after {LATEST_RECORD.year}"
    elif value < earliest:
        reason = f"it is before {earliest.year}"
    elif born is not None and value < born:
        reason = f"it is before the date of birth ({born.isoformat()})"
    return f"{value.isoformat()} is not a plausible {label}: {reason}." if reason else None


def check_plausible_time(
    value: datetime.datetime,
    *,
    field: str,
    label: str,
) -> None:
    """A moment staff say something happened: not before `EARLIEST_RECORD_TIME`, not
    ahead of the server's clock by more than `CLOCK_SKEW`."""
    if timezone.is_naive(value):
        raise ValidationError({field: f"Give the {label} with its time zone or UTC offset."})
    reason = None
    if value > timezone.now() + CLOCK_SKEW:
        reason = "it is in the future"
    elif value < EARLIEST_RECORD_TIME:
        reason = f"it is before {EARLIEST_RECORD_TIME.year}"
    if reason:
        shown = value.isoformat(timespec="minutes")
        raise ValidationError({field: f"{shown} is not a plausible {label}: {reason}."})


def check_record_date(value: datetime.date, *, field: str, label: str) -> None:
    """A date of current care (a plan's start, a day of monitoring): within the years
    this system keeps, so later arithmetic on it stays on the calendar."""
    if not EARLIEST_RECORD <= value <= LATEST_RECORD:
        raise ValidationError(
            {
                field: f"{value.isoformat()} is not a plausible {label}: give a date "
                f"between {EARLIEST_RECORD.year} and {LATEST_RECORD.year}."
            }
        )
