"""Reading, listing and changing programs over the API: phase, status, schedule and
dosage, within the caller's clinic."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import PrescribedExercise
from programs.services import prescription_set_status
from tests.factories import make_diagnosis, make_patient, make_prescription

pytestmark = pytest.mark.django_db

URL = "/api/v1/prescriptions/"


@pytest.fixture
def other_prescription(other_patient, other_therapist):
    diagnosis = make_diagnosis(patient=other_patient, diagnosed_by=other_therapist)
    return make_prescription(diagnosis=diagnosis, prescribed_by=other_therapist)


# ---------------------------------------------------------------- reading


def test_list_and_detail_show_the_clinics_programs(therapist_api, prescription):
    response = therapist_api.get(URL)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [prescription.pk]

    detail = therapist_api.get(f"{URL}{prescription.pk}/").json()
    assert detail["patient"] == prescription.patient_id
    assert detail["exercises"][0]["exercise_name"]
    assert [(e["phase"], e["order"]) for e in detail["exercises"]] == sorted(
        (e["phase"], e["order"]) for e in detail["exercises"]
    )


def test_list_filters_by_patient_and_status(therapist_api, therapist, prescription, clinic):
    second = make_patient(clinic=clinic, first_name="Jo")
    stopped = make_prescription(
        diagnosis=make_diagnosis(patient=second, diagnosed_by=therapist), prescribed_by=therapist
    )
    prescription_set_status(prescription=stopped, status="stopped", actor=therapist.user)

    def ids(params):
        response = therapist_api.get(URL, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids({"patient": second.pk}) == {stopped.pk}
    assert ids({"status": "active"}) == {prescription.pk}
    assert ids({"status": ["active", "stopped"]}) == {prescription.pk, stopped.pk}
    assert ids({"open": "true"}) == {prescription.pk}
    ordered = therapist_api.get(URL, {"ordering": "id"}).json()["results"]
    assert [row["id"] for row in ordered] == sorted([prescription.pk, stopped.pk])
    assert therapist_api.get(URL, {"patient": "x"}).status_code == 400
    assert therapist_api.get(URL, {"patient": "1.5"}).status_code == 400
    assert therapist_api.get(URL, {"status": "lost"}).status_code == 400


def test_the_list_costs_the_same_queries_for_one_row_or_fifty(therapist_api, therapist, diagnosis):
    for _ in range(3):
        done = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
        prescription_set_status(prescription=done, status="completed", actor=therapist.user)

    def count(size):
        with CaptureQueriesContext(connection) as ctx:
            response = therapist_api.get(URL, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(size, 3)
        return len(ctx.captured_queries)

    assert count(1) == count(50)


# ---------------------------------------------------------------- tenancy


def test_another_clinics_therapist_gets_404_on_every_id_endpoint(other_therapist_api, prescription):
    base = f"{URL}{prescription.pk}"
    item = prescription.exercises.first()
    before = (prescription.status, prescription.current_phase, prescription.weekdays)
    schedule = {"weekdays": [1], "reminder_times": []}
    calls = [
        other_therapist_api.get(f"{base}/"),
        other_therapist_api.post(f"{base}/advance-phase/"),
        other_therapist_api.post(f"{base}/status/", {"status": "stopped"}),
        other_therapist_api.put(f"{base}/schedule/", schedule),
        other_therapist_api.post(f"{base}/schedule/", schedule),
        other_therapist_api.post(f"{base}/exercises/", {"exercise": "bird-dog"}),
        other_therapist_api.patch(f"{base}/exercises/{item.pk}/", {"sets": 9}),
        other_therapist_api.get(f"/api/v1/patients/{prescription.patient_id}/sessions/"),
    ]
    assert [r.status_code for r in calls] == [404] * len(calls)
    prescription.refresh_from_db()
    item.refresh_from_db()
    assert (prescription.status, prescription.current_phase, prescription.weekdays) == before
    assert item.sets != 9
    assert (
        prescription.exercises.count()
        == PrescribedExercise.objects.filter(prescription=prescription).count()
    )


def test_another_clinics_rows_never_appear_in_lists(
    therapist_api, other_therapist_api, prescription, other_prescription
):
    mine = therapist_api.get(URL, {"page_size": 100}).json()["results"]
    theirs = other_therapist_api.get(URL, {"page_size": 100}).json()["results"]
    assert [row["id"] for row in mine] == [prescription.pk]
    assert [row["id"] for row in theirs] == [other_prescription.pk]
    by_patient = therapist_api.get(URL, {"patient": other_prescription.patient_id}).json()
    assert by_patient["results"] == []


def test_an_exercise_item_of_another_program_is_a_404(
    therapist_api, therapist, clinic, prescription
):
    second = make_patient(clinic=clinic, first_name="Jo")
    theirs = make_prescription(
        diagnosis=make_diagnosis(patient=second, diagnosed_by=therapist), prescribed_by=therapist
    )
    item = theirs.exercises.first()
    response = therapist_api.patch(f"{URL}{prescription.pk}/exercises/{item.pk}/", {"sets": 3})
    assert response.status_code == 404
    for bad in ("abc", "0", "99999999999999999999999"):
        response = therapist_api.patch(f"{URL}{prescription.pk}/exercises/{bad}/", {"sets": 3})
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


# ---------------------------------------------------------------- changing a program


def test_advancing_the_phase(therapist_api, prescription):
    response = therapist_api.post(f"{URL}{prescription.pk}/advance-phase/")
    assert response.status_code == 200
    assert response.json()["current_phase"] == 2
    assert response.json()["current_phase_name"] == prescription.phase_names[1]
    for _ in range(len(prescription.phase_names) - 2):
        assert therapist_api.post(f"{URL}{prescription.pk}/advance-phase/").status_code == 200
    response = therapist_api.post(f"{URL}{prescription.pk}/advance-phase/")
    assert response.status_code == 400
    assert "last phase" in response.json()["errors"]["non_field_errors"][0]


def test_status_changes_follow_the_lifecycle(therapist_api, prescription):
    status_url = f"{URL}{prescription.pk}/status/"
    assert therapist_api.post(status_url, {"status": "paused"}).json()["status"] == "paused"
    assert therapist_api.post(status_url, {"status": "active"}).json()["status"] == "active"
    assert therapist_api.post(status_url, {"status": "completed"}).json()["status"] == "completed"
    response = therapist_api.post(status_url, {"status": "active"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    response = therapist_api.post(status_url, {"status": "deleted"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    prescription.refresh_from_db()
    assert prescription.status == "completed"


def test_setting_the_schedule(therapist_api, prescription):
    body = {"weekdays": [5, 1, 1], "reminder_times": ["19:00", "07:30"]}
    response = therapist_api.put(f"{URL}{prescription.pk}/schedule/", body)
    assert response.status_code == 200, response.json()
    assert response.json()["weekdays"] == [1, 5]
    assert response.json()["reminder_times"] == ["07:30", "19:00"]

    response = therapist_api.post(
        f"{URL}{prescription.pk}/schedule/", {"weekdays": [1], "reminder_times": ["7pm"]}
    )
    assert response.status_code == 400
    assert "reminder_times" in response.json()["errors"]
    response = therapist_api.post(f"{URL}{prescription.pk}/schedule/", {"weekdays": [9]})
    assert response.status_code == 400
    assert {"weekdays", "reminder_times"} <= response.json()["errors"].keys()
    prescription.refresh_from_db()
    assert prescription.weekdays == [1, 5]


def test_changing_a_prescribed_exercises_dosage(therapist_api, prescription):
    item = prescription.exercises.order_by("phase", "order").first()
    url = f"{URL}{prescription.pk}/exercises/{item.pk}/"
    response = therapist_api.patch(url, {"sets": 3, "reps": 12, "minutes": None})
    assert response.status_code == 200, response.json()
    assert (response.json()["sets"], response.json()["reps"]) == (3, 12)
    assert response.json()["minutes"] is None
    item.refresh_from_db()
    assert (item.sets, item.reps, item.minutes) == (3, 12, None)

    for bad in ({"sets": 0}, {"reps": "many"}, {"hold_seconds": 5000}, {}):
        response = therapist_api.patch(url, bad)
        assert response.status_code == 400, bad
    item.refresh_from_db()
    assert (item.sets, item.reps) == (3, 12)


def test_a_closed_programs_dosage_stays(therapist_api, therapist, prescription):
    prescription_set_status(prescription=prescription, status="stopped", actor=therapist.user)
    item = prescription.exercises.first()
    response = therapist_api.patch(f"{URL}{prescription.pk}/exercises/{item.pk}/", {"sets": 4})
    assert response.status_code == 400
    assert "record" in response.json()["errors"]["non_field_errors"][0]


def test_adding_an_exercise(therapist_api, prescription):
    response = therapist_api.post(
        f"{URL}{prescription.pk}/exercises/", {"exercise": "bird-dog", "sets": 2, "reps": 6}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["exercise"] == "bird-dog"
    assert body["phase"] == prescription.current_phase
    assert (body["sets"], body["reps"]) == (2, 6)
    assert prescription.exercises.filter(pk=body["id"]).exists()


def test_adding_a_contraindicated_exercise_needs_an_override(therapist_api, prescription):
    # flexion-in-lying is contraindicated for the herniated disc diagnosed here
    url = f"{URL}{prescription.pk}/exercises/"
    count = prescription.exercises.count()
    response = therapist_api.post(url, {"exercise": "flexion-in-lying"})
    assert response.status_code == 400
    contraindicated = response.json()["errors"]["contraindications"]
    assert [c["exercise"] for c in contraindicated] == ["flexion-in-lying"]
    assert prescription.exercises.count() == count

    response = therapist_api.post(
        url, {"exercise": "flexion-in-lying", "override_reason": "Flexion preference on testing."}
    )
    assert response.status_code == 201
    assert response.json()["contraindication_override"] == "Flexion preference on testing."


@pytest.mark.parametrize(
    "body",
    [
        {"exercise": "no-such-exercise"},
        {"exercise": 10**25},
        {"exercise": "bird-dog", "phase": 40},
        {"exercise": "bird-dog", "sets": -1},
        {"exercise": "bird-dog", "override_reason": "\x00"},
        {},
    ],
)
def test_bad_added_exercises_are_a_400_and_add_nothing(therapist_api, prescription, body):
    count = prescription.exercises.count()
    response = therapist_api.post(f"{URL}{prescription.pk}/exercises/", body)
    assert response.status_code == 400
    assert response.json()["errors"]
    assert prescription.exercises.count() == count
