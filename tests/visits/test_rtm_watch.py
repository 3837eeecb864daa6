"""The RTM watch: the therapist hears of a monitored patient whose 30-day period risks
ending short of 16 days with data, once per period, on the patient's own day."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients.models import ClinicalAlert, Patient
from practice.models import Role
from tests.factories import make_patient, make_staff
from visits import watch
from visits.rtm import rtm_status
from visits.rtm_services import rtm_episode_end
from visits.tasks import watch_rtm

from .rtm_course import MONITORED_FROM, at, monitored, sessions_on

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = ClinicalAlert.Kind
NY = "America/New_York"
THREE_DAYS = [D(2026, 12, 2), D(2026, 12, 3), D(2026, 12, 4)]


def run(moment: datetime.datetime) -> int:
    """The beat's task at that moment, as a worker runs it."""
    with time_machine.travel(moment, tick=False):
        return watch_rtm()


def shortfalls(patient) -> list[ClinicalAlert]:
    return list(
        ClinicalAlert.objects.filter(patient=patient, kind=Kind.RTM_DATA_SHORT).order_by("pk")
    )


@pytest.fixture
def episode(patient, therapist):
    episode = monitored(patient, therapist)
    sessions_on(patient, THREE_DAYS)
    return episode


def test_a_period_at_risk_tells_the_therapist_the_days_and_what_is_left(patient, episode):
    assert run(at(D(2026, 12, 21), 8, zone=NY)) == 1

    (alert,) = shortfalls(patient)
    assert alert.severity == ClinicalAlert.Severity.ROUTINE
    assert "3 of 16 days with data, 9 days left in the period ending 2026-12-30" in alert.message
    assert patient.full_name in alert.message
    with time_machine.travel(at(D(2026, 12, 21), 8, zone=NY), tick=False):
        assert rtm_status(episode=episode).current_period.at_risk  # the one-patient read agrees


def test_a_period_with_room_left_is_not_at_risk(patient, episode):
    # 3 days and 16 left: 13 still needed leaves three days to miss.
    assert run(at(D(2026, 12, 14), 20, zone=NY)) == 0
    assert shortfalls(patient) == []


def test_the_risk_begins_on_the_patients_own_day(clinic):
    therapist = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST)
    patient = make_patient(
        clinic=clinic, primary_therapist=therapist, time_zone="America/Los_Angeles"
    )
    monitored(patient, therapist)
    sessions_on(patient, THREE_DAYS)

    # 23:30 on the 14th in Los Angeles is already the 15th in New York and in UTC.
    assert run(at(D(2026, 12, 14), 23, 30, zone="America/Los_Angeles")) == 0
    assert run(at(D(2026, 12, 15), 0, 30, zone="America/Los_Angeles")) == 1
    assert "15 days left" in shortfalls(patient)[0].message


def test_one_alert_per_period_however_often_the_watch_runs(patient, episode):
    for day in range(15, 31):
        run(at(D(2026, 12, day), 0, 30, zone=NY))
        run(at(D(2026, 12, day), 15, zone=NY))

    assert len(shortfalls(patient)) == 1


def test_the_next_period_gets_its_own_alert(patient, episode):
    run(at(D(2026, 12, 21), 8, zone=NY))

    # The new period, from 31 December, with no day yet: 16 needed and 19 left leaves
    # three to miss; a day later, two.
    assert run(at(D(2027, 1, 10), 8, zone=NY)) == 0
    assert run(at(D(2027, 1, 11), 8, zone=NY)) == 1
    assert "0 of 16 days with data, 18 days left in the period ending 2027-01-29" in (
        shortfalls(patient)[-1].message
    )
    assert len(shortfalls(patient)) == 2


def test_a_patient_with_enough_days_is_not_flagged(patient, therapist):
    monitored(patient, therapist)
    sessions_on(patient, [MONITORED_FROM + datetime.timedelta(days=n) for n in range(16)])

    assert run(at(D(2026, 12, 28), 8, zone=NY)) == 0


def test_an_ended_episode_a_held_and_a_discharged_patient_are_not_watched(
    patient, therapist, episode
):
    other = make_patient(clinic=patient.clinic, primary_therapist=therapist)
    monitored(other, therapist)
    held = make_patient(clinic=patient.clinic, primary_therapist=therapist)
    monitored(held, therapist)
    with time_machine.travel(at(D(2026, 12, 10), 9, zone=NY), tick=False):
        rtm_episode_end(episode=episode, staff_member=therapist, ended_on=D(2026, 12, 10))
    Patient.objects.filter(pk=other.pk).update(status=Patient.Status.DISCHARGED)
    Patient.objects.filter(pk=held.pk).update(medical_hold_since=at(D(2026, 12, 5), 9, zone=NY))

    assert run(at(D(2026, 12, 21), 8, zone=NY)) == 0


def test_patients_of_other_clinics_are_alerted_for_their_own_period(
    patient, episode, other_patient
):
    other_therapist = make_staff(clinic=other_patient.clinic)
    monitored(other_patient, other_therapist)
    sessions_on(other_patient, [MONITORED_FROM + datetime.timedelta(days=n) for n in range(16)])

    assert run(at(D(2026, 12, 21), 8, zone=NY)) == 1
    assert len(shortfalls(patient)) == 1
    assert shortfalls(other_patient) == []


def _monitored_patients(clinic, count: int) -> None:
    therapist = make_staff(clinic=clinic)
    for _ in range(count):
        patient = make_patient(clinic=clinic, primary_therapist=therapist)
        monitored(patient, therapist)
        sessions_on(patient, THREE_DAYS[:1])


def test_the_watch_runs_the_same_queries_for_one_patient_as_for_many(clinic):
    moment = at(D(2026, 12, 5), 8, zone=NY)  # early in the period: nobody at risk yet
    _monitored_patients(clinic, 1)
    with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as one:
        assert watch.rtm_alerts_raise() == 0

    _monitored_patients(clinic, 5)
    with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as six:
        assert watch.rtm_alerts_raise() == 0

    assert len(six) == len(one), "\n".join(q["sql"] for q in six)
