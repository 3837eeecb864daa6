"""The planner's inactivity nudges to patients and inactivity alerts to therapists."""

from __future__ import annotations

import uuid

import pytest
import time_machine

from patients.models import Patient
from programs import services as program_services
from programs.models import PainExtent
from reminders.models import Channel, ClinicReminderSettings, Kind
from reminders.planner import plan
from tests.reminders.planner_helpers import (
    DAY,
    MONDAY,
    NEW_YORK,
    H,
    emailed_therapist,
    new_patient,
    outbox_rows,
    prescribe,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_hour_horizon")]


@pytest.fixture
def therapist(clinic):
    return emailed_therapist(clinic)


def _log_session(patient, prescription, performed_at):
    with time_machine.travel(performed_at, tick=False):
        program_services.session_log(
            patient=patient,
            client_id=uuid.uuid4(),
            performed_at=performed_at,
            pain_before=4,
            pain_after=3,
            pain_extent=PainExtent.BUTTOCK,
            exercises=[
                program_services.ExerciseDone(
                    prescribed_exercise_id=prescription.exercises.first().pk
                )
            ],
        )


@pytest.fixture
def idle_patient(clinic, therapist):
    """A patient with email consent whose last session was Monday 10:00 New York time."""
    with time_machine.travel(MONDAY - 7 * DAY, tick=False):
        patient = new_patient(clinic, therapist)
        prescription = prescribe(patient, therapist, reminder_times=["05:00"])
    _log_session(patient, prescription, MONDAY)
    return patient


def test_an_idle_patient_is_nudged_once_after_three_days(idle_patient):
    assert plan(now=MONDAY + 3 * DAY - H).created_by_kind[Kind.NUDGE] == 0
    assert plan(now=MONDAY + 3 * DAY).created_by_kind[Kind.NUDGE] == 1
    assert plan(now=MONDAY + 3 * DAY + H).created_by_kind[Kind.NUDGE] == 0
    assert plan(now=MONDAY + 5 * DAY).created_by_kind[Kind.NUDGE] == 0

    (nudge,) = outbox_rows(Kind.NUDGE)
    assert nudge.source == f"nudge:{idle_patient.pk}:2027-01-11"
    assert (nudge.channel, nudge.scheduled_for) == (Channel.EMAIL, MONDAY + 3 * DAY)


def test_a_new_streak_gets_a_new_nudge(idle_patient):
    plan(now=MONDAY + 3 * DAY)
    prescription = idle_patient.prescriptions.get()
    _log_session(idle_patient, prescription, MONDAY + 4 * DAY)

    assert plan(now=MONDAY + 6 * DAY).created_by_kind[Kind.NUDGE] == 0
    assert plan(now=MONDAY + 7 * DAY).created_by_kind[Kind.NUDGE] == 1
    assert [row.source for row in outbox_rows(Kind.NUDGE)] == [
        f"nudge:{idle_patient.pk}:2027-01-11",
        f"nudge:{idle_patient.pk}:2027-01-15",
    ]


def test_a_nudge_due_at_night_by_sms_waits_for_the_end_of_quiet_hours(clinic, therapist):
    with time_machine.travel(MONDAY - 7 * DAY, tick=False):
        patient = new_patient(clinic, therapist, consent_email=False, consent_sms=True)
        prescription = prescribe(patient, therapist, reminder_times=["05:00"])
    _log_session(patient, prescription, MONDAY)
    night = MONDAY + 3 * DAY + 13 * H  # 23:00 in New York

    plan(now=night)
    plan(now=night + H)

    (nudge,) = outbox_rows(Kind.NUDGE)
    assert nudge.channel == Channel.SMS
    assert f"{nudge.scheduled_for.astimezone(NEW_YORK):%Y-%m-%d %H:%M}" == "2027-01-15 08:00"


def test_a_program_never_started_counts_from_its_start_date(clinic, therapist):
    with time_machine.travel(MONDAY, tick=False):
        patient = new_patient(clinic, therapist)
        prescribe(patient, therapist, reminder_times=["05:00"])  # starts 2027-01-11

    plan(now=MONDAY + 3 * DAY)

    (nudge,) = outbox_rows(Kind.NUDGE)
    assert nudge.source == f"nudge:{patient.pk}:2027-01-11"


def test_the_therapist_is_told_once_after_seven_days(idle_patient, therapist):
    assert plan(now=MONDAY + 7 * DAY - H).created_by_kind[Kind.INACTIVITY_ALERT] == 0
    assert plan(now=MONDAY + 7 * DAY).created_by_kind[Kind.INACTIVITY_ALERT] == 1
    assert plan(now=MONDAY + 9 * DAY).created_by_kind[Kind.INACTIVITY_ALERT] == 0

    (alert,) = outbox_rows(Kind.INACTIVITY_ALERT)
    assert (alert.staff, alert.patient, alert.channel) == (therapist, None, Channel.EMAIL)
    assert alert.source == f"inactive:{idle_patient.pk}:2027-01-11"
    assert len(outbox_rows(Kind.NUDGE)) == 1


def test_no_therapist_alert_without_a_therapist_email(idle_patient, therapist):
    therapist.user.email = ""
    therapist.user.save(update_fields=["email"])

    plan(now=MONDAY + 8 * DAY)

    assert outbox_rows(Kind.INACTIVITY_ALERT) == []
    assert len(outbox_rows(Kind.NUDGE)) == 1


def test_inactivity_thresholds_come_from_the_clinic(idle_patient, clinic):
    ClinicReminderSettings.objects.create(
        clinic=clinic, nudge_after_days=5, therapist_alert_after_days=10
    )

    plan(now=MONDAY + 4 * DAY)
    assert outbox_rows(Kind.NUDGE) == []
    plan(now=MONDAY + 5 * DAY)
    assert len(outbox_rows(Kind.NUDGE)) == 1
    plan(now=MONDAY + 9 * DAY)
    assert outbox_rows(Kind.INACTIVITY_ALERT) == []
    plan(now=MONDAY + 10 * DAY)
    assert len(outbox_rows(Kind.INACTIVITY_ALERT)) == 1


def test_a_patient_whose_zone_no_longer_resolves_costs_only_their_messages(
    idle_patient, clinic, therapist
):
    """A stored zone the system no longer knows (renamed, or loaded in bulk) skips that
    patient, as the other passes do; everyone else is still planned."""
    with time_machine.travel(MONDAY - 7 * DAY, tick=False):
        lost = new_patient(clinic, therapist, mrn="LOST-ZONE")
        prescription = prescribe(lost, therapist, reminder_times=["05:00"])
    _log_session(lost, prescription, MONDAY)
    Patient.objects.filter(pk=lost.pk).update(time_zone="Mars/Olympus_Mons")

    plan(now=MONDAY + 7 * DAY)

    assert [row.source for row in outbox_rows(Kind.NUDGE)] == [
        f"nudge:{idle_patient.pk}:2027-01-11"
    ]
    assert [row.source for row in outbox_rows(Kind.INACTIVITY_ALERT)] == [
        f"inactive:{idle_patient.pk}:2027-01-11"
    ]
