"""A clinic's or a patient's zone and the dates on their calendar: a stored zone name
the system no longer knows reads as UTC, and no date at the calendar's ends breaks a
read."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from appointments.services import appointment_book
from core.localtime import (
    UTC,
    known_zone,
    local_date,
    local_midnight,
    local_today,
    patient_zone,
    zone_of,
)
from patients.models import Patient
from practice.models import Clinic
from programs import adherence
from tests.factories import make_staff

NEW_YORK = "America/New_York"
# 13:00 UTC on 1 June is already 01:00 on 2 June in Auckland, 09:00 on 1 June in New York.
NOW = datetime.datetime(2026, 6, 1, 13, 0, tzinfo=datetime.UTC)

# Names that resolve to no zone: removed from the IANA database, never a zone, a folder
# of zones, empty, and path-like names that ZoneInfo refuses with ValueError.
UNKNOWN = ["US/Pacific-New", "Mars/Olympus_Mons", "America", "", "../etc/passwd", "/etc/UTC"]


@pytest.mark.parametrize("name", UNKNOWN)
def test_a_zone_name_the_system_does_not_know_reads_as_utc(name):
    assert known_zone(name) is None
    assert zone_of(name) is UTC
    assert local_date(NOW, name) == datetime.date(2026, 6, 1)
    assert local_today(name, NOW) == datetime.date(2026, 6, 1)


def test_a_known_zone_name_is_that_zone():
    assert known_zone("Pacific/Auckland") == ZoneInfo("Pacific/Auckland")
    assert zone_of("Pacific/Auckland") == ZoneInfo("Pacific/Auckland")
    assert zone_of("UTC") == ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Pacific/Auckland", datetime.date(2026, 6, 2)),
        (ZoneInfo("Pacific/Auckland"), datetime.date(2026, 6, 2)),  # already resolved
        (NEW_YORK, datetime.date(2026, 6, 1)),
        (datetime.timezone(datetime.timedelta(hours=-14)), datetime.date(2026, 5, 31)),
    ],
)
def test_a_moment_falls_on_the_date_of_the_zones_own_calendar(zone, expected):
    assert local_date(NOW, zone) == expected
    assert local_today(zone, NOW) == expected


@time_machine.travel(NOW, tick=False)
def test_today_is_the_date_where_the_zones_people_are():
    assert local_today("Pacific/Auckland") == datetime.date(2026, 6, 2)
    assert local_today(NEW_YORK) == datetime.date(2026, 6, 1)
    assert local_today("Pacific/Auckland", NOW - datetime.timedelta(hours=2)) == datetime.date(
        2026, 6, 1
    )


# The calendar's ends: a value stored as year 1 or 9999 before dates were checked.


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        # New York is behind UTC: its date would be in year 0.
        (datetime.datetime(1, 1, 1, 0, 30, tzinfo=datetime.UTC), NEW_YORK, datetime.date(1, 1, 1)),
        # Kiritimati is 14 hours ahead: its date would be in year 10000.
        (
            datetime.datetime(9999, 12, 31, 23, 30, tzinfo=datetime.UTC),
            "Pacific/Kiritimati",
            datetime.date(9999, 12, 31),
        ),
        (datetime.datetime.max.replace(tzinfo=datetime.UTC), "Asia/Tokyo", datetime.date.max),
        (datetime.datetime.min.replace(tzinfo=datetime.UTC), "America/Adak", datetime.date.min),
    ],
)
def test_a_moment_at_the_calendars_ends_reads_as_its_utc_date(moment, zone, expected):
    assert local_date(moment, zone) == expected
    assert local_date(moment, zone_of(zone)) == expected
    assert local_today(zone, moment) == expected


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (
            datetime.datetime(9999, 12, 31, 1, 0, tzinfo=datetime.UTC),
            NEW_YORK,
            datetime.date(9999, 12, 30),
        ),
        (
            datetime.datetime(1, 1, 1, 23, 0, tzinfo=datetime.UTC),
            "Asia/Tokyo",
            datetime.date(1, 1, 2),
        ),
    ],
)
def test_near_the_calendars_ends_a_shift_that_fits_still_applies(moment, zone, expected):
    assert local_date(moment, zone) == expected


# Daylight-saving days: New York springs forward on 8 March 2026, falls back on 1 November.


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-03-08T04:59:00+00:00", datetime.date(2026, 3, 7)),  # 23:59 EST
        ("2026-03-08T05:00:00+00:00", datetime.date(2026, 3, 8)),  # midnight EST
        ("2026-03-09T03:59:00+00:00", datetime.date(2026, 3, 8)),  # 23:59 EDT
        ("2026-03-09T04:30:00+00:00", datetime.date(2026, 3, 9)),  # 00:30 EDT, 23:30 in EST
        ("2026-11-02T04:30:00+00:00", datetime.date(2026, 11, 1)),  # 23:30 EST, 00:30 in EDT
    ],
)
def test_a_moment_on_a_daylight_saving_day_takes_that_days_offset(moment, expected):
    assert local_date(datetime.datetime.fromisoformat(moment), NEW_YORK) == expected


@pytest.mark.parametrize(
    ("day", "starts", "hours"),
    [
        (datetime.date(2026, 3, 8), "2026-03-08T05:00:00+00:00", 23),
        (datetime.date(2026, 6, 1), "2026-06-01T04:00:00+00:00", 24),
        (datetime.date(2026, 11, 1), "2026-11-01T04:00:00+00:00", 25),
    ],
)
def test_a_local_day_starts_at_its_midnight_and_may_last_23_or_25_hours(day, starts, hours):
    start = local_midnight(day, NEW_YORK)
    end = local_midnight(day + datetime.timedelta(days=1), zone_of(NEW_YORK))
    assert start.astimezone(datetime.UTC).isoformat() == starts
    assert (end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC)) == datetime.timedelta(
        hours=hours
    )


def test_a_day_starts_at_utc_midnight_in_a_zone_the_system_does_not_know():
    start = local_midnight(datetime.date(2026, 6, 1), "US/Pacific-New")
    assert start == datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)


# The same rule in the apps that read a stored zone name.


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_patient_whose_zone_was_retired_reads_today_on_the_utc_calendar(patient):
    Patient.objects.filter(pk=patient.pk).update(time_zone="US/Pacific-New")
    patient.refresh_from_db()
    assert patient_zone(patient) is UTC
    assert adherence.adherence_summary(patient=patient)["today"] == datetime.date(2026, 6, 1)
    assert local_today(patient_zone(patient)) == datetime.date(2026, 6, 1)
    assert local_midnight(datetime.date(2026, 6, 1), patient_zone(patient)) == datetime.datetime(
        2026, 6, 1, tzinfo=datetime.UTC
    )
    Patient.objects.filter(pk=patient.pk).update(time_zone="Pacific/Auckland")
    patient.refresh_from_db()
    assert adherence.adherence_summary(patient=patient)["today"] == datetime.date(2026, 6, 2)
    assert local_today(patient_zone(patient)) == datetime.date(2026, 6, 2)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_clash_at_a_clinic_whose_zone_was_retired_is_named_in_utc(clinic, patient, therapist):
    colleague = make_staff(clinic=clinic, username="pt.two")
    Clinic.objects.filter(pk=clinic.pk).update(time_zone="US/Pacific-New")
    patient.refresh_from_db()
    starts_at = NOW + datetime.timedelta(days=1)
    appointment_book(patient=patient, therapist=therapist, starts_at=starts_at)
    with pytest.raises(ValidationError) as exc:
        appointment_book(patient=patient, therapist=colleague, starts_at=starts_at)
    assert "from 2026-06-02 13:00 to 13:45 (US/Pacific-New)" in str(exc.value)
