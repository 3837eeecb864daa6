"""The front desk reads no clinical text through the API either: every staff list of the
OpenAPI schema, and the patient and appointment pages it may open, answer without a
diagnosis, a screening's or a session's notes (a refusal, or a body without them).

Paths come from the schema, so a new staff list is read here without editing this file
(the paths with an id are tried by every refused caller in tests/config/test_access_matrix.py)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from appointments import services as appointment_services
from programs.sessions import ExerciseDone, session_log
from tests.admin_world import (
    DIAGNOSIS_CODE,
    DIAGNOSIS_NOTE,
    SCREENING_NOTE,
    SECRET_TEXTS,
    SESSION_NOTE,
)
from tests.clients import bearer
from tests.factories import make_diagnosis, make_prescription, make_screening

pytestmark = pytest.mark.django_db

# Who the caller is and what the patient's app reads are not staff reads of patients.
NOT_STAFF_READS = ("/api/v1/me/", "/api/v1/auth/", "/api/v1/staff/")


def _staff_lists() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        path
        for path, operations in schema["paths"].items()
        if "{" not in path and "get" in operations and not path.startswith(NOT_STAFF_READS)
    ]


STAFF_LISTS = _staff_lists()


@pytest.fixture
def clinical(patient, therapist):
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist, icd10_code=DIAGNOSIS_CODE)
    type(diagnosis).objects.filter(pk=diagnosis.pk).update(notes=DIAGNOSIS_NOTE)
    make_screening(patient=patient, screened_by=therapist, notes=SCREENING_NOTE)
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    item = program.exercises.order_by("pk").first()
    session_log(
        patient=patient,
        client_id=uuid.uuid4(),
        performed_at=timezone.now() - datetime.timedelta(hours=1),
        pain_extent="calf",
        exercises=[ExerciseDone(prescribed_exercise_id=item.pk, sets=2, reps=10)],
        leg_pain_before=3,
        leg_pain_after=3,
        notes=SESSION_NOTE,
    )
    return appointment_services.appointment_book(
        patient=patient,
        therapist=therapist,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        actor=therapist.user,
    )


def _secrets_in(response) -> list[str]:
    body = response.content.decode()
    return [secret for secret in SECRET_TEXTS if secret in body]


def test_a_clinician_reads_the_clinical_texts_through_the_staff_lists(clinical, therapist):
    client = bearer(therapist.user)

    shown = {secret for path in STAFF_LISTS for secret in _secrets_in(client.get(path))}

    assert shown >= {DIAGNOSIS_CODE, DIAGNOSIS_NOTE, SCREENING_NOTE}  # the texts are there


@pytest.mark.parametrize("path", STAFF_LISTS)
def test_a_staff_list_shows_the_front_desk_no_clinical_text(clinical, front_desk, path):
    response = bearer(front_desk.user).get(path)

    assert response.status_code in {200, 403}, response.status_code
    assert _secrets_in(response) == []


def test_the_patient_and_visit_pages_of_the_front_desk_carry_no_clinical_text(
    clinical, front_desk, patient
):
    client = bearer(front_desk.user)
    for path in (
        f"/api/v1/patients/{patient.pk}/",
        f"/api/v1/appointments/{clinical.pk}/",
        f"/api/v1/patients/{patient.pk}/sessions/",
        f"/api/v1/patients/{patient.pk}/progress/",
    ):
        response = client.get(path)
        assert response.status_code in {200, 403}, path
        assert _secrets_in(response) == [], path
