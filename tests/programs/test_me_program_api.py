"""GET /me/program/: the patient's open program and today's plan, in the patient's time zone."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine

from programs.models import Prescription, ProgramTemplate
from programs.services import (
    ExerciseDone,
    prescription_advance_phase,
    prescription_set_status,
    program_prescribe,
    session_log,
)
from tests.clients import bearer
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/program/"
UTC = datetime.UTC
# 02:30 UTC on Tuesday 4 March 2025 is still Monday 3 March, 21:30, in New York.
MOMENT = datetime.datetime(2025, 3, 4, 2, 30, tzinfo=UTC)
MONDAY = datetime.date(2025, 3, 3)


def _prescribe_mondays(diagnosis, therapist) -> Prescription:
    return program_prescribe(
        patient=diagnosis.patient,
        diagnosis=diagnosis,
        prescribed_by=therapist,
        template=ProgramTemplate.objects.get(slug="mckenzie-extension"),
        start_date=datetime.date(2025, 2, 24),
        weekdays=[0],
        reminder_times=["07:00", "19:00"],
    )


def test_today_is_the_patients_local_date_and_weekday(patient, patient_user, diagnosis, therapist):
    assert patient.time_zone == "America/New_York"
    with time_machine.travel(MOMENT, tick=False):
        program = _prescribe_mondays(diagnosis, therapist)
        response = bearer(patient_user).get(URL)

    assert response.status_code == 200, response.json()
    today = response.json()["today"]
    assert today["date"] == MONDAY.isoformat()  # not the UTC date, 2025-03-04
    assert today["weekday"] == 0
    assert today["time_zone"] == "America/New_York"
    assert today["is_scheduled_day"] is True
    assert today["is_exercise_day"] is True
    assert today["reminder_times"] == ["07:00", "19:00"]
    assert today["phase"] == 1
    assert today["phase_name"] == program.phase_names[0]
    expected = list(
        program.exercises.filter(phase=1).order_by("order").values_list("pk", flat=True)
    )
    assert [e["id"] for e in today["exercises"]] == expected


def test_the_next_utc_day_is_not_scheduled_yet_locally(patient_user, diagnosis, therapist):
    """Tuesday only: at the moment above it is Tuesday in UTC but Monday in New York."""
    with time_machine.travel(MOMENT, tick=False):
        program = _prescribe_mondays(diagnosis, therapist)
        program.weekdays = [1]
        program.save(update_fields=["weekdays"])
        today = bearer(patient_user).get(URL).json()["today"]
    assert today["is_scheduled_day"] is False
    assert today["is_exercise_day"] is False


def test_sessions_logged_today_count_local_days(patient, patient_user, diagnosis, therapist):
    with time_machine.travel(MOMENT, tick=False):
        program = _prescribe_mondays(diagnosis, therapist)
        item = program.exercises.first()
        for performed_at in (
            datetime.datetime(2025, 3, 3, 20, 0, tzinfo=UTC),  # Monday 15:00 in New York
            datetime.datetime(2025, 3, 3, 4, 30, tzinfo=UTC),  # Sunday 23:30 in New York
        ):
            session_log(
                patient=patient,
                client_id=uuid.uuid4(),
                performed_at=performed_at,
                pain_before=5,
                pain_after=3,
                pain_extent="thigh",
                exercises=[ExerciseDone(prescribed_exercise_id=item.pk)],
            )
        today = bearer(patient_user).get(URL).json()["today"]
    assert today["sessions_logged"] == 1


def test_the_program_shows_every_exercise_with_steps_and_dosage(patient_api, diagnosis, therapist):
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    prescription_advance_phase(prescription=program, actor=therapist.user)
    response = patient_api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == program.pk
    assert body["status"] == "active"
    assert body["current_phase"] == 2
    assert body["current_phase_name"] == program.phase_names[1]
    assert len(body["exercises"]) == program.exercises.count()
    first = body["exercises"][0]
    assert first["name"]
    assert first["steps"]
    assert first["dosage_text"]
    assert {"sets", "reps", "hold_seconds", "minutes", "times_per_day", "phase"} <= first.keys()
    assert "contraindication_override" not in first  # the therapist's note stays clinical
    assert {e["phase"] for e in body["today"]["exercises"]} == {2}


def test_a_paused_program_is_shown_but_is_no_exercise_day(patient_api, diagnosis, therapist):
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    prescription_set_status(prescription=program, status="paused", actor=therapist.user)
    body = patient_api.get(URL).json()
    assert body["status"] == "paused"
    assert body["today"]["is_scheduled_day"] is True  # the factory schedules every day
    assert body["today"]["is_exercise_day"] is False


def test_no_open_program_is_an_empty_plan_not_a_404(patient_api, diagnosis, therapist):
    response = patient_api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["has_program"] is False
    assert body["id"] is None
    assert body["exercises"] == []
    assert body["today"]["exercises"] == []
    assert body["today"]["is_exercise_day"] is False

    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    prescription_set_status(prescription=program, status="completed", actor=therapist.user)
    response = patient_api.get(URL)
    assert response.status_code == 200
    assert response.json()["has_program"] is False


def test_a_patient_sees_only_their_own_program(
    same_clinic_patient_api, patient_api, diagnosis, therapist
):
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    mine = patient_api.get(URL).json()
    assert mine["has_program"] is True
    theirs = same_clinic_patient_api.get(URL)
    assert theirs.status_code == 200
    assert theirs.json()["has_program"] is False
    assert theirs.json()["id"] is None


def test_staff_and_anonymous_callers_are_refused(therapist_api, anon):
    assert therapist_api.get(URL).status_code == 403
    assert anon.get(URL).status_code == 401


def test_the_program_is_read_only(patient_api, diagnosis, therapist):
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    assert patient_api.post(URL, {}).status_code == 405
    assert patient_api.delete(URL).status_code == 405
