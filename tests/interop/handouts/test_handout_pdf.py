"""The handout's PDF: the current phase's exercises with their dosage and pictures, none
stopped for pain and none of other phases, when to stop and call, the emergency box, in
the patient's language, and nothing of the diagnosis."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.records import record_save
from interop.handouts.content import handout_of, handout_prescriptions
from patients.services import red_flag_screen
from programs.models import ExerciseMedia, MediaKind, PrescribedExercise, Prescription
from programs.services import prescription_set_status
from tests.clients import bearer
from tests.factories import make_prescribed_exercise, make_prescription

from .world import CLINIC_PHONE, compact, pdf_text, pdf_title, with_phone

pytestmark = pytest.mark.django_db

EMERGENCY_SIGNS = (
    "loss of bladder or bowel control",
    "numbness in the saddle area",
    "weakness in a leg or foot that is getting worse",
    "call 911 or go to the nearest emergency department",
)
STOP_SENTENCE = f"Stop any exercise that increases your pain and call us at {CLINIC_PHONE}."


@pytest.fixture
def clinic(clinic):
    return with_phone(clinic)


@pytest.fixture
def prescription(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


def _current(prescription: Prescription) -> list[PrescribedExercise]:
    return list(
        prescription.exercises.filter(phase=prescription.current_phase)
        .select_related("exercise")
        .order_by("order")
    )


def _handout(therapist, prescription) -> str:
    response = bearer(therapist.user).get(f"/api/v1/prescriptions/{prescription.pk}/handout.pdf")
    assert response.status_code == 200, response.content[:300]
    return pdf_text(response.content)


def _stop(item: PrescribedExercise) -> None:
    """Stopped as the session rules stop an exercise (programs.safety sets these)."""
    item.stopped_for_pain_at = timezone.now()
    item.stop_reason = "leg_pain_rose"
    record_save(item)


def test_lists_each_current_phase_exercise_with_its_prescribed_dosage(therapist, prescription):
    text = _handout(therapist, prescription)

    # Phase 1 of the McKenzie extension program, as the seeded library prescribes it.
    assert "Prone lying Time: 3 minutes · Times a day: 8" in text
    assert "Prone on elbows Time: 3 minutes · Times a day: 8" in text
    assert "Prone press-up (extension in lying) Sets: 1 · Repetitions: 10 · Times a day: 8" in text
    assert "Sitting posture with a lumbar roll Dosage: as directed" in text
    for item in _current(prescription):
        assert item.exercise.name in text
        for step in item.exercise.steps:
            assert compact(step) in compact(text)


def test_dosage_is_the_prescriptions_not_the_librarys(therapist, prescription):
    item = _current(prescription)[2]
    item.sets, item.reps, item.hold_seconds = 3, 12, 5
    record_save(item)

    text = _handout(therapist, prescription)

    assert f"{item.exercise.name} Sets: 3 · Repetitions: 12 · Hold: 5 seconds" in text


def test_other_phases_exercises_are_not_listed(therapist, prescription):
    current = {item.exercise_id for item in _current(prescription)}
    later = [
        item.exercise.name
        for item in prescription.exercises.exclude(phase=1).select_related("exercise")
        if item.exercise_id not in current
    ]
    assert later, "the program has exercises only in later phases"

    text = _handout(therapist, prescription)

    for name in later:
        assert name not in text


def test_an_exercise_stopped_for_pain_is_left_out_and_said_to_be_paused(therapist, prescription):
    stopped = _current(prescription)[1]
    _stop(stopped)

    text = _handout(therapist, prescription)

    assert stopped.exercise.name not in text
    assert "One exercise of this phase is paused because it increased your pain" in text
    assert "until your therapist has reviewed it" in text
    assert _current(prescription)[0].exercise.name in text


def test_a_resumed_exercise_is_listed_again(therapist, prescription):
    item = _current(prescription)[1]
    _stop(item)
    item.refresh_from_db()
    item.stopped_for_pain_at = None
    item.resumed_at = timezone.now()
    record_save(item)

    text = _handout(therapist, prescription)

    assert item.exercise.name in text
    assert "paused because" not in text


def test_has_the_stop_sentence_the_clinic_and_the_emergency_box(therapist, prescription, clinic):
    text = _handout(therapist, prescription)

    assert STOP_SENTENCE in text
    assert f"{clinic.name} · Phone: {CLINIC_PHONE}" in text
    assert "Get emergency care now if you have" in text
    for sign in EMERGENCY_SIGNS:
        assert sign in text
    assert f"Then tell the clinic: {CLINIC_PHONE}." in text


def test_has_the_schedule(therapist, diagnosis):
    program = make_prescription(
        diagnosis=diagnosis,
        prescribed_by=therapist,
        weekdays=[4, 0, 2],
        reminder_times=["18:30", "07:45"],
    )

    text = _handout(therapist, program)

    assert "Monday, Wednesday, Friday · Reminders at 07:45, 18:30" in text


def test_names_the_patient_by_first_name_and_nothing_of_the_diagnosis(
    therapist, prescription, diagnosis, patient
):
    response = bearer(therapist.user).get(f"/api/v1/prescriptions/{prescription.pk}/handout.pdf")
    text = pdf_text(response.content)

    assert f"Home exercises for {patient.first_name}" in text
    assert patient.last_name not in text
    assert patient.mrn not in text
    for detail in (diagnosis.icd10_code, diagnosis.get_cause_display(), "disc", "ICD"):
        assert detail.lower() not in text.lower()
    title = pdf_title(response.content)
    assert title == "Home exercises"
    assert response["Content-Disposition"] == 'attachment; filename="home-exercises.pdf"'


def test_each_exercise_carries_its_drawing_embedded(prescription):
    handout = handout_of(prescription=handout_prescriptions().get(pk=prescription.pk))

    assert handout.exercises
    for exercise in handout.exercises:
        assert exercise.image is not None, exercise.name
        assert exercise.image.src.startswith("data:image/svg+xml;base64,")


def test_a_linked_picture_is_not_fetched(prescription):
    first = _current(prescription)[0].exercise
    first.media.all().delete()
    ExerciseMedia.objects.create(
        exercise=first, kind=MediaKind.IMAGE, url="https://pictures.example.org/prone.png"
    )

    handout = handout_of(prescription=handout_prescriptions().get(pk=prescription.pk))

    assert handout.exercises[0].name == first.name
    assert handout.exercises[0].image is None


def test_in_spanish_for_a_spanish_speaking_patient(therapist, prescription, patient):
    patient.language = "es"
    patient.save(update_fields=["language"])

    text = _handout(therapist, prescription)

    for item in _current(prescription):
        assert item.exercise.name_es, "the seeded library has Spanish names"
        assert item.exercise.name_es in text
        assert item.exercise.name_en not in text
    first_step = _current(prescription)[0].exercise.instructions_es.splitlines()[0]
    assert compact(first_step) in compact(text)
    # The handout's own words too: the warning and the emergency signs.
    assert compact("Deje cualquier ejercicio que le aumente el dolor") in compact(text)
    assert compact("pérdida del control de la vejiga o del intestino") in compact(text)
    assert compact("llame al 911") in compact(text)
    assert "Stop any exercise" not in text


def test_on_a_medical_hold_no_exercise_is_listed_and_the_emergency_box_stays(
    therapist, prescription, patient
):
    flags = {field: False for field, _ in patient.screenings.model.FLAGS}
    red_flag_screen(
        patient=patient, flags={**flags, "saddle_numbness": True}, screened_by=therapist
    )

    text = _handout(therapist, prescription)

    assert "Your exercise program is paused" in text
    assert f"call the clinic at {CLINIC_PHONE}" in text
    for item in prescription.exercises.select_related("exercise"):
        assert item.exercise.name not in text
    for sign in EMERGENCY_SIGNS:
        assert sign in text


def test_a_paused_program_lists_no_exercise(therapist, prescription):
    prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )

    text = _handout(therapist, prescription)

    assert "Your exercise program is paused" in text
    assert _current(prescription)[0].exercise.name not in text


def test_the_handout_reads_as_many_queries_for_one_exercise_as_for_many(prescription, therapist):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            handout_of(prescription=handout_prescriptions().get(pk=prescription.pk))
        return len(captured.captured_queries)

    before = queries()
    for _ in range(5):
        make_prescribed_exercise(prescription=prescription, actor=therapist, phase=1)

    assert queries() == before
