from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Appointment, Clinic, Role, StaffMember, User
from .records import record_save
from .roles import group_name

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


def ensure_same_clinic(clinic: Clinic, **objects: object) -> None:
    """Refuse references that cross the tenant boundary, naming the offending field."""
    for field, obj in objects.items():
        if obj is not None and getattr(obj, "clinic_id", None) != clinic.pk:
            raise ValidationError({field: "Not found in this clinic."})


@transaction.atomic
def staff_member_create(
    *,
    clinic: Clinic,
    username: str,
    password: str | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    credentials: str = "",
    licence_number: str = "",
) -> StaffMember:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username} is taken."})
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email, is_staff=True
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    staff = StaffMember(
        user=user,
        clinic=clinic,
        role=role,
        credentials=credentials,
        licence_number=licence_number,
    )
    record_save(staff)
    _sync_role_group(staff)
    return staff


@transaction.atomic
def staff_member_change_role(*, staff_member: StaffMember, role: str, actor: User) -> StaffMember:
    staff_member.role = role
    record_save(staff_member, actor=actor)
    _sync_role_group(staff_member)
    return staff_member


def _sync_role_group(staff: StaffMember) -> None:
    role_groups = Group.objects.filter(name__in=[label for _, label in Role.choices])
    staff.user.groups.remove(*role_groups)
    group, _ = Group.objects.get_or_create(name=group_name(staff.role))
    staff.user.groups.add(group)


def _check_therapist(clinic: Clinic, therapist: StaffMember) -> None:
    ensure_same_clinic(clinic, therapist=therapist)
    if not therapist.is_clinician:
        raise ValidationError({"therapist": f"{therapist} is not a clinician; book a clinician."})


def _check_therapist_is_free(
    *,
    therapist: StaffMember,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    exclude_id: int | None = None,
) -> None:
    # Locking the therapist row serializes bookings for one therapist, so two desks
    # booking the same slot at once cannot both pass the overlap check.
    StaffMember.objects.select_for_update().filter(pk=therapist.pk).first()
    clash = (
        Appointment.objects.filter(
            therapist=therapist,
            status__in=Appointment.BOOKED_STATUSES,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .exclude(pk=exclude_id)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "starts_at": f"{therapist} is already booked from "
                f"{clash.starts_at:%Y-%m-%d %H:%M} to {clash.ends_at:%H:%M} UTC."
            }
        )


@transaction.atomic
def appointment_book(
    *,
    patient,
    therapist: StaffMember,
    starts_at: datetime.datetime,
    duration_minutes: int = 45,
    kind: str = Appointment.Kind.FOLLOW_UP,
    notes: str = "",
    actor: User | None = None,
) -> Appointment:
    _check_therapist(patient.clinic, therapist)
    if patient.status != patient.Status.ACTIVE:
        raise ValidationError({"patient": f"{patient} is {patient.get_status_display().lower()}."})
    if not isinstance(duration_minutes, int) or not 5 <= duration_minutes <= 480:
        raise ValidationError({"duration_minutes": "Use a duration from 5 to 480 minutes."})
    ends_at = starts_at + datetime.timedelta(minutes=duration_minutes)
    _check_therapist_is_free(therapist=therapist, starts_at=starts_at, ends_at=ends_at)
    appointment = Appointment(
        patient=patient,
        therapist=therapist,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        ends_at=ends_at,
        kind=kind,
        notes=notes,
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
    if appointment.status not in (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED):
        raise ValidationError(
            f"A {appointment.get_status_display().lower()} appointment cannot be moved."
        )
    therapist = therapist or appointment.therapist
    _check_therapist(appointment.patient.clinic, therapist)
    duration = appointment.duration_minutes if duration_minutes is None else duration_minutes
    if not isinstance(duration, int) or not 5 <= duration <= 480:
        raise ValidationError({"duration_minutes": "Use a duration from 5 to 480 minutes."})
    ends_at = starts_at + datetime.timedelta(minutes=duration)
    _check_therapist_is_free(
        therapist=therapist, starts_at=starts_at, ends_at=ends_at, exclude_id=appointment.pk
    )
    appointment.therapist = therapist
    appointment.starts_at = starts_at
    appointment.duration_minutes = duration
    appointment.ends_at = ends_at
    appointment.status = Appointment.Status.SCHEDULED
    record_save(appointment, actor=actor)
    return appointment


@transaction.atomic
def appointment_set_status(
    *, appointment: Appointment, status: str, actor: User | None = None
) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if status == appointment.status:
        return appointment
    if status not in _APPOINTMENT_TRANSITIONS[appointment.status]:
        raise ValidationError(
            {
                "status": f"A {appointment.get_status_display().lower()} appointment cannot "
                f"become {Appointment.Status(status).label.lower()}."
            }
        )
    appointment.status = status
    record_save(appointment, actor=actor)
    return appointment
