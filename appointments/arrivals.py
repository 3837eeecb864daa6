"""The patient at the desk: checking in for today's visit, and a missed visit.

A check-in records that the patient arrived; the visit is still to be marked attended
(`services.appointment_set_status`), which needs it to have started, and can no longer be
marked a no-show (the same service refuses it).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.localtime import local_date, local_today, zone_of
from core.records import record_save
from practice.models import User
from practice.tenancy import ensure_same_clinic, staff_of

from .models import Appointment
from .selectors import UPCOMING_STATUSES


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient__clinic")
        .get(pk=appointment.pk)
    )


def _check_actor(appointment: Appointment, actor: User) -> None:
    # Staff act on their own clinic's visits only; the operator, who works at none, may.
    staff = staff_of(actor)
    if staff is not None:
        ensure_same_clinic(appointment.patient.clinic, actor=staff)


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, actor: User) -> Appointment:
    """The patient has arrived for today's visit: a scheduled or confirmed visit of the
    clinic's today, once. Its status stays as it is until it is marked attended."""
    appointment = _locked(appointment)
    _check_actor(appointment, actor)
    clinic = appointment.patient.clinic
    zone = zone_of(clinic.time_zone)
    if appointment.checked_in_at is not None:
        raise ValidationError(
            f"{appointment.patient.full_name} already checked in at "
            f"{appointment.checked_in_at.astimezone(zone):%H:%M} ({clinic.time_zone})."
        )
    if appointment.status not in UPCOMING_STATUSES:
        raise ValidationError(
            f"A {appointment.get_status_display().lower()} appointment cannot be checked in."
        )
    day = local_date(appointment.starts_at, zone)
    if day != local_today(zone):
        raise ValidationError(
            f"Only today's visit can be checked in; this one is on {day:%Y-%m-%d} "
            f"({clinic.time_zone})."
        )
    appointment.checked_in_at = timezone.now()
    record_save(appointment, actor=actor, update_fields=["checked_in_at", "updated_at"])
    return appointment
