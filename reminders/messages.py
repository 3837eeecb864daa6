"""What a notification says and where it goes.

Texts and pushes can be read on a lock screen, so they never name a diagnosis, a
symptom or the clinic's specialty: a generic line and a link into the app. Staff
emails point at the admin, where the details are behind a login.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .channels import Message
from .models import Channel, Kind, Notification
from .rules import parse_source

_PATIENT_TEXT = {
    Kind.EXERCISE: ("Time for your exercises", "It's time for today's exercises."),
    Kind.APPOINTMENT: ("Appointment reminder", "You have an appointment coming up."),
    Kind.QUESTIONNAIRE: ("A short check-in", "A short check-in questionnaire is ready for you."),
    Kind.NUDGE: ("We miss you", "Your next session is waiting; a little movement each day helps."),
}

_STAFF_TEXT = {
    Kind.URGENT_ALERT: (
        "URGENT: a patient needs you today",
        "A patient reported symptoms that need same-day attention. Open the alert:",
    ),
    Kind.INACTIVITY_ALERT: (
        "A patient has stopped logging sessions",
        "A patient of yours has logged no exercise session for a week. See their record:",
    ),
}


def address(notification: Notification) -> str:
    """The recipient's current address on the notification's channel ('' if none)."""
    if notification.staff_id:
        return notification.staff.user.email if notification.channel == Channel.EMAIL else ""
    patient = notification.patient
    if notification.channel == Channel.EMAIL:
        return patient.email
    if notification.channel == Channel.SMS:
        return str(patient.phone) if patient.phone else ""
    device = patient.devices.order_by("-last_seen_at").first()
    return device.token if device else ""


def compose(notification: Notification, *, to: str) -> Message:
    if notification.staff_id:
        subject, line = _STAFF_TEXT[notification.kind]
        source = parse_source(notification.source)
        if notification.kind == Kind.INACTIVITY_ALERT and source is not None:
            path = reverse("admin:patients_patient_change", args=[source.object_id])
        else:
            path = reverse("admin:patients_clinicalalert_changelist")
        body = f"{line} {settings.SITE_URL.rstrip('/')}{path}"
    else:
        subject, line = _PATIENT_TEXT[notification.kind]
        body = f"{line} Open the app: {settings.REMINDERS_APP_LINK}"
    return Message(
        notification_id=notification.id,
        channel=notification.channel,
        kind=notification.kind,
        to=to,
        scheduled_for=notification.scheduled_for,
        subject=subject,
        body=body,
    )
