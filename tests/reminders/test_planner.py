"""The reminder planner: outbox rows for the coming window, in each patient's own zone."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from appointments import services as appointment_services
from patients import services as patient_services
from patients.models import Patient
from programs import services as program_services
from programs.models import Prescription
from reminders.clinics import ClinicConfig
from reminders.models import Channel, ClinicReminderSettings, Device, Kind, Notification
from reminders.planner import due, plan
from reminders.planner.base import Zones
from reminders.planner.exercise import due_programs
from reminders.rules import local_instant
from tests.reminders.planner_helpers import (
    DAY,
    MONDAY,
    NEW_YORK,
    UTC,
    H,
    book,
    emailed_therapist,
    new_patient,
    outbox_rows,
    prescribe,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_hour_horizon")]


@pytest.fixture
def therapist(clinic):
    return emailed_therapist(clinic)


def _local(rows, tz: ZoneInfo) -> list[str]:
    return [f"{row.scheduled_for.astimezone(tz):%Y-%m-%d %H:%M%z}" for row in rows]


def _local_at(tz: ZoneInfo, day: datetime.date, hhmm: str) -> datetime.datetime:
    instant = local_instant(tz, day, datetime.time.fromisoformat(hhmm))
    assert instant is not None
    return instant


# --- exactly one reminder per intended local time, across DST --------------------------

# (zone, transition day, reminder times, local instants expected that day)
DST_CASES = [
    pytest.param(
        "America/New_York",
        datetime.date(2027, 3, 14),
        ["01:30", "02:30", "08:00"],
        ["01:30-0500", "03:00-0400", "08:00-0400"],  # 02:30 does not exist: 03:00
        id="new-york-spring-forward",
    ),
    pytest.param(
        "America/New_York",
        datetime.date(2027, 11, 7),
        ["01:30", "02:30", "08:00"],
        ["01:30-0400", "02:30-0500", "08:00-0500"],  # 01:30 happens twice: the first
        id="new-york-fall-back",
    ),
    pytest.param(
        "Europe/London",
        datetime.date(2027, 3, 28),
        ["01:30", "02:30", "08:00"],
        ["02:00+0100", "02:30+0100", "08:00+0100"],  # 01:30 does not exist: 02:00
        id="london-spring-forward",
    ),
    pytest.param(
        "Europe/London",
        datetime.date(2027, 10, 31),
        ["01:30", "02:30", "08:00"],
        ["01:30+0100", "02:30+0000", "08:00+0000"],
        id="london-fall-back",
    ),
    pytest.param(
        "Australia/Lord_Howe",
        datetime.date(2027, 10, 3),
        ["01:45", "02:15", "08:00"],
        ["01:45+1030", "02:30+1100", "08:00+1100"],  # a 30-minute gap: 02:15 -> 02:30
        id="lord-howe-spring-forward",
    ),
    pytest.param(
        "Australia/Lord_Howe",
        datetime.date(2027, 4, 4),
        ["01:45", "02:15", "08:00"],
        ["01:45+1100", "02:15+1030", "08:00+1030"],  # 01:30-02:00 twice: the first
        id="lord-howe-fall-back",
    ),
]


def _expected_days(tz, day, times, transition_day):
    before = [f"{_local_at(tz, day - DAY, t).astimezone(tz):%Y-%m-%d %H:%M%z}" for t in times]
    during = [f"{day:%Y-%m-%d} {local}" for local in transition_day]
    after = [f"{_local_at(tz, day + DAY, t).astimezone(tz):%Y-%m-%d %H:%M%z}" for t in times]
    return before + during + after


def test_the_dst_transition_dates_are_the_ones_the_cases_assume():
    def offsets(zone, day):
        tz = ZoneInfo(zone)
        start = datetime.datetime.combine(day, datetime.time(), tzinfo=tz)
        return {(start + H * n).astimezone(tz).utcoffset() for n in range(0, 24)}

    for case in DST_CASES:
        zone, day = case.values[0], case.values[1]
        assert len(offsets(zone, day)) == 2, case.id
        assert len(offsets(zone, day - DAY)) == 1, case.id


@pytest.mark.parametrize(("zone", "day", "times", "transition_day"), DST_CASES)
def test_one_reminder_per_local_time_across_a_dst_change(
    clinic, therapist, zone, day, times, transition_day
):
    tz = ZoneInfo(zone)
    patient = new_patient(clinic, therapist, time_zone=zone)
    prescribe(patient, therapist, reminder_times=times)
    start = _local_at(tz, day - DAY, "00:00")

    # Every two hours for three days, as beat would: contiguous windows, each one
    # narrowed in SQL to the wall times that occur in it.
    now = start
    while now < start + 3 * DAY:
        plan(now=now, horizon=2 * H)
        now += 2 * H

    rows = outbox_rows()
    assert _local(rows, tz) == _expected_days(tz, day, times, transition_day)
    assert {row.channel for row in rows} == {Channel.EMAIL}


@pytest.mark.parametrize(("zone", "day", "times", "transition_day"), DST_CASES)
def test_one_long_window_over_a_dst_change_plans_the_same_reminders(
    clinic, therapist, zone, day, times, transition_day
):
    tz = ZoneInfo(zone)
    patient = new_patient(clinic, therapist, time_zone=zone)
    prescribe(patient, therapist, reminder_times=times)

    plan(now=_local_at(tz, day - DAY, "00:00"), horizon=3 * DAY)

    assert _local(outbox_rows(), tz) == _expected_days(tz, day, times, transition_day)


def test_reminders_follow_the_prescribed_weekdays(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescribe(patient, therapist, weekdays=[0, 2], reminder_times=["10:30"])  # Mon, Wed

    plan(now=MONDAY, horizon=7 * DAY)

    assert _local(outbox_rows(), NEW_YORK) == ["2027-01-11 10:30-0500", "2027-01-13 10:30-0500"]


def test_rows_are_pending_and_due_at_their_time(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescription = prescribe(patient, therapist, reminder_times=["11:00"])

    plan(now=MONDAY, horizon=2 * H)

    (row,) = outbox_rows()
    assert row.scheduled_for == datetime.datetime(2027, 1, 11, 16, 0, tzinfo=UTC)
    assert row.next_attempt_at == row.scheduled_for
    assert row.status == Notification.Status.PENDING
    assert (row.clinic, row.patient, row.staff) == (clinic, patient, None)
    assert row.source == f"prescription:{prescription.pk}"


def test_the_window_includes_its_start_and_excludes_its_end(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescribe(patient, therapist, reminder_times=["10:00", "12:00"])

    plan(now=MONDAY, horizon=2 * H)  # 10:00 to 12:00 New York time

    assert _local(outbox_rows(), NEW_YORK) == ["2027-01-11 10:00-0500"]


def test_planning_twice_creates_nothing_new(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescribe(patient, therapist, reminder_times=["10:30", "11:30"])
    appointment_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=MONDAY + 25 * H
    )

    first = plan(now=MONDAY)
    count = Notification.objects.count()
    second = plan(now=MONDAY)

    assert first.created_by_kind[Kind.EXERCISE] == 2
    assert first.created_by_kind[Kind.APPOINTMENT] == 1
    assert second.created == 0
    assert Notification.objects.count() == count


def test_a_later_overlapping_window_adds_only_the_new_reminders(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescribe(patient, therapist, reminder_times=["10:30", "11:30", "12:30"])

    plan(now=MONDAY, horizon=2 * H)
    later = plan(now=MONDAY + H, horizon=2 * H)

    assert later.created_by_kind[Kind.EXERCISE] == 1
    assert len(outbox_rows()) == 3


# --- consent, channels and quiet hours -------------------------------------------------


def test_no_consented_channel_means_no_reminder(clinic, therapist):
    patient = new_patient(clinic, therapist, consent_email=False)
    prescribe(patient, therapist, reminder_times=["10:30"])

    plan(now=MONDAY)

    assert outbox_rows() == []


def test_sms_only_consent_reminds_by_sms(clinic, therapist):
    patient = new_patient(clinic, therapist, consent_email=False, consent_sms=True)
    prescribe(patient, therapist, reminder_times=["10:30"])

    plan(now=MONDAY)

    assert [row.channel for row in outbox_rows()] == [Channel.SMS]


def test_push_is_preferred_when_consented_and_a_device_is_registered(clinic, therapist):
    patient = new_patient(clinic, therapist, consent_sms=True, consent_push=True)
    prescribe(patient, therapist, reminder_times=["10:30"])
    other = new_patient(clinic, therapist, consent_sms=True, consent_push=True)
    prescribe(other, therapist, reminder_times=["10:30"])
    Device.objects.create(patient=patient, token="token-1", platform=Device.Platform.IOS)

    plan(now=MONDAY)

    channels = {row.patient_id: row.channel for row in outbox_rows()}
    assert channels == {patient.pk: Channel.PUSH, other.pk: Channel.SMS}  # no device: SMS


def test_a_reminder_inside_quiet_hours_is_not_texted(clinic, therapist):
    patient = new_patient(clinic, therapist, consent_email=False, consent_sms=True)
    prescribe(patient, therapist, reminder_times=["07:00"])

    plan(now=MONDAY - 10 * H, horizon=12 * H)  # covers 07:00 New York

    assert outbox_rows() == []


def test_a_reminder_inside_quiet_hours_falls_back_to_email(clinic, therapist):
    patient = new_patient(clinic, therapist, consent_email=True, consent_sms=True)
    prescribe(patient, therapist, reminder_times=["07:00", "09:00"])

    plan(now=MONDAY - 10 * H, horizon=12 * H)

    assert [
        (f"{r.scheduled_for.astimezone(NEW_YORK):%H:%M}", r.channel) for r in outbox_rows()
    ] == [
        ("07:00", Channel.EMAIL),
        ("09:00", Channel.SMS),
    ]


def test_the_patients_own_quiet_hours_count(clinic, therapist):
    patient = new_patient(
        clinic,
        therapist,
        consent_email=False,
        consent_sms=True,
        quiet_hours_start=datetime.time(22, 0),
        quiet_hours_end=datetime.time(6, 30),
    )
    prescribe(patient, therapist, reminder_times=["06:00", "07:00"])

    plan(now=MONDAY - 10 * H, horizon=12 * H)

    assert _local(outbox_rows(), NEW_YORK) == ["2027-01-11 07:00-0500"]


# --- program state, hold, discharge, clinic settings -----------------------------------


def test_a_paused_program_gets_no_reminders_or_nudges(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescription = prescribe(patient, therapist, reminder_times=["10:30"])
    program_services.prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )

    plan(now=MONDAY + 30 * DAY)

    assert outbox_rows() == []
    assert outbox_rows(Kind.NUDGE) == []
    assert outbox_rows(Kind.INACTIVITY_ALERT) == []


def test_a_patient_on_medical_hold_gets_appointment_reminders_only(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescribe(patient, therapist, reminder_times=["10:30"])
    appointment_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=MONDAY + 30 * DAY + 25 * H
    )
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=MONDAY)

    plan(now=MONDAY + 30 * DAY)

    assert outbox_rows() == []
    assert outbox_rows(Kind.NUDGE) == []
    assert outbox_rows(Kind.INACTIVITY_ALERT) == []
    assert len(outbox_rows(Kind.APPOINTMENT)) == 1


@pytest.mark.parametrize("status", [Patient.Status.DISCHARGED, Patient.Status.ARCHIVED])
def test_a_discharged_or_archived_patient_gets_nothing(clinic, therapist, status):
    patient = new_patient(clinic, therapist)
    prescribe(patient, therapist, reminder_times=["10:30"])
    appointment_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=MONDAY + 30 * DAY + 25 * H
    )
    patient_services.patient_set_status(patient=patient, status=status)

    result = plan(now=MONDAY + 30 * DAY, horizon=2 * DAY)

    assert result.created == 0
    assert Notification.objects.count() == 0


def test_a_clinic_can_turn_exercise_reminders_off(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescribe(patient, therapist, reminder_times=["10:30"])
    ClinicReminderSettings.objects.create(clinic=clinic, exercise_reminders=False)

    plan(now=MONDAY)

    assert outbox_rows() == []


# --- scale -----------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_number_of_patients(
    clinic, therapist, django_assert_max_num_queries
):
    for n in range(30):
        patient = new_patient(clinic, therapist, consent_push=n % 2 == 0, consent_sms=True)
        prescribe(patient, therapist, reminder_times=["10:30"])
        book(patient, therapist, MONDAY + 25 * H + n * H)
        if n % 2 == 0:
            Device.objects.create(patient=patient, token=f"t{n}", platform="android")

    # A fixed number per pass: holds, alerts and the digest add a few reads of their own,
    # `due.refresh` ten for the patients whose schedule changed (all of them here), the
    # exercise pass two to read who is due, and their patients apart from programs, and
    # the remote-monitoring nudges one for their alerts (none here).
    with django_assert_max_num_queries(38):
        result = plan(now=MONDAY)

    assert result.created_by_kind[Kind.EXERCISE] == 30
    assert result.created_by_kind[Kind.NUDGE] == 30
    assert {row.channel for row in outbox_rows()} == {Channel.PUSH, Channel.SMS}


def test_only_prescriptions_with_a_time_in_the_window_are_read(clinic, therapist):
    due_rx = prescribe(new_patient(clinic, therapist), therapist, reminder_times=["07:00", "10:30"])
    prescribe(new_patient(clinic, therapist), therapist, reminder_times=["07:00", "20:00"])
    london = new_patient(clinic, therapist, time_zone="Europe/London")
    due_in_london = prescribe(london, therapist, reminder_times=["15:30"])  # 10:30 New York

    zones = Zones()
    due.refresh(now=MONDAY, zones=zones)
    read = due_programs(end=MONDAY + 2 * H, config=ClinicConfig.load(), zones=zones)

    assert {prescription for prescription, _, _ in read} == {due_rx, due_in_london}
