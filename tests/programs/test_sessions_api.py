"""Exercise sessions: the patient logs them (retry-safe), staff of the clinic read them."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programs.models import ExerciseSession, SessionExercise
from programs.services import ExerciseDone, prescription_set_status, session_log
from tests.factories import make_diagnosis, make_prescription

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/sessions/"


def staff_url(patient) -> str:
    return f"/api/v1/patients/{patient.pk}/sessions/"


@pytest.fixture
def prescription(diagnosis, therapist):
    # Started a month ago, so the sessions below (up to 20 days old) are plausible.
    start = timezone.localdate() - datetime.timedelta(days=30)
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=start)


@pytest.fixture
def second_prescription(same_clinic_patient, therapist):
    diagnosis = make_diagnosis(patient=same_clinic_patient, diagnosed_by=therapist)
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


def _body(prescription, **extra) -> dict:
    items = list(prescription.exercises.filter(phase=1).order_by("order")[:2])
    return {
        "client_id": str(uuid.uuid4()),
        "performed_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "pain_before": 6,
        "pain_after": 4,
        "pain_extent": "thigh",
        "exercises": [
            {"prescribed_exercise": items[0].pk, "minutes": 3, "pain_before": 6, "pain_after": 5},
            {"prescribed_exercise": items[1].pk, "sets": 1, "reps": 10},
        ],
        "notes": "Leg pain eased.",
        **extra,
    }


def _log(patient, prescription, *, hours_ago: float = 1, client_id=None) -> ExerciseSession:
    session, _ = session_log(
        patient=patient,
        client_id=client_id or uuid.uuid4(),
        performed_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        pain_before=5,
        pain_after=3,
        pain_extent="buttock",
        exercises=[ExerciseDone(prescribed_exercise_id=prescription.exercises.first().pk)],
    )
    return session


# ---------------------------------------------------------------- logging (patient)


def test_logging_a_session_stores_it_with_its_exercises(patient_api, patient, prescription):
    body = _body(prescription)
    response = patient_api.post(ME, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["client_id"] == body["client_id"]
    assert data["prescription"] == prescription.pk
    assert (data["pain_before"], data["pain_after"], data["pain_extent"]) == (6, 4, "thigh")
    assert [i["prescribed_exercise"] for i in data["items"]] == [
        e["prescribed_exercise"] for e in body["exercises"]
    ]
    assert data["items"][0]["exercise_name"]
    session = ExerciseSession.objects.get(pk=data["id"])
    assert session.patient == patient
    assert session.items.count() == 2


def test_a_retried_upload_logs_one_session(patient_api, patient, prescription):
    body = _body(prescription)
    answers = [patient_api.post(ME, body) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1
    assert answers[1].json() == answers[0].json()
    assert ExerciseSession.objects.filter(patient=patient).count() == 1
    assert SessionExercise.objects.count() == 2


def test_a_retry_answers_the_stored_session_even_after_the_program_closed(
    patient_api, therapist, prescription
):
    body = _body(prescription)
    first = patient_api.post(ME, body)
    prescription_set_status(prescription=prescription, status="stopped", actor=therapist.user)
    retry = patient_api.post(ME, body)
    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]


def test_the_same_client_id_from_another_patient_is_independent(
    patient_api,
    same_clinic_patient_api,
    patient,
    same_clinic_patient,
    prescription,
    second_prescription,
):
    client_id = str(uuid.uuid4())
    mine = patient_api.post(ME, _body(prescription, client_id=client_id))
    theirs = same_clinic_patient_api.post(ME, _body(second_prescription, client_id=client_id))
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert ExerciseSession.objects.get(pk=mine.json()["id"]).patient == patient
    assert ExerciseSession.objects.get(pk=theirs.json()["id"]).patient == same_clinic_patient


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain_before": 11}, "pain_before"),
        ({"pain_after": -1}, "pain_after"),
        ({"pain_before": 5.5}, "pain_before"),
        ({"pain_before": True}, "pain_before"),
        ({"pain_before": None}, "pain_before"),
        ({"pain_extent": "knee"}, "pain_extent"),
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"client_id": 12}, "client_id"),
        ({"performed_at": "2025-13-40T10:00"}, "performed_at"),
        ({"performed_at": "yesterday"}, "performed_at"),
        ({"notes": "nul\x00byte"}, "notes"),
        ({"exercises": []}, "exercises"),
        ({"exercises": "all of them"}, "exercises"),
        ({"exercises": [{"prescribed_exercise": "abc"}]}, "exercises"),
        ({"exercises": [{"prescribed_exercise": 10**30}]}, "exercises"),
    ],
)
def test_bad_session_input_is_a_400_per_field_and_stores_nothing(
    patient_api, prescription, change, field
):
    response = patient_api.post(ME, {**_body(prescription), **change}, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not ExerciseSession.objects.exists()


def test_out_of_range_pain_on_an_exercise_stores_nothing(patient_api, prescription):
    body = _body(prescription)
    body["exercises"][1]["pain_after"] = 11
    response = patient_api.post(ME, body)
    assert response.status_code == 400
    assert response.json()["errors"]["exercises"]["1"]["pain_after"]  # errors keyed by item index
    assert not ExerciseSession.objects.exists()
    assert not SessionExercise.objects.exists()


def test_another_patients_prescribed_exercise_is_a_400_and_stores_nothing(
    patient_api, prescription, second_prescription
):
    body = _body(prescription)
    body["exercises"][1]["prescribed_exercise"] = second_prescription.exercises.first().pk
    response = patient_api.post(ME, body)
    assert response.status_code == 400
    assert "exercises" in response.json()["errors"]
    assert not ExerciseSession.objects.exists()
    assert not SessionExercise.objects.exists()


def test_a_future_session_or_one_without_a_program_is_refused(patient_api, therapist, prescription):
    future = (timezone.now() + datetime.timedelta(days=1, minutes=5)).isoformat()
    response = patient_api.post(ME, _body(prescription, performed_at=future))
    assert response.status_code == 400
    assert "performed_at" in response.json()["errors"]

    body = _body(prescription)
    prescription_set_status(prescription=prescription, status="completed", actor=therapist.user)
    response = patient_api.post(ME, body)
    assert response.status_code == 400
    assert "no active program" in response.json()["errors"]["non_field_errors"][0]
    assert not ExerciseSession.objects.exists()


def test_the_same_exercise_twice_in_a_session_is_refused(patient_api, prescription):
    body = _body(prescription)
    body["exercises"][1]["prescribed_exercise"] = body["exercises"][0]["prescribed_exercise"]
    response = patient_api.post(ME, body)
    assert response.status_code == 400
    assert not ExerciseSession.objects.exists()


# ---------------------------------------------------------------- reading (patient)


def test_my_sessions_are_listed_newest_first(patient_api, patient, prescription):
    older = _log(patient, prescription, hours_ago=30)
    newer = _log(patient, prescription, hours_ago=2)
    response = patient_api.get(ME)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [newer.pk, older.pk]
    assert response.json()["count"] == 2
    assert patient_api.get(f"{ME}{older.pk}/").json()["id"] == older.pk


def test_a_patient_never_sees_another_patients_sessions(
    same_clinic_patient_api, patient, prescription
):
    session = _log(patient, prescription)
    response = same_clinic_patient_api.get(ME)
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert same_clinic_patient_api.get(f"{ME}{session.pk}/").status_code == 404


def test_my_sessions_cannot_be_changed_or_deleted(patient_api, patient, prescription):
    session = _log(patient, prescription)
    assert patient_api.delete(f"{ME}{session.pk}/").status_code == 405
    assert patient_api.patch(f"{ME}{session.pk}/", {"pain_after": 0}).status_code == 405
    assert ExerciseSession.objects.filter(pk=session.pk).exists()


def test_staff_cannot_use_the_patients_session_endpoint(therapist_api, anon):
    assert therapist_api.get(ME).status_code == 403
    assert anon.get(ME).status_code == 401


# ---------------------------------------------------------------- reading (staff)


def test_staff_read_a_patients_sessions_with_adherence(therapist_api, patient, prescription):
    _log(patient, prescription, hours_ago=2)
    _log(patient, prescription, hours_ago=3)
    _log(patient, prescription, hours_ago=24 * 10)
    response = therapist_api.get(staff_url(patient))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == 3
    assert body["results"][0]["items"][0]["exercise_name"]
    adherence = body["adherence"]
    assert adherence["last_7_days"]["sessions"] == 2
    assert adherence["last_28_days"]["sessions"] == 3
    assert adherence["last_7_days"]["days"] == 7
    assert adherence["last_7_days"]["days_with_session"] <= 2
    # the program started a month ago and runs every day
    assert adherence["last_7_days"]["scheduled_days"] == 7


def test_staff_filter_a_patients_sessions_by_date(therapist_api, patient, prescription):
    recent = _log(patient, prescription, hours_ago=1)
    _log(patient, prescription, hours_ago=24 * 20)
    since = (timezone.now() - datetime.timedelta(days=2)).date().isoformat()
    response = therapist_api.get(staff_url(patient), {"date_from": since})
    assert [row["id"] for row in response.json()["results"]] == [recent.pk]
    until = (timezone.now() - datetime.timedelta(days=5)).date().isoformat()
    response = therapist_api.get(staff_url(patient), {"date_to": until})
    assert response.json()["count"] == 1
    assert therapist_api.get(staff_url(patient), {"date_from": "2025-02-30"}).status_code == 400


def test_staff_session_list_costs_the_same_queries_for_one_row_or_fifty(
    therapist_api, patient, prescription
):
    for hours in (1, 2, 3):
        _log(patient, prescription, hours_ago=hours)

    def count(size):
        with CaptureQueriesContext(connection) as ctx:
            response = therapist_api.get(staff_url(patient), {"page_size": size})
        assert len(response.json()["results"]) == min(size, 3)
        return len(ctx.captured_queries)

    assert count(1) == count(50)


def test_my_session_list_costs_the_same_queries_for_one_row_or_fifty(
    patient_api, patient, prescription
):
    for hours in (1, 2, 3):
        _log(patient, prescription, hours_ago=hours)

    def count(size):
        with CaptureQueriesContext(connection) as ctx:
            response = patient_api.get(ME, {"page_size": size})
        assert len(response.json()["results"]) == min(size, 3)
        return len(ctx.captured_queries)

    assert count(1) == count(50)


def test_another_clinics_patient_sessions_are_a_404(
    other_therapist_api, therapist_api, patient, prescription
):
    _log(patient, prescription)
    assert other_therapist_api.get(staff_url(patient)).status_code == 404
    for bad in ("0", "abc", "1.5", "99999999999999999999999"):
        response = therapist_api.get(f"/api/v1/patients/{bad}/sessions/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_front_desk_does_not_read_sessions(front_desk_api, patient, prescription):
    assert front_desk_api.get(staff_url(patient)).status_code == 403
