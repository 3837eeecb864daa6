"""Resuming an exercise the safety rules stopped (programs.safety sets the stop).

A stopped exercise stays stopped until a clinician has reviewed it and says, in a note,
why the patient may do it again. Acknowledging the alert that came with the stop is not
that review: it only says the therapist has seen the alert.

The stop details (when, why, the pain that stopped it, the session) are cleared on the
live row when it is resumed; the history keeps every earlier stop and resumption.

What a stop holds back is the movement, not one row: a template repeats a library
exercise in later phases, and the pain that stopped it in phase 1 is no reason to do
it again in phase 2. `stopped_exercise_ids` is that rule, read by every plan the patient
is shown (today's plan, the printed handout).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.records import record_save
from patients.models import Patient
from patients.services import hold_refusal
from practice.models import StaffMember
from practice.tenancy import ensure_same_clinic

from .models import PrescribedExercise, Prescription

RESUME_NOTE_MAX = 2000


def stopped_exercise_ids(prescription: Prescription) -> frozenset[int]:
    """The library exercises (ids) the program has stopped for pain in any phase and a
    clinician has not resumed: none of the program's items of these is to be done.
    Reads `prescription.exercises.all()`, so a prefetch of them costs no query."""
    return frozenset(
        item.exercise_id for item in prescription.exercises.all() if item.stop_and_contact_therapist
    )


_RESUME_FIELDS = [
    "stopped_for_pain_at",
    "stop_reason",
    "stop_message",
    "stop_pain_before",
    "stop_pain_after",
    "stop_pain_extent",
    "stop_session_date",
    "stopped_by_session",
    "resumed_at",
    "resumed_by",
    "resume_note",
]


@transaction.atomic
def exercise_resume(
    *, item: PrescribedExercise, staff_member: StaffMember, note: str
) -> PrescribedExercise:
    """A clinician has reviewed a stopped exercise: the patient may do it again.

    Refused for a non-clinician, without a note, for an exercise that is not stopped,
    on a completed or stopped program, and while the patient is on either hold."""
    # The patient first, in the order session_log locks: a hold or a new stop recorded
    # at the same moment is seen, and the two never deadlock.
    patient_id = Prescription.objects.values_list("patient_id", flat=True).get(
        pk=item.prescription_id
    )
    patient = Patient.objects.select_for_update(no_key=True).get(pk=patient_id)
    item = (
        PrescribedExercise.objects.select_for_update(of=("self",))
        .select_related("prescription", "exercise")
        .get(pk=item.pk)
    )
    ensure_same_clinic(patient.clinic, staff_member=staff_member)
    if not staff_member.is_clinician:
        raise ValidationError(
            {
                "staff_member": f"{staff_member} is not a clinician; only a clinician may "
                "resume a stopped exercise."
            }
        )
    note = note.strip()
    if not note:
        raise ValidationError(
            {"note": "Say why the exercise may be done again: what your review found."}
        )
    if len(note) > RESUME_NOTE_MAX:
        raise ValidationError({"note": f"Keep the note to {RESUME_NOTE_MAX} characters."})
    name = item.exercise.name
    if not item.stop_and_contact_therapist:
        raise ValidationError(f"{name} is not stopped; there is nothing to resume.")
    program = item.prescription
    if program.status not in Prescription.OPEN_STATUSES:
        raise ValidationError(
            f"{program.name} is {program.get_status_display().lower()}: its exercises are a "
            "record and stay as they ended."
        )
    refusal = hold_refusal(patient, doing=f"{name} can be resumed")
    if refusal:
        raise ValidationError(refusal)

    item.stopped_for_pain_at = None
    item.stop_reason = ""
    item.stop_message = ""
    item.stop_pain_before = None
    item.stop_pain_after = None
    item.stop_pain_extent = ""
    item.stop_session_date = None
    item.stopped_by_session = None
    item.resumed_at = timezone.now()
    item.resumed_by = staff_member
    item.resume_note = note
    record_save(item, actor=staff_member.user, update_fields=_RESUME_FIELDS)
    return item
