"""Why a planned message must not go out after all: the delivery asks just before
sending (`cancel_reason`), because the world moves between planning and sending.

The planner decides in bulk by the same rules (`reminders.rules`). Here the rules run in
Python over facts loaded for a whole delivery batch (`reminders.delivery_facts`), and
at the time they were loaded for (`DeliveryFacts.now`). A patient's zone
here is `core.localtime.patient_zone`: a name that no longer resolves reads as UTC,
while the planner plans nothing new for such a patient (`reminders.planner.base.Zones`).
"""

from __future__ import annotations

from core.localtime import local_midnight, patient_zone
from patients.models import Patient
from programs.models import Prescription

from . import staff as staff_reach
from .delivery_facts import STAFF_KINDS, DeliveryFacts
from .models import Channel, Kind, Notification
from .rules import (
    APPOINTMENT_REASON_PREFIX,
    appointment_reason,
    channel_allowed,
    hold_reason,
    patient_reason,
    quiet,
)
from .sources import ALERT_PREFIXES, Source

# Messages that can wake someone up; email does not, so it is allowed in quiet hours.
WAKING_CHANNELS = frozenset({Channel.SMS, Channel.PUSH})


def cancel_reason(notification: Notification, *, facts: DeliveryFacts) -> str | None:
    """Why this pending or claimed notification must not be sent now; None to send it.

    The delivery asks just before sending, because the world moves between planning
    and sending: a program is paused, an appointment cancelled, a consent withdrawn, or
    a retry lands inside the patient's quiet hours. `facts` are those loaded for the
    batch the row is in (`delivery_facts_load`), as of the delivery's `now`.
    """
    source = facts.source(notification)
    # Messages to staff: the patient's quiet hours and consent do not apply to them.
    if notification.kind in STAFF_KINDS:
        return _staff_message_reason(notification, source, facts)
    patient = notification.patient
    if patient is None:  # a staff message of a kind this module does not know
        return _staff_reason(notification, facts)
    reason = patient_reason(patient)
    if reason:
        return reason
    if notification.kind == Kind.HOLD_GUIDANCE:
        return _guidance_delivery_reason(notification, patient, source, facts)
    return _kind_reason(notification, patient, source, facts) or _channel_reason(
        notification, patient, facts
    )


def _staff_message_reason(
    notification: Notification, source: Source | None, facts: DeliveryFacts
) -> str | None:
    if notification.kind == Kind.DIGEST:
        staff = notification.staff
        if staff is not None and not facts.digest_alerts.get(staff.pk):
            return "No alert is open any more."
        return _staff_reason(notification, facts)
    if notification.kind == Kind.INACTIVITY_ALERT:
        return _inactivity_alert_reason(notification, source, facts)
    # Safety first: an alert goes out at any hour and for any patient status, until
    # someone has acknowledged or resolved it.
    return _alert_reason(source, facts) or _staff_reason(notification, facts)


def _inactivity_alert_reason(
    notification: Notification, source: Source | None, facts: DeliveryFacts
) -> str | None:
    if source is None or source.prefix != "inactive":
        return _staff_reason(notification, facts)
    patient = facts.subjects.get(source.object_id)
    if patient is None:
        return "The patient no longer exists."
    return (
        patient_reason(patient)
        or _program_reason(patient, facts.open_program_status.get(patient.pk))
        or _active_since(patient.pk, notification, facts)
        or _staff_reason(notification, facts)
    )


def _guidance_delivery_reason(
    notification: Notification, patient: Patient, source: Source | None, facts: DeliveryFacts
) -> str | None:
    """The emergency path: any hour, quiet hours or not; consent still applies."""
    reason = _guidance_reason(patient, source)
    has_device = _has_device(notification, patient, facts)
    if reason is None and not channel_allowed(patient, notification.channel, has_device=has_device):
        reason = _unreachable(notification)
    return reason


def _kind_reason(
    notification: Notification, patient: Patient, source: Source | None, facts: DeliveryFacts
) -> str | None:
    """What the message is about, where that may have changed since it was planned."""
    kind = notification.kind
    if kind == Kind.EXERCISE and source is not None and source.prefix == "prescription":
        return _program_reason(patient, facts.prescription_status.get(source.object_id))
    if kind == Kind.NUDGE:
        return _program_reason(patient, facts.open_program_status.get(patient.pk)) or _active_since(
            patient.pk, notification, facts
        )
    if kind == Kind.APPOINTMENT and source is not None and source.prefix == "appointment":
        return _appointment_delivery_reason(notification, source, facts)
    if kind == Kind.QUESTIONNAIRE:
        # An inactive patient was already refused (`patient_reason`).
        reason = hold_reason(patient)
        if reason is None and source is not None and source.prefix == "questionnaire":
            reason = _questionnaire_reason(patient, source, facts)
        return reason
    return None


def _appointment_delivery_reason(
    notification: Notification, source: Source, facts: DeliveryFacts
) -> str | None:
    appointment = facts.appointments.get(source.object_id)
    reason = appointment_reason(
        appointment,
        lead_hours=source.lead_hours or 0,
        scheduled_for=notification.scheduled_for,
    )
    if reason is None and appointment is not None and appointment.starts_at <= facts.now:
        reason = f"{APPOINTMENT_REASON_PREFIX}has already started."
    return reason


def _channel_reason(
    notification: Notification, patient: Patient, facts: DeliveryFacts
) -> str | None:
    """The channel must still reach the patient, and not wake them in quiet hours."""
    if not channel_allowed(
        patient, notification.channel, has_device=_has_device(notification, patient, facts)
    ):
        return _unreachable(notification)
    if notification.channel in WAKING_CHANNELS:
        local_now = facts.now.astimezone(patient_zone(patient))
        if quiet(patient, local_now):
            return (
                f"{local_now:%H:%M} is inside the patient's quiet hours "
                f"({patient.quiet_hours_start:%H:%M}-{patient.quiet_hours_end:%H:%M})."
            )
    return None


def _has_device(notification: Notification, patient: Patient, facts: DeliveryFacts) -> bool:
    """Whether a push can reach the patient (asked only for a push)."""
    return notification.channel == Channel.PUSH and patient.pk in facts.patient_tokens


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


def _active_since(patient_id: int, notification: Notification, facts: DeliveryFacts) -> str | None:
    """A session logged after the inactivity message was planned ends the streak."""
    last = facts.last_session_at.get(patient_id)
    logged = last is not None and last > notification.created_at
    return "The patient has logged a session since." if logged else None


def _questionnaire_reason(patient: Patient, source: Source, facts: DeliveryFacts) -> str | None:
    """Answered on or after the local date it became due: nothing left to remind of."""
    if source.day is None or source.code is None:  # `parse_source` gives both
        return None
    last = facts.answered_at.get((patient.pk, source.code))
    answered = last is not None and last >= local_midnight(source.day, patient_zone(patient))
    return "The questionnaire has been answered since it was due." if answered else None


def _staff_reason(notification: Notification, facts: DeliveryFacts) -> str | None:
    """Whether the row's staff member may still hear of the clinic's alerts (same clinic,
    a clinician or clinic admin) and its channel still reaches them (consent, address)."""
    staff = notification.staff
    if staff is None:
        return "No staff member to tell."
    refusal = staff_reach.role_refusal(staff, clinic_id=notification.clinic_id)
    if refusal:
        return refusal
    has_device = notification.channel == Channel.PUSH and staff.pk in facts.staff_tokens
    return staff_reach.channel_refusal(
        staff, notification.channel, contact=staff_reach.contact_of(staff), has_device=has_device
    )


def _alert_reason(source: Source | None, facts: DeliveryFacts) -> str | None:
    """A message about an alert goes out only while the alert is open."""
    if source is None or source.prefix not in ALERT_PREFIXES:
        return None
    state = facts.alert_state.get(source.object_id)
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
