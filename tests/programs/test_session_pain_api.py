"""Session uploads with back and leg pain apart, and the deprecated single pain fields
still accepted for a release."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from programs.models import ExerciseSession, SessionExercise
from programs.services import ExerciseDone, session_log
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/sessions/"


@pytest.fixture
def item(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist).exercises.first()


def _body(item, **fields) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "performed_at": (timezone.now() - datetime.timedelta(minutes=30)).isoformat(),
        "pain_extent": "thigh",
        "exercises": [{"prescribed_exercise": item.pk}],
        **fields,
    }


def test_back_and_leg_pain_are_stored_and_read_apart(patient_api, item):
    body = _body(
        item,
        back_pain_before=2,
        back_pain_after=4,
        leg_pain_before=6,
        leg_pain_after=3,
        pain_extent_before="calf",
        exercises=[{"prescribed_exercise": item.pk, "leg_pain_before": 6, "leg_pain_after": 4}],
    )
    response = patient_api.post(ME, body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert [data[f] for f in ("back_pain_before", "back_pain_after")] == [2, 4]
    assert [data[f] for f in ("leg_pain_before", "leg_pain_after")] == [6, 3]
    assert (data["pain_extent_before"], data["pain_extent"]) == ("calf", "thigh")
    assert data["pain_response"] == "centralization"  # back up as the leg pain retreats
    assert data["during_hold"] is False
    assert (data["pain_before"], data["pain_after"]) == (6, 4)  # deprecated: the worse
    (logged,) = data["items"]
    assert (logged["leg_pain_before"], logged["leg_pain_after"], logged["back_pain_before"]) == (
        6,
        4,
        None,
    )
    staff = patient_api.get(f"{ME}{data['id']}/").json()
    assert staff["pain_response"] == "centralization"


def test_the_deprecated_single_pain_fields_are_still_accepted(patient_api, item):
    body = _body(
        item,
        pain_before=5,
        pain_after=7,
        pain_extent="buttock",
        exercises=[{"prescribed_exercise": item.pk, "pain_before": 5, "pain_after": 6}],
    )
    response = patient_api.post(ME, body, format="json")

    assert response.status_code == 201, response.json()
    session = ExerciseSession.objects.get()
    # the buttock is read with the back
    assert (session.back_pain_before, session.back_pain_after) == (5, 7)
    assert (session.leg_pain_before, session.leg_pain_after) == (None, None)
    logged = SessionExercise.objects.get()
    assert (logged.back_pain_before, logged.back_pain_after) == (5, 6)
    assert (response.json()["pain_before"], response.json()["pain_after"]) == (5, 7)
    assert session.pain_response == "worsened"  # back pain +2 with no centralization


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        (
            {"pain_before": 4, "pain_after": 4, "leg_pain_before": 4, "leg_pain_after": 4},
            "pain_before",
            "pain_before and pain_after are deprecated",
        ),
        ({"leg_pain_before": 4}, "leg_pain_before", "Rate the leg pain both before and after."),
        ({}, "leg_pain_before", "Rate the leg pain or the back pain (or both)"),
        ({"back_pain_before": 11, "back_pain_after": 2}, "back_pain_before", "less than or"),
        (
            {"pain_extent_before": "knee", "leg_pain_before": 1, "leg_pain_after": 1},
            "pain_extent_before",
            "valid choice",
        ),
    ],
)
def test_incomplete_or_mixed_pain_is_a_400_with_a_message(patient_api, item, fields, key, message):
    response = patient_api.post(ME, _body(item, **fields), format="json")

    assert response.status_code == 400
    assert message in response.json()["errors"][key][0]
    assert not ExerciseSession.objects.exists()


def test_the_schema_marks_the_single_pain_fields_deprecated(therapist_api):
    schema = therapist_api.get("/api/schema/", {"format": "json"}).json()
    log = schema["components"]["schemas"]["SessionLogRequest"]["properties"]

    assert log["pain_before"]["deprecated"] is True
    assert "leg pain when `pain_extent` is below the buttock" in log["pain_before"]["description"]
    assert "deprecated" not in log["leg_pain_before"]
    read = schema["components"]["schemas"]["Session"]["properties"]
    assert read["pain_after"]["deprecated"] is True


def test_weekly_pain_is_the_worse_of_back_and_leg_with_both_series_beside(
    therapist_api, patient, item
):
    for minutes, back, leg in [(90, (7, 6), (3, 2)), (60, (2, 2), (6, 5))]:
        session_log(
            patient=patient,
            client_id=uuid.uuid4(),
            performed_at=timezone.now() - datetime.timedelta(minutes=minutes),
            back_pain_before=back[0],
            back_pain_after=back[1],
            leg_pain_before=leg[0],
            leg_pain_after=leg[1],
            pain_extent="thigh",
            exercises=[ExerciseDone(prescribed_exercise_id=item.pk)],
        )

    week = therapist_api.get(f"/api/v1/patients/{patient.pk}/progress/").json()["weeks"][-1]

    assert (week["pain_before_mean"], week["pain_after_mean"]) == (6.5, 5.5)  # 7 and 6; 6 and 5
    assert (week["back_pain_before_mean"], week["back_pain_after_mean"]) == (4.5, 4.0)
    assert (week["leg_pain_before_mean"], week["leg_pain_after_mean"]) == (4.5, 3.5)
