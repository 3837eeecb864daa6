"""Implausible session dates are refused with a message that says what to check."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError

from programs.models import ExerciseSession
from programs.services import ExerciseDone, session_log
from tests.clients import bearer
from tests.factories import make_patient_user, make_prescription

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 10, 16, 0, tzinfo=datetime.UTC)  # noon in New York
START = datetime.date(2025, 1, 15)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def program(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=START)


def _log(patient, program, performed_at):
    return session_log(
        patient=patient,
        client_id=uuid.uuid4(),
        performed_at=performed_at,
        leg_pain_before=3,
        leg_pain_after=3,
        pain_extent="thigh",
        exercises=[ExerciseDone(prescribed_exercise_id=program.exercises.first().pk)],
    )


def _refusal(patient, program, performed_at) -> str:
    with pytest.raises(ValidationError) as refused:
        _log(patient, program, performed_at)
    assert not ExerciseSession.objects.exists()
    return refused.value.message_dict["performed_at"][0]


def test_a_session_before_the_program_started_is_refused(patient, program):
    # 14 January 2025, 23:00 in New York: the day before the start, though UTC says the 15th
    before = datetime.datetime(2025, 1, 15, 4, 0, tzinfo=datetime.UTC)

    assert _refusal(patient, program, before) == (
        "The session is dated 2025-01-14, before your program started on 2025-01-15; "
        "check the date."
    )


def test_a_session_on_the_program_start_day_is_accepted(patient, program):
    _, created = _log(patient, program, datetime.datetime(2025, 1, 15, 6, 0, tzinfo=datetime.UTC))
    assert created


def test_a_session_more_than_a_day_ahead_is_refused(patient, program):
    ahead = NOW + datetime.timedelta(days=1, minutes=1)

    assert _refusal(patient, program, ahead) == (
        "The session is dated 2026-06-11, more than a day ahead; check the phone's date and time."
    )


def test_a_session_up_to_a_day_ahead_is_accepted(patient, program):
    """A phone whose clock or zone is off by hours still loses nothing."""
    _, created = _log(patient, program, NOW + datetime.timedelta(days=1))
    assert created


def test_a_session_more_than_two_years_old_is_refused(patient, diagnosis, therapist):
    program = make_prescription(
        diagnosis=diagnosis, prescribed_by=therapist, start_date=datetime.date(2020, 1, 1)
    )
    old = datetime.datetime(2024, 6, 10, 15, 59, tzinfo=datetime.UTC)

    assert _refusal(patient, program, old) == (
        "The session is dated 2024-06-10, more than 2 years ago; check the date."
    )
    _, created = _log(
        patient, program, old + datetime.timedelta(minutes=1)
    )  # two years to the minute
    assert created


def test_two_years_back_from_29_february_is_28_february(patient, diagnosis, therapist):
    program = make_prescription(
        diagnosis=diagnosis, prescribed_by=therapist, start_date=datetime.date(2020, 1, 1)
    )
    leap_day = datetime.datetime(2028, 2, 29, 16, 0, tzinfo=datetime.UTC)
    with time_machine.travel(leap_day, tick=False):
        oldest = datetime.datetime(2026, 2, 28, 16, 0, tzinfo=datetime.UTC)
        assert "more than 2 years ago" in _refusal(
            patient, program, oldest - datetime.timedelta(minutes=1)
        )
        _, created = _log(patient, program, oldest)
    assert created


def test_an_implausible_date_is_a_400_through_the_api(patient, program):
    response = bearer(make_patient_user(patient).user).post(
        "/api/v1/me/sessions/",
        {
            "client_id": str(uuid.uuid4()),
            "performed_at": "2024-12-31T12:00:00Z",
            "leg_pain_before": 3,
            "leg_pain_after": 3,
            "pain_extent": "thigh",
            "exercises": [{"prescribed_exercise": program.exercises.first().pk}],
        },
        format="json",
    )

    assert response.status_code == 400
    (message,) = response.json()["errors"]["performed_at"]
    assert "before your program started on 2025-01-15" in message
    assert not ExerciseSession.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_a_date_at_the_ends_of_the_calendar_is_a_400_not_an_error(patient, program, moment):
    response = bearer(make_patient_user(patient).user).post(
        "/api/v1/me/sessions/",
        {
            "client_id": str(uuid.uuid4()),
            "performed_at": moment,
            "leg_pain_before": 3,
            "leg_pain_after": 3,
            "pain_extent": "thigh",
            "exercises": [{"prescribed_exercise": program.exercises.first().pk}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "check the" in response.json()["errors"]["performed_at"][0]
