"""FHIR Appointment from appointments.Appointment and Encounter for each attended one
(see interop.fhir.types).

An Encounter is the visit that happened: one per attended appointment, with the same
id as its Appointment, typed by the visit note's kind where a note was written.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.db.models.functions import Coalesce, Greatest

from appointments.models import Appointment
from core.localtime import local_date
from interop.fhir import codes, systems
from interop.fhir.types import FhirType, Resource, Source, coding, concept, reference
from patients.models import Diagnosis
from visits.note_models import NoteKind

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from practice.models import Clinic
    from visits.note_models import VisitNote

APPOINTMENT_KIND = systems.local_code_system("appointment-kind")
VISIT_NOTE_KIND = systems.local_code_system("visit-note-kind")

# Nothing here is "proposed": every appointment is booked with a time and a clinician
# (a request waiting for a slot is not recorded). A booked visit whose patient checked
# in at the desk has "arrived" until it is marked attended.
_STATUS = {
    Appointment.Status.SCHEDULED: "booked",
    Appointment.Status.CONFIRMED: "booked",
    Appointment.Status.ATTENDED: "fulfilled",
    Appointment.Status.CANCELLED: "cancelled",
    Appointment.Status.NO_SHOW: "noshow",
}
_UPCOMING = (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED)

# HL7 v2 table 0276: a follow-up visit is FOLLOWUP; an evaluation or re-evaluation is a
# routine appointment (the table has no evaluation code; serviceType says which).
_APPOINTMENT_TYPE = {
    Appointment.Kind.FOLLOW_UP: ("FOLLOWUP", "A follow up visit from a previous appointment"),
}
_ROUTINE = ("ROUTINE", "Routine appointment - default if not valued")


def _instant(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat()


def appointment_status(appointment: Appointment) -> str:
    if appointment.status in _UPCOMING and appointment.checked_in_at is not None:
        return "arrived"
    return _STATUS[Appointment.Status(appointment.status)]


def _patient_participation(appointment: Appointment) -> str:
    if appointment.status == Appointment.Status.CANCELLED and appointment.cancelled_by_patient:
        return "declined"
    if appointment.status in _UPCOMING and appointment.confirmed_at is None:
        # Booked by the clinic, not yet confirmed by the patient.
        return "needs-action"
    return "accepted"


# --- Appointment ---------------------------------------------------------------------


def appointment_rows(clinic: Clinic) -> QuerySet[Appointment]:
    return Appointment.objects.for_clinic(clinic).select_related("therapist__user")


def render_appointment(appointment: Appointment) -> Resource:
    type_code, type_display = _APPOINTMENT_TYPE.get(Appointment.Kind(appointment.kind), _ROUTINE)
    resource: Resource = {
        "resourceType": "Appointment",
        "id": str(appointment.pk),
        "status": appointment_status(appointment),
        "serviceType": [
            concept(APPOINTMENT_KIND, appointment.kind, appointment.get_kind_display())
        ],
        "appointmentType": concept(codes.APPOINTMENT_REASON, type_code, type_display),
        "start": _instant(appointment.starts_at),
        "end": _instant(appointment.ends_at),
        "minutesDuration": appointment.duration_minutes,
        "created": _instant(appointment.created_at),
        "participant": [
            {
                "actor": reference("Patient", appointment.patient_id),
                "required": "required",
                "status": _patient_participation(appointment),
            },
            {
                "actor": codes.clinician(appointment.therapist),
                "required": "required",
                "status": "accepted",
            },
        ],
    }
    if appointment.status == Appointment.Status.CANCELLED:
        resource["cancelationReason"] = _cancelation_reason(appointment)
    return resource


def _cancelation_reason(appointment: Appointment) -> Resource:
    # Who cancelled is all the code says; the reason given is the text.
    code, display = ("pat", "Patient") if appointment.cancelled_by_patient else ("prov", "Provider")
    return concept(
        codes.APPOINTMENT_CANCELLATION_REASON,
        code,
        display,
        text=appointment.cancellation_reason or None,
    )


# --- Encounter -----------------------------------------------------------------------


def encounter_rows(clinic: Clinic) -> QuerySet[Appointment]:
    return (
        Appointment.objects.for_clinic(clinic)
        .filter(status=Appointment.Status.ATTENDED)
        .select_related("patient__clinic", "therapist__user", "visit_note")
        .prefetch_related(
            Prefetch(
                "patient__diagnoses",
                queryset=Diagnosis.objects.order_by("-diagnosed_on", "-id"),
            )
        )
    )


def _note(appointment: Appointment) -> VisitNote | None:
    try:
        return appointment.visit_note
    except ObjectDoesNotExist:
        return None


def _diagnosis(appointment: Appointment) -> Diagnosis | None:
    """The newest diagnosis recorded by the day of the visit (already read with it)."""
    day = local_date(appointment.starts_at, appointment.patient.clinic.time_zone)
    for diagnosis in appointment.patient.diagnoses.all():
        if diagnosis.diagnosed_on <= day:
            return diagnosis
    return None


def render_encounter(appointment: Appointment) -> Resource:
    # A visit held by video is virtual; any other is ambulatory (at the clinic).
    if appointment.telehealth_url:
        act = coding(codes.ACT_CODE, "VR", "virtual")
    else:
        act = coding(codes.ACT_CODE, "AMB", "ambulatory")
    resource: Resource = {
        "resourceType": "Encounter",
        "id": str(appointment.pk),
        "status": "finished",
        "class": act,
        "subject": reference("Patient", appointment.patient_id),
        "participant": [{"individual": codes.clinician(appointment.therapist)}],
        "appointment": [reference("Appointment", appointment.pk)],
        "period": {"start": _instant(appointment.starts_at), "end": _instant(appointment.ends_at)},
        "length": {
            "value": appointment.duration_minutes,
            "unit": "min",
            "system": systems.UCUM,
            "code": "min",
        },
    }
    note = _note(appointment)
    if note is not None:
        resource["type"] = [concept(VISIT_NOTE_KIND, note.kind, NoteKind(note.kind).label)]
    diagnosis = _diagnosis(appointment)
    if diagnosis is not None:
        resource["reasonReference"] = [reference("Condition", diagnosis.pk)]
    return resource


TYPES: tuple[FhirType, ...] = (
    FhirType(
        name="Appointment",
        sources=(
            Source(
                rows=appointment_rows,
                render=render_appointment,
                patient="patient_id",
                date="starts_at",
                last_updated="updated_at",
            ),
        ),
        documentation="Booked visits with their status, time, kind and clinician.",
    ),
    FhirType(
        name="Encounter",
        sources=(
            Source(
                rows=encounter_rows,
                render=render_encounter,
                patient="patient_id",
                date="starts_at",
                # The later of the appointment's change and its note's (whose kind is
                # the type).
                last_updated=Greatest(
                    "updated_at", Coalesce("visit_note__updated_at", "updated_at")
                ),
                # It names the diagnosis and the kind of the visit's note.
                requires=("patients.view_diagnosis", "visits.view_visitnote"),
            ),
        ),
        documentation="Each attended visit, typed by its visit note where one exists.",
    ),
)
