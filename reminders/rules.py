"""Reminder decisions: when a local time happens, which channel may be used, and the
reasons (an appointment changed, a patient left or is on hold) a message is no longer
right.

Kept small and pure so the planner (which decides in bulk) and the delivery task's
last check of one row (`reminders.cancel_rules`) apply the very same rules.

`Notification.source` says what a message is about; its formats are in
`reminders.sources` (re-exported here).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from appointments.models import Appointment
from core.localtime import local_today
from patients.models import Patient

from .models import Channel, Kind
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


# --- time ----------------------------------------------------------------------------


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
    day = local_today(tz, now)
    for offset in range(3):
        instant = local_instant(tz, day + datetime.timedelta(days=offset), patient.quiet_hours_end)
        if instant is not None and instant > now:
            return instant
    return now  # unreachable with a real zone; never schedule in the past


# --- reasons a planned message is no longer right --------------------------------


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
