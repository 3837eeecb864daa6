"""What a notification says and where it goes.

Texts and pushes can be read on a lock screen, so they never name a diagnosis, a
symptom or the clinic's specialty: a generic line and a link into the app. Staff
emails point at the admin, where the details are behind a login.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.localtime import zone_of
from patients.models import Patient
from patients.services import EMERGENCY_GUIDANCE
from practice.models import StaffMember

from . import staff as staff_reach
from .channels import Message
from .delivery_facts import DeliveryFacts
from .models import Channel, Kind, Notification
from .sources import ALERT_PREFIXES

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

# In the patient's language when the row is composed (`compose`), so lazy here.
_PATIENT_TEXT: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    Kind.EXERCISE: (
        gettext_lazy("Time for your exercises"),
        gettext_lazy("It's time for today's exercises."),
    ),
    Kind.APPOINTMENT: (
        gettext_lazy("Appointment reminder"),
        gettext_lazy("You have an appointment coming up."),
    ),
    Kind.QUESTIONNAIRE: (
        gettext_lazy("A short check-in"),
        gettext_lazy("A short check-in questionnaire is ready for you."),
    ),
    Kind.NUDGE: (
        gettext_lazy("We miss you"),
        gettext_lazy("Your next session is waiting; a little movement each day helps."),
    ),
    # The emergency path: what to do now, and nothing about why.
    Kind.HOLD_GUIDANCE: (gettext_lazy("Please act on this now"), EMERGENCY_GUIDANCE),
}

_STAFF_TEXT: dict[str, tuple[str, str]] = {
    Kind.URGENT_ALERT: (
        "URGENT: a patient needs you today",
        "A patient reported symptoms that need same-day attention. Open the alert:",
    ),
    Kind.INACTIVITY_ALERT: (
        "A patient has stopped logging sessions",
        "A patient of yours has logged no exercise session for a week. See their record:",
    ),
    Kind.ESCALATION: (
        "URGENT: an alert is still unacknowledged",
        "An urgent alert at your clinic has not been acknowledged yet. Open it:",
    ),
    Kind.ROUTINE_ALERT: (
        "A patient's alert is waiting for you",
        "A new alert about a patient of yours is waiting for review. Open it:",
    ),
    Kind.DIGEST: ("Open alerts this morning", "Alerts still open at your clinic:"),
}


def address(notification: Notification, *, facts: DeliveryFacts) -> str:
    """The recipient's current address on the notification's channel ('' if none);
    `facts` as loaded for the row's batch (`reminders.delivery_facts`)."""
    if notification.staff is not None:
        return _staff_address(notification.staff, notification.channel, facts)
    if notification.patient is not None:
        return _patient_address(notification.patient, notification.channel, facts)
    return ""


def _staff_address(staff: StaffMember, channel: str, facts: DeliveryFacts) -> str:
    if channel == Channel.EMAIL:
        return staff.user.email
    if channel == Channel.SMS:
        contact = staff_reach.contact_of(staff)
        return str(contact.phone) if contact is not None and contact.phone else ""
    return facts.staff_tokens.get(staff.pk, "")


def _patient_address(patient: Patient, channel: str, facts: DeliveryFacts) -> str:
    if channel == Channel.EMAIL:
        return patient.email
    if channel == Channel.SMS:
        return str(patient.phone) if patient.phone else ""
    return facts.patient_tokens.get(patient.pk, "")


def compose(notification: Notification, *, to: str, facts: DeliveryFacts) -> Message:
    """The message for a row; `facts` as for `address` (a digest lists its alerts).
    A patient's in their language (blank: the clinic default, English); staff texts
    in English, whatever language the thread sending them has active."""
    # A staff row may name the patient it is about; it is still written to the staff.
    patient = None if notification.staff_id else notification.patient
    language = patient_language(patient) if patient is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        return _compose(notification, to=to, facts=facts)


def patient_language(patient: Patient) -> str:
    """The language a patient's messages are written in: theirs, else the clinic
    default (English). The inbox shows them in it too, as they were sent."""
    return patient.language or settings.LANGUAGE_CODE


def _compose(notification: Notification, *, to: str, facts: DeliveryFacts) -> Message:
    if notification.staff_id:
        subject, line = _STAFF_TEXT[notification.kind]
        source = facts.source(notification)
        if notification.kind == Kind.DIGEST:
            body = _digest(notification, line, facts)
        elif notification.kind == Kind.INACTIVITY_ALERT and source is not None:
            body = f"{line} {_link('admin:patients_patient_change', source.object_id)}"
        elif source is not None and source.prefix in ALERT_PREFIXES:
            body = f"{line} {_link('admin:patients_clinicalalert_change', source.object_id)}"
        else:
            body = f"{line} {_link('admin:patients_clinicalalert_changelist')}"
    else:
        title, text = _PATIENT_TEXT[notification.kind]
        subject = str(title)
        body = _("{line} Open the app: {link}").format(line=text, link=settings.REMINDERS_APP_LINK)
    return Message(
        notification_id=notification.id,
        channel=notification.channel,
        kind=notification.kind,
        to=to,
        scheduled_for=notification.scheduled_for,
        subject=subject,
        body=body,
    )


def _link(name: str, *args: object) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse(name, args=args)}"


def _digest(notification: Notification, line: str, facts: DeliveryFacts) -> str:
    """What is open now, each a link; by email, a line per alert with when it was raised
    (clinic time), by push only how many. No patient, no symptom: those are behind the
    links, in the admin."""
    staff = notification.staff
    alerts = facts.digest_alerts.get(staff.pk, []) if staff is not None else []
    inbox = _link("admin:patients_clinicalalert_changelist")
    if notification.channel != Channel.EMAIL:
        return f"{len(alerts)} alert(s) still open at your clinic. Open the inbox: {inbox}"
    tz = notification.clinic.time_zone
    lines = [f"{line} {len(alerts)}."]
    for alert in alerts:
        raised = timezone.localtime(alert.created_at, zone_of(tz))
        urgency = "URGENT, " if alert.severity == alert.Severity.URGENT else ""
        lines.append(
            f"- {urgency}raised {raised:%a %d %b %H:%M}: "
            f"{_link('admin:patients_clinicalalert_change', alert.pk)}"
        )
    lines.append(f"The inbox: {inbox}")
    return "\n".join(lines)


def patient_text(kind: str) -> tuple[str, str]:
    """(title, line) of a message to a patient, in the active language, as `compose`
    writes it without the link: what the app's inbox shows."""
    title, line = _PATIENT_TEXT.get(kind, ("", ""))
    return str(title), str(line)
