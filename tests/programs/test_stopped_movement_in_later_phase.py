"""A movement stopped for pain stays stopped in the program's later phases: when the
template repeats the library exercise in the next phase, today's plan leaves that
phase's item out until a clinician resumes the stopped one."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.records import record_save
from programs.models import PrescribedExercise, Prescription, StopReason
from programs.services import exercise_resume, prescription_advance_phase
from programs.stops import stopped_exercise_ids
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/program/"
PRESS_UP = "prone-press-up"  # in phases 1 and 2 of the McKenzie extension template


@pytest.fixture
def program(diagnosis, therapist) -> Prescription:
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


def _item(program: Prescription, phase: int) -> PrescribedExercise:
    return program.exercises.get(phase=phase, exercise__slug=PRESS_UP)


def _stop(item: PrescribedExercise) -> None:
    """Stopped as the session rules stop an exercise (programs.safety sets these)."""
    item.stopped_for_pain_at = timezone.now()
    item.stop_reason = StopReason.PERIPHERALIZED
    record_save(item)


def _planned(patient_api) -> list[str]:
    response = patient_api.get(URL)
    assert response.status_code == 200, response.content
    return [row["exercise"] for row in response.json()["today"]["exercises"]]


@pytest.fixture
def stopped_then_advanced(program, therapist) -> PrescribedExercise:
    stopped = _item(program, 1)
    _stop(stopped)
    prescription_advance_phase(prescription=program, actor=therapist.user)
    return stopped


def test_the_stop_is_the_movements_in_every_phase(program, stopped_then_advanced):
    program = Prescription.objects.get(pk=program.pk)

    assert stopped_exercise_ids(program) == {stopped_then_advanced.exercise_id}


def test_todays_plan_leaves_out_the_later_phases_item_of_a_stopped_movement(
    patient_api, program, stopped_then_advanced
):
    planned = _planned(patient_api)

    assert PRESS_UP not in planned
    assert "standing-extension" in planned
    body = patient_api.get(URL).json()
    assert [row["exercise"] for row in body["stopped_exercises"]] == [PRESS_UP]


def test_resuming_the_stopped_movement_brings_it_back(
    patient_api, program, therapist, stopped_then_advanced
):
    exercise_resume(
        item=stopped_then_advanced, staff_member=therapist, note="Reviewed: no pain in clinic."
    )

    assert PRESS_UP in _planned(patient_api)
    assert stopped_exercise_ids(Prescription.objects.get(pk=program.pk)) == frozenset()


def test_a_stop_in_the_current_phase_keeps_the_item_shown_as_stopped(patient_api, program):
    _stop(_item(program, 1))

    rows = patient_api.get(URL).json()["today"]["exercises"]

    assert [row["stop_and_contact_therapist"] for row in rows if row["exercise"] == PRESS_UP] == [
        True
    ]
