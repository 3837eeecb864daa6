"""What either hold refuses (prescribing, adding an exercise, resuming a paused program),
in the one wording patients.screening gives both holds."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from patients.services import medical_hold_clear, red_flag_screen
from programs.models import Exercise, Prescription
from programs.services import prescription_add_exercise, prescription_set_status
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)

# Spelled out, not taken from patients.screening, so that a change of wording shows here.
REFERRAL_REFUSAL = (
    "Alex Rivera is on a referral hold after a serious-pathology flag (since {when} UTC). "
    "Refer the patient to a physician; a clinician must record the referral outcome as "
    "cleared to treat before {doing}."
)


def refer(patient, screener):
    return red_flag_screen(patient=patient, flags={"history_of_cancer": True}, screened_by=screener)


def hold(patient, screener):
    return red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=screener)


# The medical hold


def test_prescribing_is_refused_while_on_medical_hold(patient, therapist, diagnosis):
    with time_machine.travel(NOON, tick=False):
        hold(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    assert exc.value.messages == [
        "Alex Rivera is on medical hold after a positive red-flag screen (since 2026-03-02 "
        "12:00 UTC). A clinician must clear the hold with a note before a program can be "
        "prescribed."
    ]
    assert not Prescription.objects.exists()


def test_no_exercise_is_added_while_on_medical_hold(patient, therapist, diagnosis):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    before = prescription.exercises.count()
    hold(patient, therapist)
    exercise = Exercise.objects.exclude(pk__in=prescription.exercises.values("exercise_id")).first()
    with pytest.raises(ValidationError) as exc:
        prescription_add_exercise(prescription=prescription, exercise=exercise, actor=therapist)
    (message,) = exc.value.messages
    assert message.startswith("Alex Rivera is on medical hold after a positive red-flag screen")
    assert message.endswith("before exercises can be added to the program.")
    assert prescription.exercises.count() == before


def test_with_both_holds_the_refusal_names_the_medical_one(patient, therapist, diagnosis):
    red_flag_screen(
        patient=patient, flags={"foot_drop": True, "history_of_cancer": True}, screened_by=therapist
    )
    with pytest.raises(ValidationError) as exc:
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    (message,) = exc.value.messages
    assert "is on medical hold after a positive red-flag screen" in message
    assert "referral" not in message


# The referral hold


def test_prescribing_is_refused_on_referral_hold_saying_what_to_do(patient, therapist, diagnosis):
    with time_machine.travel(NOON, tick=False):
        refer(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    assert exc.value.messages == [
        REFERRAL_REFUSAL.format(when="2026-03-02 12:00", doing="a program can be prescribed")
    ]
    assert not Prescription.objects.exists()


def test_a_paused_program_cannot_be_resumed_on_referral_hold(patient, therapist, diagnosis):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )
    with time_machine.travel(NOON, tick=False):
        refer(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        prescription_set_status(
            prescription=prescription, status=Prescription.Status.ACTIVE, actor=therapist.user
        )
    assert exc.value.messages == [
        REFERRAL_REFUSAL.format(when="2026-03-02 12:00", doing="the program can resume")
    ]
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.PAUSED


def test_no_exercise_is_added_on_referral_hold(patient, therapist, diagnosis):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    before = prescription.exercises.count()
    with time_machine.travel(NOON, tick=False):
        refer(patient, therapist)
    exercise = Exercise.objects.exclude(pk__in=prescription.exercises.values("exercise_id")).first()
    with pytest.raises(ValidationError) as exc:
        prescription_add_exercise(prescription=prescription, exercise=exercise, actor=therapist)
    assert exc.value.messages == [
        REFERRAL_REFUSAL.format(
            when="2026-03-02 12:00", doing="exercises can be added to the program"
        )
    ]
    assert prescription.exercises.count() == before


def test_a_paused_program_cannot_be_resumed_while_on_medical_hold(patient, therapist, diagnosis):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )
    hold(patient, therapist)
    with pytest.raises(ValidationError, match="on medical hold"):
        prescription_set_status(
            prescription=prescription, status=Prescription.Status.ACTIVE, actor=therapist.user
        )
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.PAUSED


def test_after_clearing_prescribing_works(patient, therapist, diagnosis):
    hold(patient, therapist)
    medical_hold_clear(patient=patient, cleared_by=therapist, note="Seen in ED; MRI negative.")
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    assert prescription.status == Prescription.Status.ACTIVE
    assert Prescription.objects.filter(patient=patient).count() == 1
