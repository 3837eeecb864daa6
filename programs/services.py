"""Writes with rules for programs: prescribing, changing and closing a program and its
exercises. Each is a keyword-only function, the one way the API and the admin write."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.records import record_save
from core.transitions import check_transition
from patients import services as patient_services
from patients.models import Diagnosis, Patient
from practice.models import StaffMember, User
from practice.tenancy import ensure_same_clinic

from .counts import check_count
from .library import ExerciseDose, contraindications_for, template_doses
from .models import (
    CUSTOM_PROGRAM_NAME,
    Contraindication,
    Dosage,
    Exercise,
    PrescribedExercise,
    Prescription,
    ProgramTemplate,
    generic_phase_name,
)
from .schedule import check_start_date, default_start_date, parse_reminder_times, parse_weekdays
from .selectors import open_prescription
from .sessions import ExerciseDone, session_log
from .stops import exercise_resume

# The writes of programs in one place: those of sessions and stops live in their own
# modules and are offered here beside the others, with what the callers pass them.
__all__ = [
    "ContraindicationError",
    "ExerciseDone",
    "ExerciseDose",
    "contraindications_for",
    "exercise_resume",
    "patient_preferences_update",
    "prescribed_exercise_set_dosage",
    "prescription_add_exercise",
    "prescription_advance_phase",
    "prescription_set_reminder_times",
    "prescription_set_schedule",
    "prescription_set_status",
    "program_prescribe",
    "session_log",
    "template_doses",
]


class ContraindicationError(ValidationError):
    """Prescribing would include exercises contraindicated for the diagnosed cause."""

    def __init__(self, contraindications: Sequence[Contraindication]):
        self.contraindications = list(contraindications)
        lines = [f"{c.exercise.name}: {c.reason}" for c in self.contraindications]
        super().__init__(
            {
                "override_reason": "These exercises are contraindicated for "
                f"{self.contraindications[0].get_cause_display().lower()}: "
                + " ".join(lines)
                + " Record an override reason to prescribe them anyway."
            }
        )


def _check_prescriber(patient: Patient, prescriber: StaffMember) -> None:
    ensure_same_clinic(patient.clinic, prescribed_by=prescriber)
    if not prescriber.is_clinician:
        raise ValidationError(
            {"prescribed_by": f"{prescriber} is not a clinician and cannot prescribe."}
        )


def _check_not_on_hold(patient: Patient, *, doing: str) -> None:
    refusal = patient_services.hold_refusal(patient, doing=doing)
    if refusal:
        raise ValidationError(refusal)


def _check_not_retired(exercises: Sequence[Exercise], *, field: str) -> None:
    """A retired exercise is no longer prescribed (a template's own exercises come with
    the template, which is retired as a whole)."""
    retired = [e.name for e in exercises if not e.is_active]
    if retired:
        raise ValidationError({field: f"Retired from the library: {', '.join(retired)}."})


def _clean_dosage(dosage: dict[str, int | None]) -> dict[str, int | None]:
    unknown = set(dosage) - set(Dosage.DOSAGE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown dosage fields: {', '.join(sorted(unknown))}.")
    for name, value in dosage.items():
        check_count(name, value)
    return dosage


@transaction.atomic
def program_prescribe(
    *,
    patient: Patient,
    diagnosis: Diagnosis,
    prescribed_by: StaffMember,
    weekdays: Sequence[int],
    reminder_times: Sequence[str | datetime.time],
    start_date: datetime.date | None = None,
    template: ProgramTemplate | None = None,
    exercises: Sequence[ExerciseDose] | None = None,
    name: str = "",
    override_reason: str = "",
    notes: str = "",
) -> Prescription:
    """Prescribe a template's program, or a custom list of exercises, to a patient.

    The program starts on `start_date`, by default today on the patient's calendar
    (`default_start_date`). Refused while the patient is on either hold, while another
    program is open, for retired exercises or templates, and for exercises
    contraindicated for the diagnosed cause unless `override_reason` says why the
    therapist prescribes them anyway.
    """
    _check_prescriber(patient, prescribed_by)
    start_date = start_date or default_start_date(patient)
    check_start_date(start_date)
    # Lock the patient so a red-flag screen recorded at the same moment is seen.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    _check_not_on_hold(patient, doing="a program can be prescribed")
    if patient.status != Patient.Status.ACTIVE:
        raise ValidationError(f"{patient.full_name} is {patient.get_status_display().lower()}.")
    if diagnosis.patient_id != patient.pk:
        raise ValidationError({"diagnosis": "That diagnosis is not this patient's."})
    open_program = open_prescription(patient)
    if open_program is not None:
        raise ValidationError(
            f"{patient.full_name} already has an open program ({open_program.name}); "
            "complete or stop it first."
        )
    if (template is None) == (exercises is None):
        raise ValidationError(
            {"template": "Choose a program template or list the exercises, not both."}
        )
    if template is not None:
        if not template.is_active:
            raise ValidationError({"template": f"{template.name} is retired."})
        doses = template_doses(template)
        phase_names = list(template.phases.values_list("name", flat=True))
        name = name or template.name
    else:
        doses = list(exercises or [])
        _check_not_retired([d.exercise for d in doses], field="exercises")
        last_phase = max((d.phase for d in doses), default=1)
        phase_names = [generic_phase_name(n) for n in range(1, last_phase + 1)]
        name = name or CUSTOM_PROGRAM_NAME
    if not doses:
        raise ValidationError({"exercises": "A program needs at least one exercise."})

    contraindicated = contraindications_for(
        exercises=[d.exercise for d in doses], cause=diagnosis.cause
    )
    override_reason = override_reason.strip()
    if contraindicated and not override_reason:
        raise ContraindicationError(contraindicated)

    prescription = Prescription(
        patient=patient,
        diagnosis=diagnosis,
        template=template,
        name=name,
        prescribed_by=prescribed_by,
        start_date=start_date,
        phase_names=phase_names,
        weekdays=parse_weekdays(weekdays),
        reminder_times=parse_reminder_times(reminder_times),
        notes=notes,
    )
    try:
        with transaction.atomic():
            record_save(prescription, actor=prescribed_by.user)
    except IntegrityError:  # a concurrent prescription won the open-program constraint
        raise ValidationError(f"{patient.full_name} already has an open program.") from None
    patient_services.patient_schedule_changed(patient_id=patient.pk)
    overridden = {c.exercise_id for c in contraindicated}
    for dose in doses:
        item = PrescribedExercise(
            prescription=prescription,
            exercise=dose.exercise,
            phase=dose.phase,
            order=dose.order,
            contraindication_override=override_reason if dose.exercise.pk in overridden else "",
            **_clean_dosage({**dose.exercise.dosage, **dose.dosage}),
        )
        record_save(item, actor=prescribed_by.user)
    return prescription


@transaction.atomic
def prescription_add_exercise(
    *,
    prescription: Prescription,
    exercise: Exercise,
    actor: StaffMember,
    phase: int | None = None,
    dosage: dict[str, int | None] | None = None,
    override_reason: str = "",
) -> PrescribedExercise:
    # Re-read under lock: a hold or a stop recorded since the caller loaded them counts.
    # The patient first, as every service locking a patient and their records does (a
    # discharge locks the patient, then the programs): the other order could deadlock.
    patient = Patient.objects.select_for_update().get(pk=prescription.patient_id)
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    _check_prescriber(patient, actor)
    _check_not_on_hold(patient, doing="exercises can be added to the program")
    if prescription.status not in Prescription.OPEN_STATUSES:
        raise ValidationError("Exercises are added to active or paused programs only.")
    _check_not_retired([exercise], field="exercise")
    contraindicated = contraindications_for(
        exercises=[exercise], cause=prescription.diagnosis.cause
    )
    if contraindicated and not override_reason.strip():
        raise ContraindicationError(contraindicated)
    phase = phase or prescription.current_phase
    if not 1 <= phase <= max(len(prescription.phase_names), 1):
        raise ValidationError(
            {"phase": f"The program has phases 1 to {len(prescription.phase_names)}."}
        )
    last = prescription.exercises.filter(phase=phase).order_by("-order").first()
    item = PrescribedExercise(
        prescription=prescription,
        exercise=exercise,
        phase=phase,
        order=(last.order + 1) if last else 0,
        contraindication_override=override_reason.strip() if contraindicated else "",
        **_clean_dosage({**exercise.dosage, **(dosage or {})}),
    )
    record_save(item, actor=actor.user)
    return item


@transaction.atomic
def prescribed_exercise_set_dosage(
    *, item: PrescribedExercise, dosage: dict[str, int | None], actor: User
) -> PrescribedExercise:
    status = Prescription.objects.select_for_update().values_list("status", flat=True)
    if status.get(pk=item.prescription_id) not in Prescription.OPEN_STATUSES:
        raise ValidationError("A completed or stopped program is a record; its dosage stays.")
    for name, value in _clean_dosage(dosage).items():
        setattr(item, name, value)
    record_save(item, actor=actor)
    return item


@transaction.atomic
def prescription_advance_phase(
    *, prescription: Prescription, actor: User, expected_phase: int | None = None
) -> Prescription:
    """One phase on. `expected_phase` is the phase the caller showed: a repeated or
    second-tab confirmation then finds the program moved and is refused, not moved twice."""
    # The patient first, then the program (as prescription_add_exercise): a red-flag
    # screening locks the patient, so a hold recorded meanwhile is seen here.
    patient = Patient.objects.select_for_update().get(pk=prescription.patient_id)
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    if expected_phase is not None and prescription.current_phase != expected_phase:
        raise ValidationError(f"The program already moved to phase {prescription.current_phase}.")
    if prescription.status != Prescription.Status.ACTIVE:
        raise ValidationError("Only an active program moves to its next phase.")
    if prescription.current_phase >= len(prescription.phase_names):
        raise ValidationError(
            f"{prescription.name} is already in its last phase ({prescription.current_phase_name})."
        )
    # A hold stops the program: no progression until a clinician has cleared it.
    _check_not_on_hold(patient, doing="the program moves to its next phase")
    prescription.current_phase += 1
    record_save(prescription, actor=actor)
    return prescription


_PRESCRIPTION_TRANSITIONS: dict[str, set[str]] = {
    Prescription.Status.ACTIVE: {
        Prescription.Status.PAUSED,
        Prescription.Status.COMPLETED,
        Prescription.Status.STOPPED,
    },
    Prescription.Status.PAUSED: {
        Prescription.Status.ACTIVE,
        Prescription.Status.COMPLETED,
        Prescription.Status.STOPPED,
    },
    Prescription.Status.COMPLETED: set(),
    Prescription.Status.STOPPED: set(),
}


@transaction.atomic
def prescription_set_status(
    *, prescription: Prescription, status: str, actor: User
) -> Prescription:
    # The patient first, then the program: the hold check below reads a row the
    # red-flag screening changes under its own patient lock.
    patient = Patient.objects.select_for_update().get(pk=prescription.patient_id)
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    if status == prescription.status:
        return prescription
    check_transition(
        allowed=_PRESCRIPTION_TRANSITIONS,
        current=prescription.status,
        new=status,
        statuses=Prescription.Status,
        noun="program",
    )
    if status == Prescription.Status.ACTIVE:
        _check_not_on_hold(patient, doing="the program can resume")
    prescription.status = status
    record_save(prescription, actor=actor)
    patient_services.patient_schedule_changed(patient_id=prescription.patient_id)
    return prescription


@transaction.atomic
def prescription_set_schedule(
    *,
    prescription: Prescription,
    weekdays: Sequence[int],
    reminder_times: Sequence[str | datetime.time],
    actor: User,
) -> Prescription:
    prescription.weekdays = parse_weekdays(weekdays)
    prescription.reminder_times = parse_reminder_times(reminder_times)
    record_save(prescription, actor=actor)
    patient_services.patient_schedule_changed(patient_id=prescription.patient_id)
    return prescription


@transaction.atomic
def prescription_set_reminder_times(
    *, patient: Patient, reminder_times: Sequence[str | datetime.time], actor: User
) -> Prescription:
    """The patient's own reminder times on their open program; the days stay the
    therapist's. Locked, so a program closed meanwhile is not reopened by this save."""
    prescription = (
        Prescription.objects.select_for_update()
        .filter(patient=patient, status__in=Prescription.OPEN_STATUSES)
        .first()
    )
    if prescription is None:
        raise ValidationError(
            {
                "reminder_times": "You have no open exercise program, so there are no "
                "reminders to set; ask your therapist."
            }
        )
    return prescription_set_schedule(
        prescription=prescription,
        weekdays=prescription.weekdays,
        reminder_times=reminder_times,
        actor=actor,
    )


@transaction.atomic
def patient_preferences_update(
    *,
    patient: Patient,
    actor: User,
    reminder_times: Sequence[str | datetime.time] | None = None,
    **fields: Any,
) -> Patient:
    """What a patient changes about themselves in the app: contact, consent, quiet hours
    and the times of their program's reminders, all or nothing. A consent change alone
    saves whatever else the stored record holds (see `patient_consent_update`)."""
    if reminder_times is not None:
        prescription_set_reminder_times(patient=patient, reminder_times=reminder_times, actor=actor)
    if fields:
        patient_services.patient_update(
            patient=patient,
            actor=actor,
            consent_source=patient_services.ConsentSource.APP,
            **fields,
        )
    return patient
