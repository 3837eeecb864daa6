"""Prescribing a custom program (a list of exercises, no template): its exercises and
dosage are checked as a template's are, and a retired exercise is no longer prescribed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import Cause, Side
from programs.models import (
    Contraindication,
    Exercise,
    PrescribedExercise,
    Prescription,
    ProgramTemplate,
)
from programs.services import (
    ContraindicationError,
    ExerciseDose,
    prescription_add_exercise,
    program_prescribe,
)
from tests.factories import make_diagnosis, make_prescription

pytestmark = pytest.mark.django_db

MCKENZIE = "mckenzie-extension"
URL = "/api/v1/prescriptions/"


def _custom(patient, diagnosis, therapist, **kwargs):
    return program_prescribe(
        patient=patient,
        diagnosis=diagnosis,
        prescribed_by=therapist,
        start_date=timezone.localdate(),
        weekdays=kwargs.pop("weekdays", [0, 3]),
        reminder_times=kwargs.pop("reminder_times", ["09:00"]),
        **kwargs,
    )


def test_both_a_template_and_a_custom_list_is_refused(patient, diagnosis, therapist):
    exercise = Exercise.objects.first()
    with pytest.raises(ValidationError) as exc:
        _custom(
            patient,
            diagnosis,
            therapist,
            template=ProgramTemplate.objects.get(slug=MCKENZIE),
            exercises=[ExerciseDose(exercise=exercise)],
        )
    assert "template" in exc.value.message_dict


def test_neither_a_template_nor_a_custom_list_is_refused(patient, diagnosis, therapist):
    with pytest.raises(ValidationError) as exc:
        _custom(patient, diagnosis, therapist)
    assert "template" in exc.value.message_dict


def test_an_empty_custom_program_is_refused(patient, diagnosis, therapist):
    with pytest.raises(ValidationError) as exc:
        _custom(patient, diagnosis, therapist, exercises=[])
    assert "exercises" in exc.value.message_dict
    assert not Prescription.objects.exists()


def _safe_exercises(cause: str, count: int) -> list[Exercise]:
    exercises = list(Exercise.objects.exclude(contraindications__cause=cause)[:count])
    assert len(exercises) == count
    return exercises


def test_a_custom_program_uses_the_exercise_defaults_overridden_by_the_given_dosage(
    patient, diagnosis, therapist
):
    first, second = _safe_exercises(diagnosis.cause, 2)
    prescription = _custom(
        patient,
        diagnosis,
        therapist,
        exercises=[
            ExerciseDose(exercise=first, phase=1, order=0),
            ExerciseDose(exercise=second, phase=2, order=0, dosage={"reps": 12, "sets": 2}),
        ],
    )
    assert prescription.name == "Custom program"
    assert prescription.template is None
    assert prescription.phase_names == ["Phase 1", "Phase 2"]
    one, two = prescription.exercises.order_by("phase")
    assert one.dosage == first.dosage
    assert two.dosage == {**second.dosage, "reps": 12, "sets": 2}


def test_a_custom_program_with_a_contraindicated_exercise_needs_an_override(patient, therapist):
    contraindication = Contraindication.objects.select_related("exercise").first()
    cause = contraindication.cause
    codes = {
        Cause.HERNIATED_DISC: ("M51.16", Side.LEFT),
        Cause.DEGENERATIVE_DISC_DISEASE: ("M51.361", Side.LEFT),
        Cause.PIRIFORMIS_SYNDROME: ("G57.02", Side.LEFT),
        Cause.SPONDYLOLISTHESIS: ("M43.16", Side.LEFT),
        Cause.SPINAL_STENOSIS: ("M48.062", Side.LEFT),
        Cause.OTHER: ("M54.42", Side.LEFT),
    }
    code, side = codes[cause]
    diagnosis = make_diagnosis(
        patient=patient, diagnosed_by=therapist, cause=cause, side=side, icd10_code=code
    )
    doses = [ExerciseDose(exercise=contraindication.exercise)]
    with pytest.raises(ContraindicationError) as exc:
        _custom(patient, diagnosis, therapist, exercises=doses)
    assert contraindication.exercise.name in str(exc.value)
    assert not Prescription.objects.exists()

    prescription = _custom(
        patient, diagnosis, therapist, exercises=doses, override_reason="Closely supervised."
    )
    assert prescription.exercises.get().contraindication_override == "Closely supervised."


@pytest.mark.parametrize("dosage", [{"reps": 0}, {"sets": -1}, {"minutes": 5000}, {"reps": "10"}])
def test_a_custom_program_with_an_impossible_dosage_is_refused_and_writes_nothing(
    patient, diagnosis, therapist, dosage
):
    (exercise,) = _safe_exercises(diagnosis.cause, 1)
    with pytest.raises(ValidationError):
        _custom(patient, diagnosis, therapist, exercises=[ExerciseDose(exercise, dosage=dosage)])
    assert not Prescription.objects.exists()
    assert not PrescribedExercise.objects.exists()


def test_an_unknown_dosage_field_is_refused(patient, diagnosis, therapist):
    (exercise,) = _safe_exercises(diagnosis.cause, 1)
    with pytest.raises(ValidationError, match="weight_kg"):
        _custom(
            patient,
            diagnosis,
            therapist,
            exercises=[ExerciseDose(exercise, dosage={"weight_kg": 5})],
        )
    assert not Prescription.objects.exists()


@pytest.mark.parametrize("value", [True, False, 1.0])
def test_a_dosage_that_is_no_whole_number_is_refused(patient, diagnosis, therapist, value):
    (exercise,) = _safe_exercises(diagnosis.cause, 1)
    with pytest.raises(ValidationError, match="not a whole number"):
        _custom(
            patient,
            diagnosis,
            therapist,
            exercises=[ExerciseDose(exercise, dosage={"reps": value})],
        )
    assert not Prescription.objects.exists()


# ---------------------------------------------------------------- retired exercises


def _retire(exercise: Exercise) -> Exercise:
    Exercise.objects.filter(pk=exercise.pk).update(is_active=False)
    exercise.refresh_from_db()
    return exercise


def test_a_retired_exercise_is_not_prescribed_in_a_custom_program(patient, diagnosis, therapist):
    first, second = _safe_exercises(diagnosis.cause, 2)
    _retire(second)
    with pytest.raises(ValidationError) as exc:
        _custom(
            patient,
            diagnosis,
            therapist,
            exercises=[ExerciseDose(exercise=first), ExerciseDose(exercise=second, order=1)],
        )
    assert exc.value.message_dict["exercises"] == [f"Retired from the library: {second.name}."]
    assert not Prescription.objects.exists()


def test_a_retired_exercise_is_not_added_to_a_program(diagnosis, therapist):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    exercise = _retire(
        Exercise.objects.exclude(pk__in=prescription.exercises.values("exercise"))
        .exclude(contraindications__cause=diagnosis.cause)
        .first()
    )
    count = PrescribedExercise.objects.count()
    with pytest.raises(ValidationError) as exc:
        prescription_add_exercise(prescription=prescription, exercise=exercise, actor=therapist)
    assert exc.value.message_dict["exercise"] == [f"Retired from the library: {exercise.name}."]
    assert PrescribedExercise.objects.count() == count


def test_the_api_refuses_a_retired_exercise_with_the_services_reason(
    therapist_api, patient, diagnosis
):
    (exercise,) = _safe_exercises(diagnosis.cause, 1)
    _retire(exercise)
    body = {
        "patient": patient.pk,
        "diagnosis": diagnosis.pk,
        "exercises": [{"exercise": exercise.slug}],
        "weekdays": [0, 2, 4],
        "reminder_times": ["08:00"],
    }
    response = therapist_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "exercises": [f"Retired from the library: {exercise.name}."]
    }
    assert not Prescription.objects.exists()


def test_the_api_refuses_to_add_a_retired_exercise(therapist_api, diagnosis, therapist):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    exercise = _retire(
        Exercise.objects.exclude(pk__in=prescription.exercises.values("exercise"))
        .exclude(contraindications__cause=diagnosis.cause)
        .first()
    )
    response = therapist_api.post(
        f"{URL}{prescription.pk}/exercises/", {"exercise": exercise.slug}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "exercise": [f"Retired from the library: {exercise.name}."]
    }
    assert not prescription.exercises.filter(exercise=exercise).exists()
