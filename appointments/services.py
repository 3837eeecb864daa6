"""Booking, moving and closing appointments, and entering a visit after it happened.

A patient is in one booked appointment at a time, with any therapist, and a therapist
sees one patient at a time; each write locks the patient's row, then the therapist's
(see `_lock_patient`).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import dates
from core.localtime import local_date, zone_of
from core.records import record_save
from core.transitions import check_transition
from patients.models import Patient
from practice.models import Clinic, StaffMember, User
from practice.tenancy import ensure_same_clinic

from .models import Appointment
from .selectors import UPCOMING_STATUSES

# Appointments keep to the years of the practice's records: a time outside them is a
# typing slip.
_OUT_OF_RANGE = (
    f"Choose a time between the years {dates.EARLIEST_RECORD.year} and {dates.LATEST_RECORD.year}."
)

# An appointment's length in minutes: a short check-in to a full working day.
MIN_DURATION, MAX_DURATION = 5, 480

# Which status an appointment may move to from each status. Attended, cancelled and
# no-show are outcomes: correcting one is a new booking, not an edit of history.
_APPOINTMENT_TRANSITIONS: dict[str, set[str]] = {
    Appointment.Status.SCHEDULED: {
        Appointment.Status.CONFIRMED,
        Appointment.Status.ATTENDED,
        Appointment.Status.CANCELLED,
        Appointment.Status.NO_SHOW,
    },
    Appointment.Status.CONFIRMED: {
        Appointment.Status.ATTENDED,
        Appointment.Status.CANCELLED,
        Appointment.Status.NO_SHOW,
    },
    Appointment.Status.ATTENDED: set(),
    Appointment.Status.CANCELLED: set(),
    Appointment.Status.NO_SHOW: set(),
}


def _check_therapist(clinic: Clinic, therapist: StaffMember) -> None:
    ensure_same_clinic(clinic, therapist=therapist)
    if not therapist.is_clinician:
        raise ValidationError({"therapist": f"{therapist} is not a clinician; book a clinician."})


def _check_duration(duration: object) -> int:
    if (
        isinstance(duration, bool)
        or not isinstance(duration, int)
        or not MIN_DURATION <= duration <= MAX_DURATION
    ):
        raise ValidationError(
            {"duration_minutes": f"Use a duration from {MIN_DURATION} to {MAX_DURATION} minutes."}
        )
    return duration


def _check_telehealth_url(url: str | None) -> None:
    # The patient's phone opens it and it carries the visit: https only, never plain http.
    if url and not url.lower().startswith("https://"):
        raise ValidationError({"telehealth_url": "The video link must start with https://."})


def _ends_at(starts_at: datetime.datetime, duration_minutes: object) -> datetime.datetime:
    """The end of an appointment of that start and duration, both checked first."""
    duration = _check_duration(duration_minutes)
    if starts_at.tzinfo is None:
        raise ValidationError({"starts_at": "Give the time with its time zone or UTC offset."})
    # The start is checked before any arithmetic: 9999-12-31 plus an hour overflows.
    in_range = dates.EARLIEST_RECORD_TIME <= starts_at < dates.RECORD_TIMES_END
    if not in_range or starts_at + datetime.timedelta(minutes=duration) > dates.RECORD_TIMES_END:
        raise ValidationError({"starts_at": _OUT_OF_RANGE})
    return starts_at + datetime.timedelta(minutes=duration)


def _check_not_in_past(starts_at: datetime.datetime) -> None:
    # A booking made "for now" from a device whose clock runs a little behind is still a
    # booking, not a past visit.
    if starts_at < timezone.now() - dates.CLOCK_SKEW:
        raise ValidationError(
            {
                "starts_at": "An appointment cannot start in the past. To enter a visit that "
                "already happened, record a past visit and give the reason."
            }
        )


def _lock_patient(patient: Patient) -> Patient:
    """The patient row, locked: every booking of the patient queues behind it.

    The overlap checks read the patient's and the therapist's diaries and then insert;
    without a lock two desks could both pass the check and both insert. Bookings lock
    the patient first and the therapist second, always in that order, so two bookings
    never wait for each other in a cycle. A discharge locks the same row, so a booking
    racing it sees the patient discharged. (A PostgreSQL exclusion constraint on
    (patient, tstzrange) would need btree_gist and would not exist on the SQLite demo
    database; the lock gives one behaviour on both.)
    """
    rows = type(patient)._default_manager.select_related("clinic")
    return rows.select_for_update(of=("self",)).get(pk=patient.pk)


def _window(clinic: Clinic, starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    """A time span as the clinic reads it, e.g. "2026-12-02 09:00 to 09:45 (America/New_York)"."""
    zone = zone_of(clinic.time_zone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M} to {end_text} ({clinic.time_zone})"


def _check_both_are_free(
    *,
    patient: Patient,
    therapist: StaffMember,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    exclude_id: int | None = None,
) -> None:
    """Neither the patient nor the therapist may be in two booked appointments at once.

    The caller holds the patient's row lock (`_lock_patient`); the therapist's row lock
    taken here serializes bookings of one therapist across patients."""
    StaffMember.objects.select_for_update().filter(pk=therapist.pk).first()
    overlapping = (
        Appointment.objects.filter(
            status__in=Appointment.BOOKED_STATUSES, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .select_related("therapist__user")
        .order_by("starts_at")
    )
    if exclude_id is not None:
        overlapping = overlapping.exclude(pk=exclude_id)
    clash = overlapping.filter(patient=patient).first()
    if clash is not None:
        raise ValidationError(
            {
                "starts_at": f"{patient.full_name} already has an appointment from "
                f"{_window(patient.clinic, clash.starts_at, clash.ends_at)} "
                f"with {clash.therapist}."
            }
        )
    clash = overlapping.filter(therapist=therapist).first()
    if clash is not None:
        raise ValidationError(
            {
                "starts_at": f"{therapist} is already booked from "
                f"{_window(patient.clinic, clash.starts_at, clash.ends_at)}."
            }
        )


@transaction.atomic
def appointment_book(
    *,
    patient: Patient,
    therapist: StaffMember,
    starts_at: datetime.datetime,
    duration_minutes: int = 45,
    kind: str = Appointment.Kind.FOLLOW_UP,
    notes: str = "",
    location: str = "",
    telehealth_url: str = "",
    actor: User | None = None,
) -> Appointment:
    """Book an appointment still to come (a visit already past: `appointment_record_past`)."""
    _check_therapist(patient.clinic, therapist)
    _check_telehealth_url(telehealth_url)
    ends_at = _ends_at(starts_at, duration_minutes)
    _check_not_in_past(starts_at)
    patient = _lock_patient(patient)
    if patient.status != patient.Status.ACTIVE:
        raise ValidationError({"patient": f"{patient} is {patient.get_status_display().lower()}."})
    _check_both_are_free(patient=patient, therapist=therapist, starts_at=starts_at, ends_at=ends_at)
    appointment = Appointment(
        patient=patient,
        therapist=therapist,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        ends_at=ends_at,
        kind=kind,
        notes=notes,
        location=location,
        telehealth_url=telehealth_url,
    )
    record_save(appointment, actor=actor)
    return appointment


# Outcomes that say what happened at the appointment, so it must have begun; they are
# also what a visit entered afterwards can have been.
PAST_VISIT_STATUSES = (Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW)


@transaction.atomic
def appointment_record_past(
    *,
    patient: Patient,
    therapist: StaffMember,
    starts_at: datetime.datetime,
    reason: str,
    duration_minutes: int = 45,
    kind: str = Appointment.Kind.FOLLOW_UP,
    status: str = Appointment.Status.ATTENDED,
    notes: str = "",
    location: str = "",
    telehealth_url: str = "",
    actor: User | None = None,
) -> Appointment:
    """Enter a visit that already happened (or was missed), with why it is entered late.

    It is stored with its outcome, so it is never reminded of: reminders are planned
    only for scheduled and confirmed appointments still to come."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"late_entry_reason": "Say why this visit is recorded after it happened."}
        )
    if status not in PAST_VISIT_STATUSES:
        raise ValidationError({"status": "A past visit is recorded as attended or no-show."})
    _check_therapist(patient.clinic, therapist)
    _check_telehealth_url(telehealth_url)
    ends_at = _ends_at(starts_at, duration_minutes)
    if starts_at > timezone.now():
        raise ValidationError(
            {"starts_at": "This visit has not started yet; book it as an appointment instead."}
        )
    patient = _lock_patient(patient)
    if patient.status == patient.Status.ARCHIVED:
        raise ValidationError({"patient": f"{patient} is archived; reactivate the patient first."})
    if status in Appointment.BOOKED_STATUSES:
        _check_both_are_free(
            patient=patient, therapist=therapist, starts_at=starts_at, ends_at=ends_at
        )
    appointment = Appointment(
        patient=patient,
        therapist=therapist,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        ends_at=ends_at,
        kind=kind,
        status=status,
        notes=notes,
        location=location,
        telehealth_url=telehealth_url,
        late_entry_reason=reason,
    )
    record_save(appointment, actor=actor)
    return appointment


@transaction.atomic
def appointment_reschedule(
    *,
    appointment: Appointment,
    starts_at: datetime.datetime,
    duration_minutes: int | None = None,
    therapist: StaffMember | None = None,
    actor: User | None = None,
) -> Appointment:
    patient = _lock_patient(appointment.patient)
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status not in (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED):
        raise ValidationError(
            f"A {locked.get_status_display().lower()} appointment cannot be moved."
        )
    if patient.status != patient.Status.ACTIVE:
        raise ValidationError({"patient": f"{patient} is {patient.get_status_display().lower()}."})
    therapist = therapist or locked.therapist
    _check_therapist(patient.clinic, therapist)
    duration = locked.duration_minutes if duration_minutes is None else duration_minutes
    ends_at = _ends_at(starts_at, duration)
    if starts_at != locked.starts_at:
        _check_not_in_past(starts_at)
    _check_both_are_free(
        patient=patient,
        therapist=therapist,
        starts_at=starts_at,
        ends_at=ends_at,
        exclude_id=appointment.pk,
    )
    appointment.therapist = therapist
    appointment.starts_at = starts_at
    appointment.duration_minutes = duration
    appointment.ends_at = ends_at
    # A check-in is an arrival for that day's visit (arrivals.appointment_check_in): a
    # visit moved within its day keeps its patient in the waiting room, one moved to
    # another day has not been arrived for. Read from the locked row, not the caller's.
    zone = zone_of(patient.clinic.time_zone)
    same_day = local_date(starts_at, zone) == local_date(locked.starts_at, zone)
    appointment.checked_in_at = locked.checked_in_at if same_day else None
    appointment.status = Appointment.Status.SCHEDULED
    # The patient confirmed the old time, not this one.
    appointment.confirmed_at = None
    # From the locked row: the caller's copy may be stale.
    appointment.sequence = locked.sequence + 1
    record_save(appointment, actor=actor)
    return appointment


# The fields that say where a visit is held, which a subscribed calendar shows.
_PLACE_FIELDS = {"location", "telehealth_url"}


@transaction.atomic
def appointment_change_details(
    *,
    appointment: Appointment,
    kind: str | None = None,
    notes: str | None = None,
    location: str | None = None,
    telehealth_url: str | None = None,
    actor: User | None = None,
) -> Appointment:
    """What the appointment is for, the desk's notes and where it is held (None: as it
    is); moving it is `appointment_reschedule`. Where a visit was is a record once it is
    no longer to come: only its notes change then."""
    appointment = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
    changes = {"kind": kind, "notes": notes, "location": location, "telehealth_url": telehealth_url}
    written = [n for n, v in changes.items() if v is not None and v != getattr(appointment, n)]
    if not written:
        return appointment
    if appointment.status not in UPCOMING_STATUSES and set(written) - {"notes"}:
        raise ValidationError(
            f"This visit is {appointment.get_status_display().lower()}; only its notes can change."
        )
    if "telehealth_url" in written:  # a link stored earlier may stay
        _check_telehealth_url(telehealth_url)
    for name in written:
        setattr(appointment, name, changes[name])
    fields = [*written, "updated_at"]
    if set(written) & _PLACE_FIELDS:  # calendars show where; kind and notes they do not
        appointment.sequence += 1
        fields.append("sequence")
    record_save(appointment, actor=actor, update_fields=fields)
    return appointment


@transaction.atomic
def appointment_set_status(
    *, appointment: Appointment, status: str, actor: User | None = None
) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient__clinic")
        .get(pk=appointment.pk)
    )
    if status == appointment.status:
        return appointment
    check_transition(
        allowed=_APPOINTMENT_TRANSITIONS,
        current=appointment.status,
        new=status,
        statuses=Appointment.Status,
        noun="appointment",
    )
    if status in PAST_VISIT_STATUSES and timezone.now() < appointment.starts_at:
        clinic = appointment.patient.clinic
        raise ValidationError(
            {
                "status": f"An appointment can be marked "
                f"{Appointment.Status(status).label.lower()} only once it has started "
                f"({_window(clinic, appointment.starts_at, appointment.ends_at)})."
            }
        )
    if status == Appointment.Status.NO_SHOW and appointment.checked_in_at is not None:
        # Whichever page or call marks it: a patient who checked in came.
        raise ValidationError({"status": "The patient checked in: mark the visit attended."})
    appointment.status = status
    if status == Appointment.Status.CONFIRMED:
        appointment.confirmed_at = timezone.now()
    elif status == Appointment.Status.CANCELLED:
        appointment.cancelled_at = timezone.now()
    appointment.sequence += 1
    record_save(appointment, actor=actor)
    return appointment
