"""POST /me/sessions/batch/: up to 50 sessions, each accepted or refused on its own,
idempotent per client_id."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from audit.models import RecordAccess
from programs.models import ExerciseSession, PrescribedExercise
from tests.clients import error_of
from tests.factories import make_diagnosis, make_prescription

pytestmark = pytest.mark.django_db

BATCH = "/api/v1/me/sessions/batch/"


@pytest.fixture
def prescription(diagnosis, therapist):
    start = timezone.localdate() - datetime.timedelta(days=30)
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=start)


def _body(prescription, *, hours_ago: float = 1, **extra) -> dict:
    item = prescription.exercises.filter(phase=1).order_by("order").first()
    return {
        "client_id": str(uuid.uuid4()),
        "performed_at": (timezone.now() - datetime.timedelta(hours=hours_ago)).isoformat(),
        "leg_pain_before": 4,
        "leg_pain_after": 3,
        "pain_extent": "thigh",
        "exercises": [{"prescribed_exercise": item.pk, "sets": 1}],
        **extra,
    }


def test_one_bad_session_among_good_ones_refuses_only_itself(patient_api, patient, prescription):
    good = [_body(prescription, hours_ago=h) for h in (30, 20, 10)]
    bad = _body(prescription, hours_ago=5, leg_pain_after=11)
    sessions = [good[0], bad, good[1], good[2]]

    response = patient_api.post(BATCH, {"sessions": sessions}, format="json")

    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3]
    assert [r["status"] for r in results] == ["created", "refused", "created", "created"]
    assert [r["client_id"] for r in results] == [s["client_id"] for s in sessions]
    refused = results[1]
    assert refused["session"] is None
    assert refused["code"] == "invalid"
    assert list(refused["errors"]) == ["leg_pain_after"]
    assert refused["detail"].startswith("leg_pain_after: ")
    stored = set(
        ExerciseSession.objects.filter(patient=patient).values_list("client_id", flat=True)
    )
    assert {str(c) for c in stored} == {s["client_id"] for s in good}
    for result in (results[0], results[2], results[3]):
        assert result["errors"] is None
        assert result["session"]["client_id"] == result["client_id"]
        assert result["session"]["items"]


def test_a_session_refused_by_the_service_does_not_undo_the_others(
    patient_api, patient, prescription
):
    too_early = _body(prescription, hours_ago=24 * 40)  # before the program started

    results = patient_api.post(
        BATCH, {"sessions": [_body(prescription), too_early]}, format="json"
    ).json()["results"]

    assert [r["status"] for r in results] == ["created", "refused"]
    assert list(results[1]["errors"]) == ["performed_at"]
    assert ExerciseSession.objects.filter(patient=patient).count() == 1


def test_a_retried_batch_answers_existing_and_logs_nothing_new(patient_api, patient, prescription):
    sessions = [_body(prescription, hours_ago=h) for h in (3, 2)]
    first = patient_api.post(BATCH, {"sessions": sessions}, format="json").json()["results"]

    again = patient_api.post(BATCH, {"sessions": sessions}, format="json").json()["results"]

    assert [r["status"] for r in again] == ["existing", "existing"]
    assert [r["session"] for r in again] == [r["session"] for r in first]
    assert ExerciseSession.objects.filter(patient=patient).count() == 2


def test_a_stored_client_id_with_another_body_is_refused_with_the_conflicts_fields(
    patient_api, prescription
):
    body = _body(prescription)
    patient_api.post(BATCH, {"sessions": [body]}, format="json")
    changed = {**body, "notes": "Another session under the same id."}

    [result] = patient_api.post(BATCH, {"sessions": [changed]}, format="json").json()["results"]

    assert result["status"] == "refused"
    assert result["code"] == "conflict"
    assert list(result["errors"]) == ["notes"]


def test_the_same_client_id_twice_in_one_batch_refuses_the_second(
    patient_api, patient, prescription
):
    body = _body(prescription)

    results = patient_api.post(BATCH, {"sessions": [body, body]}, format="json").json()["results"]

    assert [r["status"] for r in results] == ["created", "refused"]
    assert list(results[1]["errors"]) == ["client_id"]
    assert ExerciseSession.objects.filter(patient=patient).count() == 1


def test_a_corrected_copy_after_a_refused_one_in_the_same_batch_is_logged(
    patient_api, patient, prescription
):
    corrected = _body(prescription)
    refused = {**corrected, "leg_pain_after": 11}

    results = patient_api.post(BATCH, {"sessions": [refused, corrected]}, format="json").json()[
        "results"
    ]

    assert [r["status"] for r in results] == ["refused", "created"]
    assert list(results[0]["errors"]) == ["leg_pain_after"]
    assert ExerciseSession.objects.filter(patient=patient).count() == 1


def test_a_session_that_raises_the_pain_stops_its_exercise(patient_api, prescription):
    body = _body(prescription, leg_pain_before=2, leg_pain_after=5)

    [result] = patient_api.post(BATCH, {"sessions": [body]}, format="json").json()["results"]

    assert result["status"] == "created"
    assert result["session"]["pain_response"] == "worsened"
    item = PrescribedExercise.objects.get(pk=body["exercises"][0]["prescribed_exercise"])
    assert item.stop_and_contact_therapist


def test_another_patients_client_ids_are_untouched(
    patient_api, same_clinic_patient_api, same_clinic_patient, prescription, therapist
):
    theirs = make_prescription(
        diagnosis=make_diagnosis(patient=same_clinic_patient, diagnosed_by=therapist),
        prescribed_by=therapist,
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    their_body = _body(theirs)
    same_clinic_patient_api.post(BATCH, {"sessions": [their_body]}, format="json")
    # The same client_id from this patient: theirs is no retry of it, nor a conflict.
    mine = {**_body(prescription), "client_id": their_body["client_id"]}
    foreign = {**their_body, "client_id": str(uuid.uuid4())}  # their exercise, in my upload

    results = patient_api.post(BATCH, {"sessions": [mine, foreign]}, format="json").json()[
        "results"
    ]

    assert [r["status"] for r in results] == ["created", "refused"]
    assert list(results[1]["errors"]) == ["exercises"]
    stored = ExerciseSession.objects.filter(client_id=their_body["client_id"])
    assert sorted(stored.values_list("patient_id", flat=True)) == sorted(
        [same_clinic_patient.pk, prescription.patient_id]
    )
    their_session = stored.get(patient=same_clinic_patient)
    assert their_session.prescription_id == theirs.pk
    assert their_session.notes == ""


@pytest.mark.parametrize(
    "payload",
    [{"sessions": "not a list"}, {"sessions": []}, {}, [{"client_id": "x"}]],
    ids=["a string", "an empty list", "no sessions", "a bare list"],
)
def test_a_body_that_is_not_a_list_of_sessions_is_a_400(patient_api, prescription, payload):
    response = patient_api.post(BATCH, payload, format="json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"
    assert ExerciseSession.objects.count() == 0


def test_more_than_50_sessions_is_a_400_for_the_whole_request(patient_api, prescription):
    sessions = [_body(prescription, hours_ago=1 + n / 10) for n in range(51)]

    response = patient_api.post(BATCH, {"sessions": sessions}, format="json")

    assert response.status_code == 400
    assert list(error_of(response)["errors"]) == ["sessions"]
    assert ExerciseSession.objects.count() == 0


def test_50_sessions_are_taken(patient_api, patient, prescription):
    sessions = [_body(prescription, hours_ago=1 + n / 10) for n in range(50)]

    response = patient_api.post(BATCH, {"sessions": sessions}, format="json")

    assert response.status_code == 200
    assert {r["status"] for r in response.json()["results"]} == {"created"}
    assert ExerciseSession.objects.filter(patient=patient).count() == 50


def test_a_batch_is_one_entry_in_the_access_log(patient_api, patient, prescription):
    sessions = [_body(prescription, hours_ago=h) for h in (3, 2, 1)]

    patient_api.post(BATCH, {"sessions": sessions}, format="json")

    row = RecordAccess.objects.get()
    assert row.patient_id == patient.pk
    assert row.action == RecordAccess.Action.CHANGE


@pytest.mark.parametrize("item", [42, None, "a", []])
def test_an_item_that_is_not_an_object_is_refused_on_its_own(patient_api, prescription, item):
    results = patient_api.post(
        BATCH, {"sessions": [item, _body(prescription)]}, format="json"
    ).json()["results"]

    assert [r["status"] for r in results] == ["refused", "created"]
    assert results[0]["client_id"] is None
    assert list(results[0]["errors"]) == ["non_field_errors"]


def test_staff_and_anonymous_callers_are_refused(therapist_api, anon):
    assert therapist_api.post(BATCH, {"sessions": []}, format="json").status_code == 403
    assert anon.post(BATCH, {"sessions": []}, format="json").status_code == 401
