"""GET /me/program/ without an open program is an empty plan, not a 404; holds and the
exercises stopped for pain show with or without one; phase names in the patient's
language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients import services as patient_services
from programs.models import Exercise, PrescribedExercise, ProgramPhase
from programs.services import (
    ExerciseDose,
    exercise_resume,
    prescription_set_status,
    program_prescribe,
)
from tests.factories import make_prescription, make_session

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/program/"


def _stop_first_exercise(patient) -> PrescribedExercise:
    """Leg pain rising by 3 stops the exercise logged, with a message of its own."""
    session = make_session(patient=patient, leg_pain_before=2, leg_pain_after=5)
    item = session.items.get().prescribed_exercise
    item.refresh_from_db()
    assert item.stop_and_contact_therapist
    return item


def test_a_patient_without_any_program_gets_an_empty_plan(patient_api, diagnosis):
    response = patient_api.get(URL)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["has_program"] is False
    for name in ("id", "name", "status", "start_date", "current_phase", "current_phase_name"):
        assert body[name] is None, name
    assert body["phase_names"] == body["weekdays"] == body["reminder_times"] == []
    assert body["exercises"] == body["stopped_exercises"] == []
    assert body["on_hold"] is False
    today = body["today"]
    assert today["exercises"] == []
    assert today["is_exercise_day"] is False
    assert today["is_scheduled_day"] is False
    assert today["phase"] is None
    assert today["education"]  # the diagnosis still picks topics to read


def test_a_hold_shows_without_a_program(patient_api, patient, diagnosis):
    patient_services.red_flag_screen(patient=patient, flags={"saddle_numbness": True})

    body = patient_api.get(URL).json()

    assert body["has_program"] is False
    assert body["on_hold"] is True
    assert body["hold_kind"] == "medical"
    assert body["hold_guidance"]
    assert body["today"]["on_hold"] is True
    assert body["today"]["hold_guidance"] == body["hold_guidance"]


def test_an_open_program_lists_its_stopped_exercises_with_their_message(
    patient_api, patient, prescription
):
    item = _stop_first_exercise(patient)

    body = patient_api.get(URL).json()

    assert body["has_program"] is True
    [stopped] = body["stopped_exercises"]
    assert stopped["id"] == item.pk
    assert stopped["exercise"] == item.exercise.slug
    assert stopped["stop_message"].startswith("Stop this exercise: your leg pain rose")
    assert stopped["stopped_at"]


def test_a_resumed_exercise_is_no_longer_listed(patient_api, patient, prescription, therapist):
    item = _stop_first_exercise(patient)
    exercise_resume(item=item, staff_member=therapist, note="Reviewed: technique corrected.")

    assert patient_api.get(URL).json()["stopped_exercises"] == []


def test_the_last_programs_stops_show_after_it_closed(
    patient_api, patient, prescription, therapist
):
    item = _stop_first_exercise(patient)
    prescription_set_status(prescription=prescription, status="stopped", actor=therapist.user)

    body = patient_api.get(URL).json()

    assert body["has_program"] is False
    assert [row["id"] for row in body["stopped_exercises"]] == [item.pk]
    assert body["stopped_exercises"][0]["stop_message"].startswith("Stop this exercise")


def _statements(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len([q for q in captured if "SAVEPOINT" not in q["sql"]])


def test_the_empty_plan_reads_the_same_queries_with_or_without_past_programs(
    patient_api, patient, diagnosis, therapist
):
    never = _statements(patient_api)
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    _stop_first_exercise(patient)
    prescription_set_status(prescription=program, status="completed", actor=therapist.user)

    closed = _statements(patient_api)

    # The user, the patient, the open program's exercises (none), the latest program
    # with today's reads, its stopped exercises (or the reads with the patient), the log.
    assert never == closed == 6


def test_phase_names_come_in_the_patients_language(patient_api, prescription):
    phases = ProgramPhase.objects.filter(template=prescription.template).order_by("number")
    for phase in phases:
        phase.name_es = f"Fase {phase.number}: {phase.name_en.lower()}"
        phase.save(update_fields=["name_es"])
    spanish = [phase.name_es for phase in phases]

    in_spanish = patient_api.get(URL, HTTP_ACCEPT_LANGUAGE="es").json()
    in_english = patient_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()

    assert in_spanish["phase_names"] == spanish
    assert in_spanish["current_phase_name"] == spanish[0]
    assert in_spanish["today"]["phase_name"] == spanish[0]
    assert in_english["phase_names"] == prescription.phase_names


def test_a_phase_renamed_in_the_library_keeps_the_prescribed_name(patient_api, prescription):
    phase = ProgramPhase.objects.get(template=prescription.template, number=1)
    phase.name_en = "Renamed in the library"
    phase.name_es = "Renombrada"
    phase.save(update_fields=["name_en", "name_es"])

    body = patient_api.get(URL, HTTP_ACCEPT_LANGUAGE="es").json()

    assert body["phase_names"][0] == prescription.phase_names[0]


def test_phase_names_are_read_in_the_programs_query(patient_api, prescription):
    with CaptureQueriesContext(connection) as captured:
        assert patient_api.get(URL, HTTP_ACCEPT_LANGUAGE="es").status_code == 200

    phase_reads = [q["sql"] for q in captured if '"programs_programphase"' in q["sql"]]
    assert len(phase_reads) == 1
    assert '"programs_prescribedexercise"' in phase_reads[0]


def test_the_programs_name_comes_in_the_patients_language(patient_api, prescription):
    template = prescription.template
    assert prescription.name == template.name_en != template.name_es

    in_spanish = patient_api.get(URL, HTTP_ACCEPT_LANGUAGE="es").json()
    in_english = patient_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()

    assert in_spanish["name"] == template.name_es
    assert in_english["name"] == prescription.name


def test_a_template_renamed_in_the_library_keeps_the_prescribed_name(patient_api, prescription):
    template = prescription.template
    template.name_en, template.name_es = "Renamed", "Renombrado"
    template.save(update_fields=["name_en", "name_es"])

    assert patient_api.get(URL, HTTP_ACCEPT_LANGUAGE="es").json()["name"] == prescription.name


def test_a_custom_programs_default_names_come_in_the_patients_language(
    patient_api, patient, diagnosis, therapist
):
    safe = Exercise.objects.exclude(contraindications__cause=diagnosis.cause)[:2]
    program_prescribe(
        patient=patient,
        diagnosis=diagnosis,
        prescribed_by=therapist,
        weekdays=[0, 3],
        reminder_times=["09:00"],
        exercises=[ExerciseDose(exercise=e, phase=n, order=0) for n, e in enumerate(safe, 1)],
    )

    in_spanish = patient_api.get(URL, HTTP_ACCEPT_LANGUAGE="es").json()
    in_english = patient_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()

    assert in_spanish["name"] == "Programa personalizado"
    assert in_spanish["phase_names"] == ["Fase 1", "Fase 2"]
    assert in_spanish["current_phase_name"] == "Fase 1"
    assert in_english["name"] == "Custom program"
    assert in_english["phase_names"] == ["Phase 1", "Phase 2"]


def test_a_custom_program_named_by_the_therapist_keeps_its_name(
    patient_api, patient, diagnosis, therapist
):
    safe = Exercise.objects.exclude(contraindications__cause=diagnosis.cause).first()
    program_prescribe(
        patient=patient,
        diagnosis=diagnosis,
        prescribed_by=therapist,
        name="Walking plan",
        weekdays=[0, 3],
        reminder_times=["09:00"],
        exercises=[ExerciseDose(exercise=safe, phase=1, order=0)],
    )

    assert patient_api.get(URL, HTTP_ACCEPT_LANGUAGE="es").json()["name"] == "Walking plan"
