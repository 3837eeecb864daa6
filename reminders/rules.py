"""Reminder decisions: when a local time happens, which channel may be used, and why a
planned message must not go out after all.

Kept small and mostly pure so the planner (which decides in bulk) and the delivery task
(which re-checks one row just before sending) apply the very same rules.

`Notification.source` says what a message is about; its formats are in
`reminders.sources` (re-exported here).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from outcomes.models import QuestionnaireResponse
from outcomes.schedule import day_start
from patients.models import ClinicalAlert, Patient
from practice.models import Appointment
from practice.zones import known_zone, zone_of
from programs.models import ExerciseSession, Prescription

from . import selectors
from . import staff as staff_reach
from .models import Channel, Device, Kind, Notification, StaffDevice
from .sources import (  # noqa: F401 (the planner and tests read them from here)
    ALERT_PREFIXES,
    Source,
    alert_source,
    appointment_source,
    digest_source,
    escalation_source,
    format_hours,
    hold_source,
    inactive_source,
    nudge_source,
    parse_source,
    prescription_source,
    questionnaire_source,
    routine_source,
)

UTC = datetime.UTC

# Appointment states that still want a reminder. ATTENDED counts as booked for the
# therapist's calendar, but reminding someone of a visit they made is noise.
REMINDABLE_APPOINTMENT_STATUSES = (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED)

# Every reason for an appointment change starts with this, so the planner can tell a row
# it cancelled itself (and may revive when the appointment moves back) from one an
# operator cancelled by hand.
APPOINTMENT_REASON_PREFIX = "The appointment "

# Messages that can wake someone up; email does not, so it is allowed in quiet hours.
WAKING_CHANNELS = frozenset({Channel.SMS, Channel.PUSH})

# Messages to staff; the patient's quiet hours and consent do not apply to them.
STAFF_KINDS = frozenset(
    {Kind.INACTIVITY_ALERT, Kind.URGENT_ALERT, Kind.ESCALATION, Kind.ROUTINE_ALERT, Kind.DIGEST}
)


# --- time ------------------------------------------------------------------------------


def zone(name: str) -> ZoneInfo | None:
    """The patient's IANA zone; None for a name the system does not know (bad data must
    cost one patient their reminders, not stop the planner for everyone)."""
    return known_zone(name)


def local_instant(tz: ZoneInfo, day: datetime.date, at: datetime.time) -> datetime.datetime | None:
    """The UTC instant at which the wall clock in `tz` shows `at` on `day`.

    Why these choices, for a reminder the patient set for a local time:
    - A time that happens twice (autumn fall-back) fires once, at the first occurrence
      (fold=0): the patient meant "at 01:30", not "at 01:30 and again an hour later".
    - A time that does not exist (spring-forward gap) fires at the first minute after the
      gap (02:30 in New York on the spring-forward night -> 03:00 EDT; 02:15 on Lord Howe,
      whose clocks jump 30 minutes -> 02:30): skipping it would lose the day's reminder.
    - None when the gap swallows the rest of that local day (a zone that skipped a whole
      date, or jumped past midnight): a reminder fires on its own local date or not at all.
    """
    wall = datetime.datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=tz).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == wall:
        return first
    # In a gap fold=0 reads the wall time with the offset before the jump, which lands
    # after the transition; fold=1 reads it with the offset after, landing before it.
    # The transition (the first valid instant) lies between: find it to the second.
    before = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    after = first
    offset_after = after.astimezone(tz).utcoffset()
    low, high = before, after
    while high - low > datetime.timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            break
        if middle.astimezone(tz).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    # Transitions fall on whole minutes in practice; round up to be "a valid minute".
    if high.second or high.microsecond:
        high = high.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    if high.astimezone(tz).date() != day:
        return None
    return high


def quiet(patient: Patient, local_dt: datetime.datetime) -> bool:
    """Whether `local_dt` (the patient's wall clock) is inside their quiet hours.

    US texting norms keep non-urgent texts and pushes to 08:00-21:00 recipient time; the
    patient's own quiet hours (default 21:00-08:00) are that window, and a patient may
    widen or move it. The window may wrap midnight; start == end means no quiet hours.
    """
    start, end = patient.quiet_hours_start, patient.quiet_hours_end
    if start == end:
        return False
    now = local_dt.time().replace(tzinfo=None)
    if start < end:
        return start <= now < end
    return now >= start or now < end


def patient_channel(
    patient: Patient, *, local_dt: datetime.datetime, has_device: bool
) -> str | None:
    """The one channel for a reminder to `patient` at `local_dt` (their wall clock).

    Push first (free, and the app is where the exercises are), then SMS, then email;
    each needs the patient's consent for that channel and an address to use. Push and
    SMS are skipped inside quiet hours: email may still go, since it wakes nobody.
    None when no channel is allowed: nothing is sent.
    """
    awake = not quiet(patient, local_dt)
    if awake and patient.consent_push and has_device:
        return Channel.PUSH
    if awake and patient.consent_sms and patient.phone:
        return Channel.SMS
    if patient.consent_email and patient.email:
        return Channel.EMAIL
    return None


def channel_allowed(patient: Patient, channel: str, *, has_device: bool) -> bool:
    """Consent plus an address: whether `channel` may reach the patient at all."""
    if channel == Channel.PUSH:
        return bool(patient.consent_push and has_device)
    if channel == Channel.SMS:
        return bool(patient.consent_sms and patient.phone)
    if channel == Channel.EMAIL:
        return bool(patient.consent_email and patient.email)
    return False


def next_quiet_end(patient: Patient, tz: ZoneInfo, now: datetime.datetime) -> datetime.datetime:
    """The next instant after `now` at which the patient's quiet hours end."""
    day = now.astimezone(tz).date()
    for offset in range(3):
        instant = local_instant(tz, day + datetime.timedelta(days=offset), patient.quiet_hours_end)
        if instant is not None and instant > now:
            return instant
    return now  # unreachable with a real zone; never schedule in the past


# --- cancelling ------------------------------------------------------------------------


def appointment_reason(
    appointment: Appointment | None, *, lead_hours: float, scheduled_for: datetime.datetime
) -> str | None:
    """Why an appointment reminder planned for `scheduled_for` is no longer right."""
    if appointment is None:
        return f"{APPOINTMENT_REASON_PREFIX}no longer exists."
    if appointment.status not in REMINDABLE_APPOINTMENT_STATUSES:
        return f"{APPOINTMENT_REASON_PREFIX}is {appointment.get_status_display().lower()}."
    if appointment.starts_at - datetime.timedelta(hours=lead_hours) != scheduled_for:
        return (
            f"{APPOINTMENT_REASON_PREFIX}was moved to "
            f"{appointment.starts_at:%Y-%m-%d %H:%M} UTC; this reminder was for the old time."
        )
    return None


def patient_reason(patient: Patient) -> str | None:
    """A discharged or archived patient gets nothing, whatever was planned."""
    if patient.status != Patient.Status.ACTIVE:
        return f"The patient is {patient.get_status_display().lower()}."
    return None


MEDICAL_HOLD_REASON = "The patient is on medical hold after a positive red-flag screen."
REFERRAL_HOLD_REASON = (
    "The patient is on hold until a physician has seen them (serious-pathology flag)."
)
# What a hold stops: the exercise program and everything that asks the patient to act
# on it. Appointment reminders go on (the patient should still come in); the emergency
# guidance goes out because of the hold.
HELD_KINDS = (Kind.EXERCISE, Kind.QUESTIONNAIRE, Kind.NUDGE, Kind.INACTIVITY_ALERT)


def hold_reason(patient: Patient) -> str | None:
    """Either hold stops the program's messages; the reason says which hold."""
    if patient.on_medical_hold:
        return MEDICAL_HOLD_REASON
    if patient.on_referral_hold:
        return REFERRAL_HOLD_REASON
    return None


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
    answered = QuestionnaireResponse.objects.filter(
        patient=patient,
        code=source.code,
        answered_at__gte=day_start(patient, source.day),
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


def cancel_reason(notification: Notification, *, now: datetime.datetime) -> str | None:
    """Why this pending or claimed notification must not be sent now; None to send it.

    The delivery task asks just before sending, because the world moves between planning
    and sending: a program is paused, an appointment cancelled, a consent withdrawn, or
    a retry lands inside the patient's quiet hours. A few queries at most.
    """
    source = parse_source(notification.source)
    kind = notification.kind

    if kind in (Kind.URGENT_ALERT, Kind.ESCALATION, Kind.ROUTINE_ALERT):
        # Safety first: an alert goes out at any hour and for any patient status, until
        # someone has acknowledged or resolved it.
        return _alert_reason(source) or _staff_reason(notification)

    if kind == Kind.DIGEST:
        if notification.staff is not None and not selectors.open_alerts_for(notification.staff):
            return "No alert is open any more."
        return _staff_reason(notification)

    if kind == Kind.INACTIVITY_ALERT:
        if source is None or source.prefix != "inactive":
            return _staff_reason(notification)
        patient = Patient.objects.filter(pk=source.object_id).first()
        if patient is None:
            return "The patient no longer exists."
        status = (
            Prescription.objects.filter(patient=patient, status__in=Prescription.OPEN_STATUSES)
            .values_list("status", flat=True)
            .first()
        )
        return (
            patient_reason(patient)
            or _program_reason(patient, status)
            or _active_since(patient.pk, notification)
            or _staff_reason(notification)
        )

    patient = notification.patient
    if patient is None:  # a staff message of a kind this module does not know
        return _staff_reason(notification)
    reason = patient_reason(patient)
    if reason:
        return reason

    if kind == Kind.HOLD_GUIDANCE:
        # The emergency path: any hour, quiet hours or not; consent still applies.
        reason = _guidance_reason(patient, source)
        has_device = (
            notification.channel == Channel.PUSH and Device.objects.filter(patient=patient).exists()
        )
        if reason is None and not channel_allowed(
            patient, notification.channel, has_device=has_device
        ):
            reason = _unreachable(notification)
        return reason

    if kind == Kind.EXERCISE and source is not None and source.prefix == "prescription":
        status = (
            Prescription.objects.filter(pk=source.object_id)
            .values_list("status", flat=True)
            .first()
        )
        reason = _program_reason(patient, status)
    elif kind == Kind.NUDGE:
        status = (
            Prescription.objects.filter(patient=patient, status__in=Prescription.OPEN_STATUSES)
            .values_list("status", flat=True)
            .first()
        )
        reason = _program_reason(patient, status) or _active_since(patient.pk, notification)
    elif kind == Kind.APPOINTMENT and source is not None and source.prefix == "appointment":
        appointment = Appointment.objects.filter(pk=source.object_id).first()
        reason = appointment_reason(
            appointment,
            lead_hours=source.lead_hours or 0,
            scheduled_for=notification.scheduled_for,
        )
        if reason is None and appointment is not None and appointment.starts_at <= now:
            reason = f"{APPOINTMENT_REASON_PREFIX}has already started."
    elif kind == Kind.QUESTIONNAIRE:
        # An inactive patient was already refused above (`patient_reason`).
        reason = hold_reason(patient)
        if reason is None and source is not None and source.prefix == "questionnaire":
            reason = _questionnaire_reason(patient, source)
    if reason:
        return reason

    has_device = (
        notification.channel == Channel.PUSH and Device.objects.filter(patient=patient).exists()
    )
    if not channel_allowed(patient, notification.channel, has_device=has_device):
        return _unreachable(notification)

    if notification.channel in WAKING_CHANNELS:
        local_now = now.astimezone(zone_of(patient.time_zone))
        if quiet(patient, local_now):
            return (
                f"{local_now:%H:%M} is inside the patient's quiet hours "
                f"({patient.quiet_hours_start:%H:%M}-{patient.quiet_hours_end:%H:%M})."
            )
    return None
