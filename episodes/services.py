"""Closing and reopening a patient's episode of care.

A discharge or an archiving closes everything that would otherwise go on for the
patient, in one transaction: open programs are completed (programs' own service, so
its rules and history apply), appointments still to come are cancelled (one bulk
statement with history), and reminders waiting to be sent are cancelled (one
statement). Either all of it happens or none of it does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from appointments.cancellations import appointments_cancel_upcoming
from appointments.models import Appointment
from core.records import record_save
from patients import services as patient_services
from patients.models import Patient
from practice.models import StaffMember, User
from practice.tenancy import staff_of
from programs import services as program_services
from programs.models import Prescription
from reminders import services as reminder_services

from .models import EpisodeClosure
from .selectors import REMINDER_KINDS

_VERB: dict[str, str] = {
    Patient.Status.DISCHARGED: "discharged",
    Patient.Status.ARCHIVED: "archived",
}

# From which status each closing may start.
CLOSABLE_FROM: dict[str, set[str]] = {
    Patient.Status.DISCHARGED: {Patient.Status.ACTIVE},
    Patient.Status.ARCHIVED: {Patient.Status.ACTIVE, Patient.Status.DISCHARGED},
}


@dataclass(frozen=True)
class EpisodeClosed:
    closure: EpisodeClosure
    programs: list[Prescription]
    appointments: list[Appointment]
    reminders_cancelled: int


def _staff_of_patients_clinic(*, actor: User, patient: Patient) -> StaffMember | None:
    staff = staff_of(actor)
    return staff if staff is not None and staff.clinic_id == patient.clinic_id else None


CLOSING_REFUSED = "Only a clinician or a clinic admin may discharge or archive a patient."


class ClosingNotAllowedError(ValidationError):
    """The actor's role may not discharge or archive patients (the API answers 403)."""


def check_may_close_episodes(*, actor: User, patient: Patient) -> None:
    """Clinicians and clinic admins of the patient's clinic (or the operator) only."""
    if actor.is_superuser:
        return
    staff = _staff_of_patients_clinic(actor=actor, patient=patient)
    if staff is None or not staff.may_close_episodes:
        raise ClosingNotAllowedError(CLOSING_REFUSED)


@transaction.atomic
def _close(*, patient: Patient, status: str, actor: User, note: str) -> EpisodeClosed:
    check_may_close_episodes(actor=actor, patient=patient)
    # The row lock orders this against a booking or a prescription for the same patient.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.status == status:
        raise ValidationError(f"{patient.full_name} is already {_VERB[status]}.")
    if patient.status not in CLOSABLE_FROM[status]:
        raise ValidationError(
            f"{patient.full_name} is {patient.get_status_display().lower()}; "
            "reactivate the patient first."
        )
    reason = f"The patient was {_VERB[status]}."
    programs = list(
        patient.prescriptions.filter(status__in=Prescription.OPEN_STATUSES).order_by("pk")
    )
    for program in programs:
        program_services.prescription_set_status(
            prescription=program, status=Prescription.Status.COMPLETED, actor=actor
        )
    appointments = appointments_cancel_upcoming(patient=patient, reason=reason, actor=actor)
    reminders = reminder_services.notifications_cancel_pending(
        patient=patient, reason=reason, kinds=REMINDER_KINDS
    )
    patient_services.patient_set_status(patient=patient, status=status, actor=actor)
    closure = EpisodeClosure(
        patient=patient,
        outcome=status,
        closed_by=actor if actor.is_authenticated else None,
        note=note.strip(),
        programs_completed=len(programs),
        appointments_cancelled=len(appointments),
        reminders_cancelled=reminders,
    )
    record_save(closure, actor=actor)
    return EpisodeClosed(
        closure=closure,
        programs=programs,
        appointments=appointments,
        reminders_cancelled=reminders,
    )


def patient_discharge(*, patient: Patient, actor: User, note: str = "") -> EpisodeClosed:
    """End the episode of care: the patient's programs, appointments to come and pending
    reminders are closed with it. The patient can be reactivated later."""
    return _close(patient=patient, status=Patient.Status.DISCHARGED, actor=actor, note=note)


def patient_archive(*, patient: Patient, actor: User, note: str = "") -> EpisodeClosed:
    """Archive (how a patient is 'deleted'): closes the episode as a discharge does."""
    return _close(patient=patient, status=Patient.Status.ARCHIVED, actor=actor, note=note)


@transaction.atomic
def patient_reactivate(*, patient: Patient, actor: User) -> Patient:
    """Make a discharged or archived patient active again. Nothing closed is reopened:
    a new episode gets a new program and new appointments. Any staff member of the
    patient's clinic may (the front desk takes a returning patient back)."""
    if not actor.is_superuser and _staff_of_patients_clinic(actor=actor, patient=patient) is None:
        raise ValidationError("Only staff of the patient's clinic may reactivate a patient.")
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.status == Patient.Status.ACTIVE:
        raise ValidationError(f"{patient.full_name} is already active.")
    return patient_services.patient_set_status(
        patient=patient, status=Patient.Status.ACTIVE, actor=actor
    )


def patient_change_status(*, patient: Patient, status: str, actor: User, note: str = "") -> Patient:
    """The one entry point of a status change from the admin and the API."""
    if status == Patient.Status.ACTIVE:
        return patient_reactivate(patient=patient, actor=actor)
    if status not in CLOSABLE_FROM:
        raise ValidationError({"status": f"Unknown patient status: {status}."})
    return _close(patient=patient, status=status, actor=actor, note=note).closure.patient
