"""Reminder rules: local wall times across DST, quiet hours, channels and sources."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from patients.models import Patient
from reminders import rules

UTC = datetime.UTC
H = datetime.timedelta(hours=1)


def _t(hhmm: str) -> datetime.time:
    return datetime.time.fromisoformat(hhmm)


def _wall(instant: datetime.datetime, zone: str) -> str:
    return f"{instant.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M%z}"


# --- local_instant ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "at", "wall"),
    [
        ("America/New_York", "2027-01-11", "08:00", "2027-01-11 08:00-0500"),
        # spring-forward gaps: the first valid minute after the gap
        ("America/New_York", "2027-03-14", "02:30", "2027-03-14 03:00-0400"),
        ("America/New_York", "2027-03-14", "02:00", "2027-03-14 03:00-0400"),
        ("America/New_York", "2027-03-14", "03:00", "2027-03-14 03:00-0400"),
        ("Europe/London", "2027-03-28", "01:30", "2027-03-28 02:00+0100"),
        ("Australia/Lord_Howe", "2027-10-03", "02:15", "2027-10-03 02:30+1100"),
        # fall-back folds: the first occurrence only
        ("America/New_York", "2027-11-07", "01:30", "2027-11-07 01:30-0400"),
        ("Europe/London", "2027-10-31", "01:30", "2027-10-31 01:30+0100"),
        ("Australia/Lord_Howe", "2027-04-04", "01:45", "2027-04-04 01:45+1100"),
        ("Australia/Lord_Howe", "2027-04-04", "02:00", "2027-04-04 02:00+1030"),
    ],
)
def test_local_instant(zone, day, at, wall):
    instant = rules.local_instant(ZoneInfo(zone), datetime.date.fromisoformat(day), _t(at))

    assert instant is not None
    assert instant.utcoffset() == datetime.timedelta(0)
    assert _wall(instant, zone) == wall


def test_local_instant_is_utc():
    instant = rules.local_instant(ZoneInfo("Europe/London"), datetime.date(2027, 7, 1), _t("09:00"))

    assert instant == datetime.datetime(2027, 7, 1, 8, 0, tzinfo=UTC)
    assert instant.tzinfo is UTC


def test_a_local_day_that_never_happened_has_no_instant():
    # Samoa skipped 30 December 2011 when it moved across the date line.
    day = datetime.date(2011, 12, 30)

    assert rules.local_instant(ZoneInfo("Pacific/Apia"), day, _t("09:00")) is None


# --- quiet hours -----------------------------------------------------------------------


def _local(hhmm: str) -> datetime.datetime:
    return datetime.datetime.combine(
        datetime.date(2027, 1, 11), _t(hhmm), tzinfo=ZoneInfo("America/New_York")
    )


@pytest.mark.parametrize(
    ("hhmm", "expected"),
    [("07:59", True), ("08:00", False), ("12:00", False), ("20:59", False), ("21:00", True)],
)
def test_default_quiet_hours_are_the_us_texting_window(hhmm, expected):
    assert rules.quiet(Patient(), _local(hhmm)) is expected


@pytest.mark.parametrize(
    ("hhmm", "expected"), [("12:59", False), ("13:00", True), ("15:00", False)]
)
def test_quiet_hours_need_not_wrap_midnight(hhmm, expected):
    patient = Patient(quiet_hours_start=_t("13:00"), quiet_hours_end=_t("15:00"))

    assert rules.quiet(patient, _local(hhmm)) is expected


def test_equal_start_and_end_means_no_quiet_hours():
    patient = Patient(quiet_hours_start=_t("00:00"), quiet_hours_end=_t("00:00"))

    assert not any(rules.quiet(patient, _local(f"{h:02}:30")) for h in range(24))


# --- patient_channel -------------------------------------------------------------------


def _reachable(**consents) -> Patient:
    return Patient(email="a@example.com", phone="+12025550123", **consents)


@pytest.mark.parametrize(
    ("consents", "has_device", "hhmm", "channel"),
    [
        ({"consent_push": True, "consent_sms": True, "consent_email": True}, True, "12:00", "push"),
        ({"consent_push": True, "consent_sms": True}, False, "12:00", "sms"),
        ({"consent_push": True, "consent_email": True}, False, "12:00", "email"),
        ({"consent_sms": True, "consent_email": True}, True, "12:00", "sms"),
        (
            {"consent_push": True, "consent_sms": True, "consent_email": True},
            True,
            "07:00",
            "email",
        ),
        ({"consent_push": True, "consent_sms": True}, True, "23:00", None),
        ({}, True, "12:00", None),
    ],
)
def test_patient_channel(consents, has_device, hhmm, channel):
    patient = _reachable(**consents)

    assert rules.patient_channel(patient, local_dt=_local(hhmm), has_device=has_device) == channel


def test_a_consent_without_an_address_is_no_channel():
    patient = Patient(consent_sms=True, consent_email=True, phone="", email="")

    assert rules.patient_channel(patient, local_dt=_local("12:00"), has_device=False) is None


# --- sources ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "parsed"),
    [
        ("prescription:7", rules.Source("prescription", 7)),
        ("appointment:12:24h", rules.Source("appointment", 12, lead_hours=24)),
        ("appointment:12:1.5h", rules.Source("appointment", 12, lead_hours=1.5)),
        (
            "nudge:3:2027-01-11",
            rules.Source("nudge", 3, day=datetime.date(2027, 1, 11)),
        ),
        (
            "inactive:3:2027-01-11",
            rules.Source("inactive", 3, day=datetime.date(2027, 1, 11)),
        ),
        ("alert:5:9", rules.Source("alert", 5, staff_id=9)),
        ("escalation:5:2:9", rules.Source("escalation", 5, round=2, staff_id=9)),
        ("routine:5:9", rules.Source("routine", 5, staff_id=9)),
        ("digest:9:2027-01-11", rules.Source("digest", 9, day=datetime.date(2027, 1, 11))),
        (
            "hold:3:20270111T150000123456Z",
            rules.Source(
                "hold", 3, since=datetime.datetime(2027, 1, 11, 15, 0, 0, 123456, tzinfo=UTC)
            ),
        ),
        ("hold:3:yesterday", None),
        ("escalation:5:9", None),
        ("questionnaire:5", None),
        ("appointment:x:24h", None),
        ("", None),
    ],
)
def test_sources_parse(source, parsed):
    assert rules.parse_source(source) == parsed


def test_sources_read_back_what_they_were_written_from():
    day = datetime.date(2027, 1, 11)

    assert rules.appointment_source(12, 24.0) == "appointment:12:24h"
    assert rules.parse_source(rules.nudge_source(3, day)).day == day
    assert rules.parse_source(rules.inactive_source(3, day)).object_id == 3
    assert rules.parse_source(rules.alert_source(5, 9)).staff_id == 9
    since = datetime.datetime(2027, 1, 11, 10, 0, 0, 5, tzinfo=ZoneInfo("America/New_York"))
    assert rules.parse_source(rules.hold_source(3, since)).since == since
    assert rules.parse_source(rules.escalation_source(5, 3, 9)).round == 3
    assert rules.parse_source(rules.digest_source(9, day)).day == day
