"""GET /me/program/ is built as a plain dict (programs.api.me_rows); it is exactly what
MyProgramSerializer, the declared answer, gives for the same program and day."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from patients import services as patient_services
from patients.models import Patient
from programs.api.me_rows import my_program
from programs.api.me_serializers import MyProgramSerializer
from programs.models import PrescribedExercise
from programs.selectors import open_prescription, open_program_with_exercises
from programs.services import prescription_advance_phase, prescription_set_status
from programs.today import program_today
from tests.factories import make_diagnosis, make_prescription, make_session

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/program/"


@pytest.fixture
def program(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


def _both(patient: Patient) -> tuple[dict, dict]:
    """(the plain dict, the serializer's answer) for the patient's program today."""
    patient = Patient.objects.get(pk=patient.pk)
    program = open_prescription(patient, with_exercises=True)
    assert program is not None
    today = program_today(patient, program)
    request = Request(APIRequestFactory().get(URL))
    expected = MyProgramSerializer(today, context={"request": request}).data
    return my_program(today, request), expected


def test_a_plain_program_is_what_the_serializer_answers(patient, program):
    fast, expected = _both(patient)

    assert fast == expected
    assert list(fast) == list(expected)
    assert list(fast["today"]) == list(expected["today"])
    assert fast["today"]["education"]  # the diagnosis picks topics to link


def test_a_later_phase_with_stopped_exercises_and_a_session_today_is_the_same(
    patient, program, therapist
):
    prescription_advance_phase(prescription=program, actor=therapist.user)
    phase_two = list(program.exercises.filter(phase=2).order_by("order"))
    # Leg pain rising by 3 stops the exercise with a message of its own.
    make_session(
        patient=patient,
        exercises=[],
        leg_pain_before=2,
        leg_pain_after=5,
    )
    # One stopped without a message of its own shows the default one.
    PrescribedExercise.objects.filter(pk=phase_two[-1].pk).update(
        stopped_for_pain_at=timezone.now(), stop_message=""
    )

    fast, expected = _both(patient)

    assert fast == expected
    assert fast["today"]["sessions_logged"] == 1
    today_messages = {row["stop_message"] for row in fast["today"]["exercises"]}
    assert "Stop this exercise and contact your therapist." in today_messages
    messages = [row["stop_message"] or "" for row in fast["exercises"]]
    assert any(m.startswith("Stop this exercise: your leg pain rose") for m in messages)


def test_a_program_on_hold_is_the_same(patient, program):
    patient_services.red_flag_screen(patient=patient, flags={"saddle_numbness": True})

    fast, expected = _both(patient)

    assert fast == expected
    assert fast["on_hold"] is True
    assert fast["today"]["exercises"] == []


def test_a_paused_program_is_the_same(patient, program, therapist):
    prescription_set_status(prescription=program, status="paused", actor=therapist.user)

    fast, expected = _both(patient)

    assert fast == expected
    assert fast["status"] == "paused"


def test_the_endpoint_answers_the_plain_dict(patient, program, patient_api):
    response = patient_api.get(URL)

    assert response.status_code == 200, response.json()
    assert response.json() == _both(patient)[1]


def test_the_program_and_its_exercises_are_read_in_one_query_and_their_media_in_another(
    patient, program, django_assert_num_queries
):
    with django_assert_num_queries(2):
        found = open_program_with_exercises(patient)
        assert found is not None
        items = list(found.exercises.all())
        assert {item.exercise.slug for item in items}  # the library rows came along

    assert found.pk == program.pk
    expected = list(program.exercises.order_by("phase", "order").values_list("pk", flat=True))
    assert [item.pk for item in items] == expected


def test_a_program_stored_without_exercises_is_still_found(
    patient, program, same_clinic_patient, therapist
):
    # Programs are prescribed with exercises; a row from before that rule has none.
    other = make_prescription(
        diagnosis=make_diagnosis(patient=same_clinic_patient, diagnosed_by=therapist),
        prescribed_by=therapist,
    )
    PrescribedExercise.objects.filter(prescription=program).update(prescription=other)

    found = open_program_with_exercises(patient)

    assert found is not None
    assert found.pk == program.pk
    assert list(found.exercises.all()) == []
    theirs = open_program_with_exercises(same_clinic_patient)
    assert theirs is not None
    assert theirs.pk == other.pk
