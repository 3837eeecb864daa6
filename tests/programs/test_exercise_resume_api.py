"""Stopped exercises in the staff prescription API, and resuming one."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import RecordAccess
from patients.services import red_flag_screen
from programs.models import PrescribedExercise, Prescription
from programs.services import exercise_resume, prescription_set_status
from tests.clients import error_of
from tests.factories import make_diagnosis, make_patient, make_prescription
from tests.programs.test_exercise_resume import NOTE, stop

pytestmark = pytest.mark.django_db

URL = "/api/v1/prescriptions/"


@pytest.fixture
def prescription(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


@pytest.fixture
def stopped(prescription):
    return stop(prescription.exercises.order_by("phase", "order").first())


def resume_url(item) -> str:
    return f"{URL}{item.prescription_id}/exercises/{item.pk}/resume/"


def exercises_of(body) -> dict[int, dict]:
    return {e["id"]: e for e in body["exercises"]}


def test_a_staff_read_shows_when_why_and_at_what_pain_an_exercise_was_stopped(
    therapist_api, stopped
):
    body = therapist_api.get(f"{URL}{stopped.prescription_id}/").json()

    item = exercises_of(body)[stopped.pk]
    assert item["stop"] == {
        "stopped_at": "2026-03-02T14:30:00Z",
        "reason": "leg_pain_rose",
        "reason_label": "Leg pain rose by 2 or more",
        "message": "Stop this exercise: your leg pain rose from 3 to 6 while doing it.",
        "pain_before": 3,
        "pain_after": 6,
        "session": None,
    }
    assert item["last_resumption"] is None
    others = [e for pk, e in exercises_of(body).items() if pk != stopped.pk]
    assert others
    assert all(e["stop"] is None for e in others)


def test_a_clinician_resumes_a_stopped_exercise_with_a_note(therapist_api, therapist, stopped):
    before = timezone.now()
    response = therapist_api.post(resume_url(stopped), {"note": NOTE}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == stopped.pk
    assert body["stop"] is None
    resumption = body["last_resumption"]
    assert resumption["note"] == NOTE
    assert resumption["resumed_by"] == therapist.pk
    assert resumption["resumed_by_name"] == str(therapist)
    assert before <= datetime.datetime.fromisoformat(resumption["resumed_at"]) <= timezone.now()
    item = PrescribedExercise.objects.get(pk=stopped.pk)
    assert not item.stop_and_contact_therapist
    assert item.history.first().history_user == therapist.user
    # The read after it shows the same.
    read = exercises_of(therapist_api.get(f"{URL}{stopped.prescription_id}/").json())
    assert read[stopped.pk]["last_resumption"]["note"] == NOTE
    assert RecordAccess.objects.filter(
        patient_id=stopped.prescription.patient_id, action=RecordAccess.Action.CHANGE
    ).exists()


@pytest.mark.parametrize("body", [{}, {"note": ""}, {"note": "   "}, {"note": None}])
def test_a_resumption_without_a_note_is_a_400(therapist_api, stopped, body):
    response = therapist_api.post(resume_url(stopped), body, format="json")
    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    assert PrescribedExercise.objects.get(pk=stopped.pk).stop_and_contact_therapist


def test_a_note_over_2000_characters_is_a_400(therapist_api, stopped):
    response = therapist_api.post(resume_url(stopped), {"note": "x" * 2001}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()["errors"]


def test_resuming_while_on_medical_hold_is_a_400_naming_the_hold(
    therapist_api, therapist, patient, stopped
):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    response = therapist_api.post(resume_url(stopped), {"note": NOTE}, format="json")
    assert response.status_code == 400
    (message,) = response.json()["errors"]["non_field_errors"]
    assert "is on medical hold" in message
    assert "can be resumed" in message
    assert PrescribedExercise.objects.get(pk=stopped.pk).stop_and_contact_therapist


def test_resuming_an_exercise_that_is_not_stopped_is_a_400(therapist_api, prescription):
    item = prescription.exercises.first()
    response = therapist_api.post(resume_url(item), {"note": NOTE}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": [f"{item.exercise.name} is not stopped; there is nothing to resume."]
    }


def test_the_front_desk_gets_a_403(front_desk_api, stopped):
    response = front_desk_api.post(resume_url(stopped), {"note": NOTE}, format="json")
    assert response.status_code == 403
    assert PrescribedExercise.objects.get(pk=stopped.pk).stop_and_contact_therapist


def test_the_patient_gets_a_403(patient_api, stopped):
    response = patient_api.post(resume_url(stopped), {"note": NOTE}, format="json")
    assert response.status_code == 403


def test_another_clinics_therapist_gets_a_404(other_therapist_api, stopped):
    response = other_therapist_api.post(resume_url(stopped), {"note": NOTE}, format="json")
    assert response.status_code == 404
    assert PrescribedExercise.objects.get(pk=stopped.pk).stop_and_contact_therapist


def test_an_exercise_of_another_program_of_the_clinic_is_a_404(
    therapist_api, therapist, clinic, stopped
):
    second = make_patient(clinic=clinic, first_name="Jo")
    theirs = make_prescription(
        diagnosis=make_diagnosis(patient=second, diagnosed_by=therapist), prescribed_by=therapist
    )
    url = f"{URL}{theirs.pk}/exercises/{stopped.pk}/resume/"
    response = therapist_api.post(url, {"note": NOTE}, format="json")
    assert response.status_code == 404
    assert PrescribedExercise.objects.get(pk=stopped.pk).stop_and_contact_therapist


@pytest.mark.parametrize("item_id", ["abc", "1.5", "0", "-1", str(2**63), "9" * 30])
def test_a_malformed_exercise_id_is_a_json_404(therapist_api, prescription, item_id):
    response = therapist_api.post(
        f"{URL}{prescription.pk}/exercises/{item_id}/resume/", {"note": NOTE}, format="json"
    )
    assert response.status_code == 404
    assert error_of(response) == {
        "status": 404,
        "code": "not_found",
        "detail": "Not found.",
        "errors": {},
    }


def test_get_on_the_resume_action_is_a_405(therapist_api, stopped):
    assert therapist_api.get(resume_url(stopped)).status_code == 405


def test_the_schema_documents_the_resume_action(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/prescriptions/{id}/exercises/{item_id}/resume/"]["post"]
    assert operation["summary"] == "Resume a stopped exercise"
    assert "hold" in operation["description"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert request.endswith("/ResumeRequest")
    exercise = schema["components"]["schemas"]["PrescribedExercise"]["properties"]
    assert {"stop", "last_resumption"} <= exercise.keys()


def test_the_list_costs_the_same_queries_with_stops_and_resumptions(
    therapist_api, therapist, clinic
):
    def prescribe_with_a_resumed_and_a_stopped_exercise(n: int):
        patient = make_patient(clinic=clinic, first_name=f"P{n}")
        program = make_prescription(
            diagnosis=make_diagnosis(patient=patient, diagnosed_by=therapist),
            prescribed_by=therapist,
        )
        first, second = program.exercises.all()[:2]
        exercise_resume(item=stop(first), staff_member=therapist, note=f"Review {n}.")
        stop(second)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = therapist_api.get(URL, {"page_size": 50})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    prescribe_with_a_resumed_and_a_stopped_exercise(0)
    one = count()
    for n in range(1, 6):
        prescribe_with_a_resumed_and_a_stopped_exercise(n)
    assert count() == one


def test_resuming_a_paused_program_over_the_api_is_refused_while_on_hold(
    therapist_api, therapist, patient, prescription
):
    prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)

    response = therapist_api.post(f"{URL}{prescription.pk}/status/", {"status": "active"})

    assert response.status_code == 400
    assert "is on medical hold" in response.json()["errors"]["non_field_errors"][0]
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.PAUSED


@pytest.mark.parametrize("start_date", ["0001-01-01", "1999-12-31", "2100-01-01"])
def test_prescribing_with_an_implausible_start_date_is_a_400(
    therapist_api, patient, diagnosis, start_date
):
    body = {
        "patient": patient.pk,
        "diagnosis": diagnosis.pk,
        "template": "mckenzie-extension",
        "start_date": start_date,
    }
    response = therapist_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "start_date": [
            f"{start_date} is not a plausible start date: a program starts between 2000 and 2099."
        ]
    }
    assert not Prescription.objects.exists()
