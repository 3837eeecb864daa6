"""POST /me/sessions/ answers the session as stored without reading it back, and stores
the pain rules' verdict with the session in one write."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from patients import services as patient_services
from programs.models import ExerciseSession, PainResponse
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/sessions/"


@pytest.fixture
def program(diagnosis, therapist):
    start = timezone.localdate() - datetime.timedelta(days=30)
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=start)


def _body(program, **pain) -> dict:
    items = list(program.exercises.filter(phase=1).order_by("order")[:2])
    return {
        "client_id": str(uuid.uuid4()),
        "performed_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "pain_extent": "thigh",
        "pain_extent_before": "buttock",
        "exercises": [
            {"prescribed_exercise": items[0].pk, "minutes": 3, "leg_pain_before": 2},
            {"prescribed_exercise": items[1].pk, "sets": 1, "reps": 10},
        ],
        "notes": "Done after work.",
        **pain,
    }


def _posted_and_stored(patient_api, body) -> tuple[dict, dict]:
    response = patient_api.post(ME, body, format="json")
    assert response.status_code == 201, response.json()
    posted = response.json()
    stored = patient_api.get(f"{ME}{posted['id']}/")
    assert stored.status_code == 200
    return posted, stored.json()


def test_a_new_session_answers_what_a_read_of_it_shows(patient_api, program):
    posted, stored = _posted_and_stored(
        patient_api, _body(program, leg_pain_before=3, leg_pain_after=2)
    )

    assert posted == stored
    assert [item["exercise_name"] for item in posted["items"]] == [
        item["exercise_name"] for item in stored["items"]
    ]


def test_a_session_that_stops_exercises_answers_what_a_read_of_it_shows(patient_api, program):
    posted, stored = _posted_and_stored(
        patient_api, _body(program, leg_pain_before=2, leg_pain_after=6)
    )

    assert posted == stored
    assert posted["pain_response"] == PainResponse.WORSENED


def test_a_session_during_a_hold_answers_what_a_read_of_it_shows(patient_api, patient, program):
    patient_services.red_flag_screen(patient=patient, flags={"saddle_numbness": True})

    body = _body(program, leg_pain_before=3, leg_pain_after=3)
    body["performed_at"] = timezone.now().isoformat()  # after the screen began the hold

    posted, stored = _posted_and_stored(patient_api, body)

    assert posted == stored
    assert (posted["during_hold"], posted["pain_response"]) == (True, "")


def test_the_verdict_is_stored_with_the_new_session_in_one_history_entry(patient_api, program):
    body = _body(program, leg_pain_before=2, leg_pain_after=6)

    response = patient_api.post(ME, body, format="json")

    session = ExerciseSession.objects.get(pk=response.json()["id"])
    assert session.pain_response == PainResponse.WORSENED
    entries = list(session.history.values_list("history_type", "pain_response"))
    assert entries == [("+", PainResponse.WORSENED)]
