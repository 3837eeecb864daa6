"""Why a planned message must not go out after all: the delivery task asks just before
sending (`cancel_reason`), because the world moves between planning and sending.

The planner decides in bulk by the same rules (`reminders.rules`); this is the check of
one row, a few queries at most. A patient's zone here is `core.localtime.patient_zone`:
a name that no longer resolves reads as UTC, while the planner plans nothing new for
such a patient (`reminders.planner.base.Zones`).
"""

from __future__ import annotations

import datetime

from appointments.models import Appointment
from core.localtime import local_midnight, patient_zone
from outcomes.models import QuestionnaireResponse
from patients.models import ClinicalAlert, Patient
from programs.models import ExerciseSession, Prescription

from . import selectors
from . import staff as staff_reach
from .models import Channel, Device, Kind, Notification, StaffDevice
from .rules import (
    APPOINTMENT_REASON_PREFIX,
    appointment_reason,
    channel_allowed,
    hold_reason,
    patient_reason,
    quiet,
)
from .sources import ALERT_PREFIXES, Source, parse_source

# Messages that can wake someone up; email does not, so it is allowed in quiet hours.
WAKING_CHANNELS = frozenset({Channel.SMS, Channel.PUSH})

# Messages to staff; the patient's quiet hours and consent do not apply to them.
STAFF_KINDS = frozenset(
    {Kind.INACTIVITY_ALERT, Kind.URGENT_ALERT, Kind.ESCALATION, Kind.ROUTINE_ALERT, Kind.DIGEST}
)


def cancel_reason(notification: Notification, *, now: datetime.datetime) -> str | None:
    """Why this pending or claimed notification must not be sent now; None to send it.

    The delivery task asks just before sending, because the world moves between planning
    and sending: a program is paused, an appointment cancelled, a consent withdrawn, or
    a retry lands inside the patient's quiet hours. A few queries at most.
    """
    source = parse_source(notification.source)
    if notification.kind in STAFF_KINDS:
        return _staff_message_reason(notification, source)
    patient = notification.patient
    if patient is None:  # a staff message of a kind this module does not know
        return _staff_reason(notification)
    reason = patient_reason(patient)
    if reason:
        return reason
    if notification.kind == Kind.HOLD_GUIDANCE:
        return _guidance_delivery_reason(notification, patient, source)
    return _kind_reason(notification, patient, source, now=now) or _channel_reason(
        notification, patient, now=now
    )


def _staff_message_reason(notification: Notification, source: Source | None) -> str | None:
    if notification.kind == Kind.DIGEST:
        if notification.staff is not None and not selectors.open_alerts_for(notification.staff):
            return "No alert is open any more."
        return _staff_reason(notification)
    if notification.kind == Kind.INACTIVITY_ALERT:
        return _inactivity_alert_reason(notification, source)
    # Safety first: an alert goes out at any hour and for any patient status, until
    # someone has acknowledged or resolved it.
    return _alert_reason(source) or _staff_reason(notification)


def _inactivity_alert_reason(notification: Notification, source: Source | None) -> str | None:
    if source is None or source.prefix != "inactive":
        return _staff_reason(notification)
    patient = Patient.objects.filter(pk=source.object_id).first()
    if patient is None:
        return "The patient no longer exists."
    status = _open_program_status(patient)
    return (
        patient_reason(patient)
        or _program_reason(patient, status)
        or _active_since(patient.pk, notification)
        or _staff_reason(notification)
    )


def _guidance_delivery_reason(
    notification: Notification, patient: Patient, source: Source | None
) -> str | None:
    """The emergency path: any hour, quiet hours or not; consent still applies."""
    reason = _guidance_reason(patient, source)
    has_device = _has_device(notification, patient)
    if reason is None and not channel_allowed(patient, notification.channel, has_device=has_device):
        reason = _unreachable(notification)
    return reason


def _kind_reason(
    notification: Notification,
    patient: Patient,
    source: Source | None,
    *,
    now: datetime.datetime,
) -> str | None:
    """What the message is about, where that may have changed since it was planned."""
    kind = notification.kind
    if kind == Kind.EXERCISE and source is not None and source.prefix == "prescription":
        status = (
            Prescription.objects.filter(pk=source.object_id)
            .values_list("status", flat=True)
            .first()
        )
        return _program_reason(patient, status)
    if kind == Kind.NUDGE:
        return _program_reason(patient, _open_program_status(patient)) or _active_since(
            patient.pk, notification
        )
    if kind == Kind.APPOINTMENT and source is not None and source.prefix == "appointment":
        return _appointment_delivery_reason(notification, source, now=now)
    if kind == Kind.QUESTIONNAIRE:
        # An inactive patient was already refused (`patient_reason`).
        reason = hold_reason(patient)
        if reason is None and source is not None and source.prefix == "questionnaire":
            reason = _questionnaire_reason(patient, source)
        return reason
    return None


def _appointment_delivery_reason(
    notification: Notification, source: Source, *, now: datetime.datetime
) -> str | None:
    appointment = Appointment.objects.filter(pk=source.object_id).first()
    reason = appointment_reason(
        appointment,
        lead_hours=source.lead_hours or 0,
        scheduled_for=notification.scheduled_for,
    )
    if reason is None and appointment is not None and appointment.starts_at <= now:
        reason = f"{APPOINTMENT_REASON_PREFIX}has already started."
    return reason


def _channel_reason(
    notification: Notification, patient: Patient, *, now: datetime.datetime
) -> str | None:
    """The channel must still reach the patient, and not wake them in quiet hours."""
    if not channel_allowed(
        patient, notification.channel, has_device=_has_device(notification, patient)
    ):
        return _unreachable(notification)
    if notification.channel in WAKING_CHANNELS:
        local_now = now.astimezone(patient_zone(patient))
        if quiet(patient, local_now):
            return (
                f"{local_now:%H:%M} is inside the patient's quiet hours "
                f"({patient.quiet_hours_start:%H:%M}-{patient.quiet_hours_end:%H:%M})."
            )
    return None


def _has_device(notification: Notification, patient: Patient) -> bool:
    """Whether a push can reach the patient (asked only for a push)."""
    return notification.channel == Channel.PUSH and Device.objects.filter(patient=patient).exists()


def _open_program_status(patient: Patient) -> str | None:
    return (
        Prescription.objects.filter(patient=patient, status__in=Prescription.OPEN_STATUSES)
        .values_list("status", flat=True)
        .first()
    )


def _program_reason(patient: Patient, prescription_status: str | None) -> str | None:
    """Exercise reminders and nudges follow the program: not on hold, not paused."""
    reason = hold_reason(patient)
    if reason:
        return reason
    if prescription_status is None:
        return "The patient has no active exercise program."
    if prescription_status != Prescription.Status.ACTIVE:
        return f"The exercise program is {Prescription.Status(prescription_status).label.lower()}."
    return None


def _active_since(patient_id: int, notification: Notification) -> str | None:
    """A session logged after the inactivity message was planned ends the streak."""
    logged = ExerciseSession.objects.filter(
        patient_id=patient_id, created_at__gt=notification.created_at
    ).exists()
    return "The patient has logged a session since." if logged else None


def _questionnaire_reason(patient: Patient, source: Source) -> str | None:
    """Answered on or after the local date it became due: nothing left to remind of."""
    if source.day is None:  # `parse_source` gives every questionnaire source its day
        return None
    answered = QuestionnaireResponse.objects.filter(
        patient=patient,
        code=source.code,
        answered_at__gte=local_midnight(source.day, patient_zone(patient)),
    ).exists()
    return "The questionnaire has been answered since it was due." if answered else None


def _staff_reason(notification: Notification) -> str | None:
    """Whether the row's staff member may still hear of the clinic's alerts (same clinic,
    a clinician or clinic admin) and its channel still reaches them (consent, address)."""
    staff = notification.staff
    if staff is None:
        return "No staff member to tell."
    refusal = staff_reach.role_refusal(staff, clinic_id=notification.clinic_id)
    if refusal:
        return refusal
    has_device = (
        notification.channel == Channel.PUSH and StaffDevice.objects.filter(staff=staff).exists()
    )
    return staff_reach.channel_refusal(
        staff, notification.channel, contact=staff_reach.contact_of(staff), has_device=has_device
    )


def _alert_reason(source: Source | None) -> str | None:
    """A message about an alert goes out only while the alert is open."""
    if source is None or source.prefix not in ALERT_PREFIXES:
        return None
    state = (
        ClinicalAlert.objects.filter(pk=source.object_id)
        .values_list("acknowledged_at", "resolved_at")
        .first()
    )
    if state is None:
        return "The alert no longer exists."
    acknowledged_at, resolved_at = state
    if resolved_at is not None:
        return "The alert has been resolved."
    if acknowledged_at is not None:
        return "The alert has been acknowledged."
    return None


def _guidance_reason(patient: Patient, source: Source | None) -> str | None:
    """The emergency guidance belongs to one hold: not sent once that hold is over."""
    if source is None or source.prefix != "hold" or patient.medical_hold_since != source.since:
        return "The medical hold this guidance was for has been cleared."
    return None


def _unreachable(notification: Notification) -> str:
    return (
        f"The patient can no longer be reached by {notification.get_channel_display()} "
        "(consent withdrawn, or no address or device)."
    )
