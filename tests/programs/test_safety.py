"""Safety rules on logged sessions: pain that rises stops the exercise and alerts the
therapist; pain that spreads down the leg alerts; pain that retreats is progress."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import ClinicalAlert
from programs import pain
from programs.models import (
    ExerciseSession,
    ExtentChange,
    PainExtent,
    PrescribedExercise,
)
from programs.services import ExerciseDone, session_log
from tests.clients import bearer
from tests.factories import make_patient_user, make_prescription

pytestmark = pytest.mark.django_db

Kind = ClinicalAlert.Kind


@pytest.fixture
def prescription(diagnosis, therapist):
    # Started a month ago, so sessions of the past days are plausible.
    start = timezone.localdate() - datetime.timedelta(days=30)
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=start)


@pytest.fixture
def items(prescription):
    return list(prescription.exercises.filter(phase=1).order_by("order")[:2])


def _log(
    patient,
    items,
    *,
    client_id=None,
    hours_ago: float = 1,
    pain=(4, 4),
    extent="thigh",
    item_pain=((None, None),),
):
    exercises = [
        ExerciseDone(prescribed_exercise_id=item.pk, sets=1, reps=10, pain_before=b, pain_after=a)
        for item, (b, a) in zip(items, item_pain, strict=False)
    ]
    return session_log(
        patient=patient,
        client_id=client_id or uuid.uuid4(),
        performed_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        pain_before=pain[0],
        pain_after=pain[1],
        pain_extent=extent,
        exercises=exercises,
    )


def _alerts(patient, kind=None):
    alerts = ClinicalAlert.objects.filter(patient=patient)
    return list(alerts.filter(kind=kind) if kind else alerts)


# ---------------------------------------------------------------- pain during an exercise


def test_a_pain_rise_of_two_during_an_exercise_stops_it_and_alerts_once(patient, items):
    _, created = _log(patient, items, item_pain=((3, 5),))

    assert created
    (alert,) = _alerts(patient)
    assert alert.kind == Kind.PAIN_INCREASE
    assert alert.severity == ClinicalAlert.Severity.ROUTINE
    name = items[0].exercise.name
    assert name in alert.message
    assert "from 3 to 5 (+2)" in alert.message
    stopped = PrescribedExercise.objects.get(pk=items[0].pk)
    assert stopped.stop_and_contact_therapist
    assert stopped.stopped_for_pain_at is not None
    assert "from 3 to 5" in stopped.stop_message
    assert "Contact your therapist" in stopped.stop_message
    assert not PrescribedExercise.objects.get(pk=items[1].pk).stop_and_contact_therapist


def test_a_pain_rise_of_one_neither_stops_nor_alerts(patient, items):
    _log(patient, items, pain=(4, 5), item_pain=((3, 4), (2, 3)))

    assert _alerts(patient) == []
    assert not PrescribedExercise.objects.filter(stopped_for_pain_at__isnull=False).exists()


def test_pain_that_falls_or_is_not_reported_does_nothing(patient, items):
    _log(patient, items, pain=(6, 2), item_pain=((7, 2), (None, 9)))

    assert _alerts(patient) == []
    assert not PrescribedExercise.objects.filter(stopped_for_pain_at__isnull=False).exists()


def test_two_exercises_and_the_session_rising_make_one_alert_naming_each(patient, items):
    _log(patient, items, pain=(3, 6), item_pain=((3, 5), (4, 7)))

    (alert,) = _alerts(patient)
    assert "session leg pain from 3 to 6 (+3)" in alert.message
    for item, change in zip(items, ("from 3 to 5 (+2)", "from 4 to 7 (+3)"), strict=True):
        assert f"{item.exercise.name}: leg pain {change}" in alert.message
    assert PrescribedExercise.objects.filter(stopped_for_pain_at__isnull=False).count() == 2


def test_a_session_whose_leg_pain_rises_by_two_stops_the_exercises_done_in_it(patient, items):
    session, _ = _log(patient, items, pain=(2, 4), item_pain=((None, None),))

    (alert,) = _alerts(patient, Kind.PAIN_INCREASE)
    assert "session leg pain from 2 to 4 (+2)" in alert.message
    (stopped,) = PrescribedExercise.objects.filter(stopped_for_pain_at__isnull=False)
    assert stopped.pk == items[0].pk  # the one exercise logged in that session
    assert (stopped.stop_reason, stopped.stopped_by_session_id) == ("leg_pain_rose", session.pk)
    assert (stopped.stop_pain_before, stopped.stop_pain_after) == (2, 4)


def test_a_retried_upload_does_not_alert_again(patient, items):
    client_id = uuid.uuid4()
    # A retry is the same body: the same performed_at each time.
    with time_machine.travel(timezone.now(), tick=False):
        first, created = _log(patient, items, client_id=client_id, pain=(3, 6), item_pain=((3, 6),))
        stopped_at = PrescribedExercise.objects.get(pk=items[0].pk).stopped_for_pain_at
        for _ in range(3):
            again, created_again = _log(
                patient, items, client_id=client_id, pain=(3, 6), item_pain=((3, 6),)
            )
            assert (again.pk, created_again) == (first.pk, False)

    assert created
    assert len(_alerts(patient)) == 1
    assert PrescribedExercise.objects.get(pk=items[0].pk).stopped_for_pain_at == stopped_at


def test_a_retried_upload_through_the_api_does_not_alert_again(patient, items):
    client = bearer(make_patient_user(patient).user)
    body = {
        "client_id": str(uuid.uuid4()),
        "performed_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "pain_before": 3,
        "pain_after": 5,
        "pain_extent": "thigh",
        "exercises": [{"prescribed_exercise": items[0].pk, "pain_before": 2, "pain_after": 5}],
    }
    statuses = [client.post("/api/v1/me/sessions/", body).status_code for _ in range(3)]

    assert statuses == [201, 200, 200]
    assert len(_alerts(patient, Kind.PAIN_INCREASE)) == 1


def test_a_stopped_exercise_says_so_in_my_program(patient, items):
    client = bearer(make_patient_user(patient).user)
    _log(patient, items, item_pain=((2, 5),))

    exercises = {e["id"]: e for e in client.get("/api/v1/me/program/").json()["exercises"]}
    stopped, other = exercises[items[0].pk], exercises[items[1].pk]
    assert stopped["stop_and_contact_therapist"] is True
    assert "Contact your therapist" in stopped["stop_message"]
    assert other["stop_and_contact_therapist"] is False
    assert other["stop_message"] is None


# ---------------------------------------------------------------- where the pain reaches


def test_extent_changes_compare_ranks_down_the_leg():
    assert pain.extent_change(None, "calf") == ExtentChange.FIRST
    assert pain.extent_change("thigh", "thigh") == ExtentChange.SAME
    assert pain.extent_change("thigh", "calf") == ExtentChange.PERIPHERALIZED
    assert pain.extent_change("foot", "buttock") == ExtentChange.CENTRALIZED
    assert PainExtent.rank("back") < PainExtent.rank("foot")


def test_pain_spreading_down_the_leg_stops_the_movement_and_alerts(patient, items):
    first, _ = _log(patient, items, hours_ago=30, extent="thigh")
    second, _ = _log(patient, items, hours_ago=2, extent="calf")

    stopped = PrescribedExercise.objects.get(pk=items[0].pk)
    assert (stopped.stop_reason, stopped.stopped_by_session_id) == ("peripheralized", second.pk)
    assert "spread further down your leg, to the calf" in stopped.stop_message

    assert first.extent_change == ExtentChange.FIRST
    assert ExerciseSession.objects.get(pk=second.pk).extent_change == ExtentChange.PERIPHERALIZED
    (alert,) = _alerts(patient)
    assert alert.kind == Kind.PERIPHERALIZATION
    assert "from the thigh" in alert.message
    assert "to the calf" in alert.message
    assert "Stop the movement that spreads the pain" in alert.message


def test_pain_retreating_toward_the_back_is_recorded_as_progress_without_an_alert(patient, items):
    _log(patient, items, hours_ago=50, extent="foot")
    centralized, _ = _log(patient, items, hours_ago=26, extent="buttock")
    same, _ = _log(patient, items, hours_ago=2, extent="buttock")

    assert centralized.extent_change == ExtentChange.CENTRALIZED
    assert same.extent_change == ExtentChange.SAME
    assert _alerts(patient) == []


def test_the_previous_session_is_the_one_performed_before_even_if_uploaded_later(patient, items):
    _log(patient, items, hours_ago=2, extent="calf")
    late, _ = _log(patient, items, hours_ago=30, extent="back")  # uploaded after, done before

    assert late.extent_change == ExtentChange.FIRST
    assert _alerts(patient) == []


def test_a_retried_upload_does_not_alert_peripheralization_again(patient, items):
    _log(patient, items, hours_ago=30, extent="buttock")
    client_id = uuid.uuid4()
    with time_machine.travel(timezone.now(), tick=False):  # a retry: the same performed_at
        for _ in range(3):
            _log(patient, items, client_id=client_id, hours_ago=2, extent="foot")

    assert len(_alerts(patient, Kind.PERIPHERALIZATION)) == 1


def test_the_api_shows_the_extent_change_on_each_session(patient, items):
    client = bearer(make_patient_user(patient).user)
    _log(patient, items, hours_ago=30, extent="calf")
    _log(patient, items, hours_ago=2, extent="thigh")

    changes = [s["extent_change"] for s in client.get("/api/v1/me/sessions/").json()["results"]]
    assert changes == ["centralized", "first"]  # newest first


def test_an_unknown_pain_extent_is_refused_before_anything_is_stored(patient, items):
    with pytest.raises(ValidationError, match="Choose one of"):
        _log(patient, items, extent="knee")
    assert not ExerciseSession.objects.exists()
