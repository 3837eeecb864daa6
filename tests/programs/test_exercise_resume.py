"""Resuming an exercise the safety rules stopped: a clinician, a note, no hold, an open
program; the stop stays in the history."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.records import record_save
from patients.models import ClinicalAlert, Patient
from patients.services import alert_acknowledge, red_flag_screen
from practice.models import Role
from programs.models import PrescribedExercise, Prescription, StopReason
from programs.services import exercise_resume, prescription_set_status
from tests.factories import make_prescription, make_staff
from tests.programs.test_safety import _log

pytestmark = pytest.mark.django_db

STOPPED_AT = datetime.datetime(2026, 3, 2, 14, 30, tzinfo=datetime.UTC)
RESUMED_AT = datetime.datetime(2026, 3, 4, 9, 15, tzinfo=datetime.UTC)
NOTE = "Reviewed in clinic: extension with less range is symptom-free; resume at 5 reps."


@pytest.fixture
def prescription(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


def stop(item: PrescribedExercise) -> PrescribedExercise:
    """Stop `item` as the session rules do (they set these fields; see programs.safety)."""
    item.stopped_for_pain_at = STOPPED_AT
    item.stop_reason = StopReason.LEG_PAIN_ROSE
    item.stop_message = "Stop this exercise: your leg pain rose from 3 to 6 while doing it."
    item.stop_pain_before = 3
    item.stop_pain_after = 6
    record_save(item)
    return PrescribedExercise.objects.get(pk=item.pk)


@pytest.fixture
def stopped(prescription):
    return stop(prescription.exercises.first())


def resume(item, staff, note=NOTE):
    return exercise_resume(item=item, staff_member=staff, note=note)


def still_stopped(item) -> bool:
    fresh = PrescribedExercise.objects.get(pk=item.pk)
    return (
        fresh.stop_and_contact_therapist
        and fresh.stop_reason == StopReason.LEG_PAIN_ROSE
        and fresh.resumed_at is None
        and fresh.resume_note == ""
    )


def test_a_clinician_resumes_a_stopped_exercise_with_a_note(stopped, therapist):
    with time_machine.travel(RESUMED_AT, tick=False):
        resume(stopped, therapist, note=f"  {NOTE}\n")

    item = PrescribedExercise.objects.get(pk=stopped.pk)
    assert not item.stop_and_contact_therapist
    assert item.stopped_for_pain_at is None
    assert (item.stop_reason, item.stop_message) == ("", "")
    assert (item.stop_pain_before, item.stop_pain_after) == (None, None)
    assert (item.stop_pain_extent, item.stop_session_date) == ("", None)
    assert item.stopped_by_session is None
    assert item.resumed_at == RESUMED_AT
    assert item.resumed_by == therapist
    assert item.resume_note == NOTE


def test_the_stop_and_the_resumption_stay_in_the_history(stopped, therapist):
    resume(stopped, therapist)

    latest, before = stopped.history.order_by("-history_date", "-history_id")[:2]
    assert latest.history_user == therapist.user
    assert latest.resume_note == NOTE
    assert latest.stopped_for_pain_at is None
    assert before.stopped_for_pain_at == STOPPED_AT
    assert before.stop_reason == StopReason.LEG_PAIN_ROSE
    assert (before.stop_pain_before, before.stop_pain_after) == (3, 6)
    assert "rose from 3 to 6" in before.stop_message


def test_a_second_stop_and_resumption_keep_only_the_last_on_the_row(stopped, therapist, clinic):
    resume(stopped, therapist, note="First review.")
    again = stop(PrescribedExercise.objects.get(pk=stopped.pk))
    assert again.resume_note == "First review."  # the last resumption, until the next one
    colleague = make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="dc.two")

    resume(again, colleague, note="Second review.")

    item = PrescribedExercise.objects.get(pk=stopped.pk)
    assert (item.resumed_by, item.resume_note) == (colleague, "Second review.")
    notes = [h.resume_note for h in item.history.order_by("history_date", "history_id")]
    assert "First review." in notes
    assert notes[-1] == "Second review."


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINIC_ADMIN])
def test_only_a_clinician_resumes(stopped, clinic, role):
    staff = make_staff(clinic=clinic, role=role)
    with pytest.raises(ValidationError) as exc:
        resume(stopped, staff)
    assert (
        "is not a clinician; only a clinician may resume"
        in exc.value.message_dict["staff_member"][0]
    )
    assert still_stopped(stopped)


def test_a_clinician_of_another_clinic_cannot_resume(stopped, other_therapist):
    with pytest.raises(ValidationError) as exc:
        resume(stopped, other_therapist)
    assert exc.value.message_dict == {"staff_member": ["Not found in this clinic."]}
    assert still_stopped(stopped)


@pytest.mark.parametrize("note", ["", "   \n\t "])
def test_a_resumption_needs_a_note(stopped, therapist, note):
    with pytest.raises(ValidationError) as exc:
        resume(stopped, therapist, note=note)
    assert exc.value.message_dict["note"] == [
        "Say why the exercise may be done again: what your review found."
    ]
    assert still_stopped(stopped)


def test_a_note_longer_than_the_limit_is_refused(stopped, therapist):
    with pytest.raises(ValidationError, match="Keep the note to 2000 characters"):
        resume(stopped, therapist, note="x" * 2001)
    resume(stopped, therapist, note="x" * 2000)


def test_an_exercise_that_is_not_stopped_is_not_resumed(prescription, therapist):
    item = prescription.exercises.first()
    with pytest.raises(ValidationError) as exc:
        resume(item, therapist)
    assert exc.value.messages == [
        f"{item.exercise.name} is not stopped; there is nothing to resume."
    ]
    item.refresh_from_db()
    assert item.resumed_at is None
    assert item.resume_note == ""


@pytest.mark.parametrize("status", [Prescription.Status.COMPLETED, Prescription.Status.STOPPED])
def test_an_exercise_of_a_closed_program_stays_as_it_ended(stopped, therapist, status):
    prescription_set_status(prescription=stopped.prescription, status=status, actor=therapist.user)
    with pytest.raises(ValidationError) as exc:
        resume(stopped, therapist)
    assert exc.value.messages == [
        f"{stopped.prescription.name} is {status.label.lower()}: its exercises are a record "
        "and stay as they ended."
    ]
    assert still_stopped(stopped)


def test_an_exercise_of_a_paused_program_may_be_resumed(stopped, therapist):
    prescription_set_status(
        prescription=stopped.prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )
    resume(stopped, therapist)
    assert not PrescribedExercise.objects.get(pk=stopped.pk).stop_and_contact_therapist


def test_resuming_is_refused_while_the_patient_is_on_medical_hold(stopped, patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    with pytest.raises(ValidationError) as exc:
        resume(stopped, therapist)
    (message,) = exc.value.messages
    assert message.startswith(f"{patient.full_name} is on medical hold after a positive red-flag")
    assert message.endswith(
        f"clear the hold with a note before {stopped.exercise.name} can be resumed."
    )
    assert still_stopped(stopped)


def test_resuming_is_refused_while_the_patient_is_on_referral_hold(stopped, patient, therapist):
    Patient.objects.filter(pk=patient.pk).update(referral_hold_since=timezone.now())
    with pytest.raises(ValidationError) as exc:
        resume(stopped, therapist)
    (message,) = exc.value.messages
    assert "is on a referral hold after a serious-pathology flag" in message
    assert message.endswith(
        "record the referral outcome as cleared to treat before "
        f"{stopped.exercise.name} can be resumed."
    )
    assert still_stopped(stopped)


def test_the_hold_is_read_fresh_not_from_the_callers_copy(stopped, patient, therapist):
    stopped.prescription.patient  # the caller loaded the patient before the hold  # noqa: B018
    red_flag_screen(patient=patient, flags={"saddle_numbness": True}, screened_by=therapist)
    with pytest.raises(ValidationError, match="medical hold"):
        resume(stopped, therapist)


def test_acknowledging_the_pain_alert_does_not_resume_the_exercise(
    prescription, patient, therapist
):
    items = list(prescription.exercises.filter(phase=1).order_by("order")[:1])
    _log(patient, items, item_pain=((2, 5),))
    item = PrescribedExercise.objects.get(pk=items[0].pk)
    assert item.stop_and_contact_therapist
    (alert,) = ClinicalAlert.objects.filter(patient=patient, kind=ClinicalAlert.Kind.PAIN_INCREASE)

    alert_acknowledge(alert=alert, staff_member=therapist)

    item.refresh_from_db()
    assert item.stop_and_contact_therapist
    assert item.resumed_at is None
    resume(item, therapist)  # only the resumption does
    assert not PrescribedExercise.objects.get(pk=item.pk).stop_and_contact_therapist
