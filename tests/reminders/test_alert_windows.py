"""What is too old or too new for a message: the emergency guidance for a hold first seen
a day late, a routine alert older than a week, an alert raised after the digest's opening,
and a held patient who has left the clinic."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from patients import services as patient_services
from patients.models import ClinicalAlert, Patient
from practice.models import Role
from reminders import planner
from reminders.models import Device, Kind, Notification
from tests.factories import make_patient
from tests.reminders.staff_helpers import staff

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
HOUR = datetime.timedelta(hours=1)


def ny(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """January 2027 in New York: the 11th is a Monday."""
    return datetime.datetime(2027, 1, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


@pytest.fixture(autouse=True)
def two_hour_horizon(settings):
    settings.REMINDERS_PLAN_HORIZON = 2 * HOUR


@pytest.fixture
def therapist(clinic):
    return staff(clinic, Role.PHYSICAL_THERAPIST, "pt.one")


@pytest.fixture
def patient(clinic, therapist):
    patient = make_patient(clinic=clinic, primary_therapist=therapist, consent_push=True)
    Device.objects.create(patient=patient, token="patient-phone", platform="ios")
    return patient


def _routine(patient, at) -> ClinicalAlert:
    with time_machine.travel(at, tick=False):
        return patient_services.alert_raise(
            patient=patient,
            kind=ClinicalAlert.Kind.PAIN_INCREASE,
            severity=ClinicalAlert.Severity.ROUTINE,
            message="Leg pain rose.",
        )


def _guidance() -> list[Notification]:
    return list(Notification.objects.filter(kind=Kind.HOLD_GUIDANCE))


def test_the_guidance_goes_for_a_hold_of_the_last_day(patient):
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=ny(11, 10) - 23 * HOUR)

    planner.plan_urgent(now=ny(11, 10))

    assert [row.channel for row in _guidance()] == ["push"]


def test_a_hold_first_seen_more_than_a_day_late_is_the_clinics_to_follow_up(patient):
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=ny(11, 10) - 25 * HOUR)

    planner.plan_urgent(now=ny(11, 10))

    assert _guidance() == []


@pytest.mark.parametrize("status", [Patient.Status.DISCHARGED, Patient.Status.ARCHIVED])
def test_a_held_patient_who_has_left_gets_no_guidance(patient, status):
    Patient.objects.filter(pk=patient.pk).update(status=status, medical_hold_since=ny(11, 10))

    planner.plan_urgent(now=ny(11, 10, 1))

    assert _guidance() == []


def test_a_routine_alert_older_than_a_week_is_left_to_the_digest(patient, therapist):
    _routine(patient, ny(11, 10) - 8 * datetime.timedelta(days=1))
    recent = _routine(patient, ny(11, 9))

    planner.plan(now=ny(11, 10))

    routine = Notification.objects.filter(kind=Kind.ROUTINE_ALERT)
    assert list(routine.values_list("source", flat=True)) == [f"routine:{recent.pk}:{therapist.pk}"]


def test_an_alert_raised_after_the_opening_waits_for_the_next_days_digest(patient, therapist):
    _routine(patient, ny(11, 8, 10))

    planner.plan(now=ny(11, 8, 15))  # still within the digest's catch-up hour

    assert not Notification.objects.filter(kind=Kind.DIGEST).exists()
    assert Notification.objects.filter(kind=Kind.ROUTINE_ALERT).count() == 1

    planner.plan(now=ny(12, 7))

    digest = Notification.objects.get(kind=Kind.DIGEST)
    assert (digest.staff, digest.scheduled_for) == (therapist, ny(12, 8))


def test_a_second_planner_picking_another_channel_or_time_adds_no_second_message(
    patient, therapist
):
    """Two passes at once (beat and cron) may pick another channel (a device registered
    in between) or time (the clinic's hours changed): one routine alert, one digest."""
    _routine(patient, ny(11, 7))
    planner.plan(now=ny(11, 7, 5))
    first = list(Notification.objects.filter(kind__in=[Kind.ROUTINE_ALERT, Kind.DIGEST]))
    assert {row.kind for row in first} == {Kind.ROUTINE_ALERT, Kind.DIGEST}

    Notification.objects.bulk_create(
        [
            Notification(
                clinic=row.clinic,
                staff=row.staff,
                kind=row.kind,
                channel="push",
                source=row.source,
                scheduled_for=row.scheduled_for + HOUR,
                next_attempt_at=row.scheduled_for + HOUR,
            )
            for row in first
        ],
        ignore_conflicts=True,
    )

    assert Notification.objects.filter(kind__in=[Kind.ROUTINE_ALERT, Kind.DIGEST]).count() == 2
