"""Reads of appointments that carry a rule."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from patients.models import Patient

from .models import Appointment

# Still to come and holding a slot: what a discharge cancels and a reminder is for.
UPCOMING_STATUSES = (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED)


def appointments_upcoming(
    *, patients: Iterable[Patient], now: datetime.datetime | None = None
) -> QuerySet[Appointment]:
    """The patients' scheduled or confirmed appointments that have not started yet,
    soonest first. One already under way is left alone: it is happening."""
    return (
        Appointment.objects.filter(
            patient__in=list(patients),
            status__in=UPCOMING_STATUSES,
            starts_at__gt=now or timezone.now(),
        )
        .select_related("therapist__user")
        .order_by("starts_at", "pk")
    )


def next_appointments(
    *, patients: Iterable[Patient], now: datetime.datetime | None = None
) -> dict[int, Appointment]:
    """Each patient's next upcoming appointment (as `appointments_upcoming`), by patient
    id, with its therapist. One query, reading one row per patient however many are
    booked."""
    now = now or timezone.now()
    first = (
        Appointment.objects.filter(
            patient=OuterRef("patient"), status__in=UPCOMING_STATUSES, starts_at__gt=now
        )
        .order_by("starts_at", "pk")
        .values("pk")[:1]
    )
    upcoming = appointments_upcoming(patients=patients, now=now)
    return {
        appointment.patient_id: appointment
        for appointment in upcoming.annotate(first_id=Subquery(first)).filter(pk=F("first_id"))
    }


def patient_change_deadline(appointment: Appointment) -> datetime.datetime | None:
    """Until when the patient may cancel the appointment in the app (confirming stays open
    until the start): its start less the clinic's cancellation window. None once it is no
    longer to come (attended, cancelled, missed). Reads `appointment.patient.clinic`:
    select it with the rows."""
    if appointment.status not in UPCOMING_STATUSES:
        return None
    hours = appointment.patient.clinic.cancellation_window_hours
    return appointment.starts_at - datetime.timedelta(hours=hours)
