"""Advancing a program's phase over the staff API under a hold, and the lock order that
keeps a red-flag screening and a phase or status change from racing (the patient row
first, then the program, as every service locking both does)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients.services import red_flag_screen
from programs.models import Prescription
from programs.services import prescription_advance_phase, prescription_set_status

pytestmark = pytest.mark.django_db

URL = "/api/v1/prescriptions/"


def phase_of(prescription) -> int:
    return Prescription.objects.get(pk=prescription.pk).current_phase


@pytest.mark.parametrize(
    ("flag", "hold"),
    [("foot_drop", "is on medical hold"), ("history_of_cancer", "is on a referral hold")],
)
def test_advancing_over_the_api_is_refused_under_a_hold(
    therapist_api, therapist, patient, prescription, flag, hold
):
    red_flag_screen(patient=patient, flags={flag: True}, screened_by=therapist)

    response = therapist_api.post(f"{URL}{prescription.pk}/advance-phase/")

    assert response.status_code == 400
    (message,) = response.json()["errors"]["non_field_errors"]
    assert hold in message
    assert "before the program moves to its next phase" in message
    assert phase_of(prescription) == 1


def test_the_service_refuses_a_phase_other_than_the_one_the_caller_showed(therapist, prescription):
    prescription_advance_phase(prescription=prescription, actor=therapist.user, expected_phase=1)

    with pytest.raises(ValidationError, match="The program already moved to phase 2"):
        prescription_advance_phase(
            prescription=prescription, actor=therapist.user, expected_phase=1
        )
    assert phase_of(prescription) == 2


def locked_tables(queries) -> list[str]:
    """The tables each SELECT ... FOR UPDATE locked, in order."""
    return [
        q["sql"].split(" FROM ", 1)[1].split()[0].strip('"')
        for q in queries
        if q["sql"].startswith("SELECT") and q["sql"].endswith("FOR UPDATE")
    ]


def test_advancing_locks_the_patient_before_the_program(therapist, prescription):
    with CaptureQueriesContext(connection) as queries:
        prescription_advance_phase(prescription=prescription, actor=therapist.user)

    assert locked_tables(queries.captured_queries)[:2] == [
        "patients_patient",
        "programs_prescription",
    ]


def test_a_status_change_locks_the_patient_before_the_program(therapist, prescription):
    with CaptureQueriesContext(connection) as queries:
        prescription_set_status(
            prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
        )

    assert locked_tables(queries.captured_queries)[:2] == [
        "patients_patient",
        "programs_prescription",
    ]
