"""A recurring series: one visit a week for N weeks, booked together or not at all.

Every week keeps the first visit's wall-clock time in the clinic's zone, so a 10:00
series stays at 10:00 across a change of daylight saving time (its UTC time moves by an
hour). The whole series is checked for clashes before any visit is written, and a
refusal names every clashing week, so the desk can pick another time once instead of
finding the clashes one at a time.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core import dates
from core.localtime import zone_of
from patients.models import Patient
from practice.models import StaffMember, User
from practice.tenancy import ensure_same_clinic

from . import services
from .models import Appointment
from .selectors import UPCOMING_STATUSES

MIN_WEEKS, MAX_WEEKS = 2, 26

_WEEK = datetime.timedelta(weeks=1)
_OUT_OF_RANGE = (
    f"Choose a time between the years {dates.EARLIEST_RECORD.year} and {dates.LATEST_RECORD.year}."
)


def series_starts(
    first_starts_at: datetime.datetime, weeks: int, zone: datetime.tzinfo
) -> list[datetime.datetime]:
    """The start of each week's visit: the first one's local date plus whole weeks, at
    its local wall-clock time."""
    local = first_starts_at.astimezone(zone)
    wall = local.replace(tzinfo=None)
    return [(wall + n * _WEEK).replace(tzinfo=zone) for n in range(weeks)]


def _starts_in_range(
    first_starts_at: datetime.datetime,
    weeks: int,
    zone: datetime.tzinfo,
    length: datetime.timedelta,
) -> list[datetime.datetime]:
    """Each week's start, once every visit lies within the practice's years.

    The first start is compared before any arithmetic (a time in year 9999 plus weeks
    leaves the calendar); within the years, 26 weeks and a day's length cannot."""
    if not dates.EARLIEST_RECORD_TIME <= first_starts_at < dates.RECORD_TIMES_END:
        raise ValidationError({"first_starts_at": _OUT_OF_RANGE})
    starts = series_starts(first_starts_at, weeks, zone)
    late = [s for s in starts if s + length > dates.RECORD_TIMES_END]
    if late:
        raise ValidationError(
            {"first_starts_at": f"{late[0].astimezone(zone):%Y-%m-%d}: {_OUT_OF_RANGE}"}
        )
    return starts


def _check_weeks(weeks: object) -> int:
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ValidationError({"weeks": f"Book a series of {MIN_WEEKS} to {MAX_WEEKS} weeks."})
    return weeks


def _lock(patient: Patient, therapist: StaffMember) -> Patient:
    # The order appointment_book locks in (patient, then therapist), so the checks below
    # and the bookings after them see the same diaries.
    patient = (
        Patient.objects.select_related("clinic").select_for_update(of=("self",)).get(pk=patient.pk)
    )
    StaffMember.objects.select_for_update().filter(pk=therapist.pk).first()
    return patient


def _clashes(
    *,
    patient: Patient,
    therapist: StaffMember,
    windows: list[tuple[datetime.datetime, datetime.datetime]],
) -> list[str]:
    """Each week a booked visit of the patient's or the therapist's overlaps, in one read."""
    overlaps = Q(pk__in=[])
    for starts_at, ends_at in windows:
        overlaps |= Q(starts_at__lt=ends_at, ends_at__gt=starts_at)
    booked = (
        Appointment.objects.filter(overlaps, Q(patient=patient) | Q(therapist=therapist))
        .filter(status__in=Appointment.BOOKED_STATUSES)
        .select_related("therapist__user")
        .order_by("starts_at")
    )
    zone = zone_of(patient.clinic.time_zone)
    found = []
    for week, (starts_at, ends_at) in enumerate(windows, start=1):
        for visit in booked:
            if visit.starts_at < ends_at and visit.ends_at > starts_at:
                whose = (
                    f"{patient.full_name} already has a visit with {visit.therapist}"
                    if visit.patient_id == patient.pk
                    else f"{therapist} is already booked"
                )
                found.append(
                    f"Week {week} ({starts_at.astimezone(zone):%Y-%m-%d}): {whose} from "
                    f"{visit.starts_at.astimezone(zone):%H:%M} to "
                    f"{visit.ends_at.astimezone(zone):%H:%M}."
                )
                break
    return found


@transaction.atomic
def appointment_series_book(
    *,
    patient: Patient,
    therapist: StaffMember,
    first_starts_at: datetime.datetime,
    weeks: int,
    duration_minutes: int = 45,
    kind: str = Appointment.Kind.FOLLOW_UP,
    notes: str = "",
    actor: User | None = None,
) -> list[Appointment]:
    """Book `weeks` weekly visits from `first_starts_at`, sharing one `series` id.

    Each visit is booked by `appointment_book`, with all of its rules; a refusal of any
    refuses them all (one transaction). Reminders need nothing more: the planner
    reminds of every booked visit once it comes within the clinic's lead times."""
    weeks = _check_weeks(weeks)
    if first_starts_at.tzinfo is None:
        raise ValidationError(
            {"first_starts_at": "Give the time with its time zone or UTC offset."}
        )
    # Before any diary is read: another clinic's therapist's visits are not ours to name.
    ensure_same_clinic(patient.clinic, therapist=therapist)
    if (
        isinstance(duration_minutes, bool)
        or not isinstance(duration_minutes, int)
        or not services.MIN_DURATION <= duration_minutes <= services.MAX_DURATION
    ):
        raise ValidationError(
            {
                "duration_minutes": f"Use a duration from {services.MIN_DURATION} to "
                f"{services.MAX_DURATION} minutes."
            }
        )
    length = datetime.timedelta(minutes=duration_minutes)
    zone = zone_of(patient.clinic.time_zone)
    starts = _starts_in_range(first_starts_at, weeks, zone, length)
    patient = _lock(patient, therapist)
    clashes = _clashes(
        patient=patient, therapist=therapist, windows=[(s, s + length) for s in starts]
    )
    if clashes:
        raise ValidationError(
            {"first_starts_at": ["The series clashes; nothing was booked.", *clashes]}
        )
    booked = []
    for starts_at in starts:
        try:
            booked.append(
                services.appointment_book(
                    patient=patient,
                    therapist=therapist,
                    starts_at=starts_at,
                    duration_minutes=duration_minutes,
                    kind=kind,
                    notes=notes,
                    actor=actor,
                )
            )
        except ValidationError as exc:
            raise _for_week(exc, starts_at.astimezone(zone).date()) from exc
    series, now = uuid.uuid4(), timezone.now()
    for appointment in booked:
        appointment.series = series
        appointment.updated_at = now  # a bulk update does not run auto_now
    # One update and one history insert for the series; each visit's booking is its own
    # history row before it.
    bulk_update_with_history(
        booked,
        Appointment,
        ["series", "updated_at"],
        default_user=actor if actor is not None and actor.is_authenticated else None,
        default_change_reason=f"Booked as a weekly series of {weeks}.",
    )
    return booked


def _for_week(exc: ValidationError, day: datetime.date) -> ValidationError:
    """A booking's refusal about its time, saying which week's date it was."""
    if not hasattr(exc, "error_dict") or "starts_at" not in exc.error_dict:
        return exc
    errors = exc.message_dict
    messages = [f"{day:%Y-%m-%d}: {m}" for m in errors.pop("starts_at")]
    return ValidationError({**errors, "first_starts_at": messages})


SERIES_CANCELLED = "Rest of the series cancelled."


@transaction.atomic
def appointment_series_cancel_rest(
    *, appointment: Appointment, actor: User | None = None
) -> list[Appointment]:
    """Cancel this visit and the later ones of its series that are still to come, with
    the reason on each: one update statement and one history insert.

    A visit that has started stays as it is, even one still marked scheduled: it is
    happening or happened, and marking it attended or a no-show is what is left to do.
    Visits attended, missed or cancelled stay as they are too."""
    if appointment.series is None:
        raise ValidationError("This visit was not booked as part of a series.")
    now = timezone.now()
    rest = list(
        Appointment.objects.filter(
            series=appointment.series,
            starts_at__gte=appointment.starts_at,
            starts_at__gt=now,
            status__in=UPCOMING_STATUSES,
        )
        .select_for_update(of=("self",))
        .order_by("starts_at", "pk")
    )
    for visit in rest:
        visit.status = Appointment.Status.CANCELLED
        visit.cancelled_at = now
        visit.cancellation_reason = SERIES_CANCELLED
        visit.sequence += 1  # the rows are locked: the read sequence is the stored one
        visit.updated_at = now  # a bulk update does not run auto_now
    bulk_update_with_history(
        rest,
        Appointment,
        ["status", "cancelled_at", "cancellation_reason", "sequence", "updated_at"],
        default_user=actor if actor is not None and actor.is_authenticated else None,
        default_change_reason=SERIES_CANCELLED,
    )
    return rest
