"""A program's start date must be plausible, and a paused program stays paused while
the patient is held."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import Patient
from patients.services import medical_hold_clear, red_flag_screen
from programs.models import PrescribedExercise, Prescription, ProgramTemplate
from programs.services import prescription_set_status, program_prescribe
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

S = Prescription.Status


def prescribe(diagnosis, therapist, start_date):
    return program_prescribe(
        patient=diagnosis.patient,
        diagnosis=diagnosis,
        prescribed_by=therapist,
        template=ProgramTemplate.objects.get(slug="mckenzie-extension"),
        start_date=start_date,
        weekdays=[0, 2, 4],
        reminder_times=["08:00"],
    )


@pytest.mark.parametrize(
    "start_date",
    [datetime.date(1, 1, 1), datetime.date(1999, 12, 31), datetime.date(2100, 1, 1)],
)
def test_a_start_date_outside_2000_to_2099_is_refused(diagnosis, therapist, start_date):
    with pytest.raises(ValidationError) as exc:
        prescribe(diagnosis, therapist, start_date)
    assert exc.value.message_dict == {
        "start_date": [
            f"{start_date.isoformat()} is not a plausible start date: a program starts between "
            "2000 and 2099."
        ]
    }
    assert not Prescription.objects.exists()
    assert not PrescribedExercise.objects.exists()


@pytest.mark.parametrize("start_date", [datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)])
def test_the_first_and_last_plausible_start_dates_are_accepted(diagnosis, therapist, start_date):
    assert prescribe(diagnosis, therapist, start_date).start_date == start_date


@pytest.fixture
def paused(diagnosis, therapist):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    return prescription_set_status(prescription=prescription, status=S.PAUSED, actor=therapist.user)


def test_resuming_a_paused_program_is_refused_while_on_medical_hold(paused, patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    with pytest.raises(ValidationError) as exc:
        prescription_set_status(prescription=paused, status=S.ACTIVE, actor=therapist.user)
    (message,) = exc.value.messages
    assert f"{patient.full_name} is on medical hold after a positive red-flag screen" in message
    assert message.endswith(
        "A clinician must clear the hold with a note before the program can resume."
    )
    paused.refresh_from_db()
    assert paused.status == S.PAUSED


def test_resuming_a_paused_program_is_refused_while_on_referral_hold(paused, patient, therapist):
    Patient.objects.filter(pk=patient.pk).update(referral_hold_since=timezone.now())
    with pytest.raises(ValidationError) as exc:
        prescription_set_status(prescription=paused, status=S.ACTIVE, actor=therapist.user)
    assert "referral" in exc.value.messages[0]
    paused.refresh_from_db()
    assert paused.status == S.PAUSED


def test_once_the_hold_is_cleared_the_paused_program_resumes(paused, patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    medical_hold_clear(patient=patient, cleared_by=therapist, note="ED visit: no cauda equina.")
    assert (
        prescription_set_status(prescription=paused, status=S.ACTIVE, actor=therapist.user).status
        == S.ACTIVE
    )
