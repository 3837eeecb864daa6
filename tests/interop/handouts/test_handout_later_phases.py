"""The handout keeps a movement stopped for pain off the page in the program's later
phases until a clinician resumes it, and says "call the clinic" when the clinic has no
phone rather than leaving a blank number."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.records import record_save
from programs.models import PrescribedExercise, Prescription, StopReason
from programs.services import (
    exercise_resume,
    prescription_advance_phase,
    prescription_set_status,
)
from tests.clients import bearer
from tests.factories import make_prescription

from .world import pdf_text

pytestmark = pytest.mark.django_db

PRESS_UP = "prone-press-up"  # in phases 1 and 2 of the McKenzie extension template
PRESS_UP_NAME = "Prone press-up (extension in lying)"


@pytest.fixture
def prescription(diagnosis, therapist) -> Prescription:
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


def _handout(therapist, prescription) -> str:
    response = bearer(therapist.user).get(f"/api/v1/prescriptions/{prescription.pk}/handout.pdf")
    assert response.status_code == 200, response.content[:300]
    return pdf_text(response.content)


@pytest.fixture
def stopped_then_advanced(prescription, therapist) -> PrescribedExercise:
    item = prescription.exercises.get(phase=1, exercise__slug=PRESS_UP)
    item.stopped_for_pain_at = timezone.now()
    item.stop_reason = StopReason.PERIPHERALIZED
    record_save(item)
    prescription_advance_phase(prescription=prescription, actor=therapist.user)
    return item


def test_a_movement_stopped_in_phase_1_is_not_on_the_phase_2_handout(
    therapist, prescription, stopped_then_advanced
):
    assert prescription.exercises.filter(phase=2, exercise__slug=PRESS_UP).exists()

    text = _handout(therapist, prescription)

    assert PRESS_UP_NAME not in text
    assert "Standing extension" in text
    assert "One exercise of this phase is paused because it increased your pain" in text


def test_resuming_it_puts_it_back_on_the_handout(therapist, prescription, stopped_then_advanced):
    exercise_resume(
        item=stopped_then_advanced, staff_member=therapist, note="Reviewed: no pain in clinic."
    )

    text = _handout(therapist, prescription)

    assert PRESS_UP_NAME in text
    assert "paused because" not in text


@pytest.fixture
def phoneless(clinic):
    clinic.phone = ""
    clinic.save(update_fields=["phone"])
    return clinic


def test_without_a_clinic_phone_it_says_call_the_clinic(therapist, prescription, phoneless):
    text = _handout(therapist, prescription)

    assert "Stop any exercise that increases your pain and call the clinic." in text
    assert "Then tell the clinic." in text
    assert "call us at" not in text
    assert "Phone:" not in text
    assert "clinic: ." not in text


def test_without_a_clinic_phone_the_paused_notice_says_call_the_clinic(
    therapist, prescription, phoneless
):
    prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )

    text = _handout(therapist, prescription)

    assert "until you have spoken with us: call the clinic." in text
    assert "call the clinic at" not in text
