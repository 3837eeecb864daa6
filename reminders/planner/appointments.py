"""Appointment reminders: one `lead` hours before each booked appointment, for each of
the clinic's lead times; and the reconciliation that cancels the pending ones whose
appointment changed since they were planned."""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

from appointments.models import Appointment
from patients.models import Patient

from .. import rules
from ..clinics import ClinicConfig, leads
from ..models import Kind, Notification
from .base import Zones, add_reminder, annotation, chunks, in_known_zones, with_patient
from .writer import BATCH_SIZE, PlanResult, Writer


def cancel_changed_appointments(*, result: PlanResult) -> None:
    """Cancel pending appointment reminders whose appointment was cancelled, missed,
    attended or moved (or whose patient left): one read and one update per batch.

    Only pending rows: a claimed row is the delivery task's, which asks `cancel_reason`.
    """
    pending = (
        Notification.objects.filter(kind=Kind.APPOINTMENT, status=Notification.Status.PENDING)
        .order_by()
        .values_list("pk", "source", "scheduled_for")
    )
    for chunk in chunks(pending.iterator(chunk_size=BATCH_SIZE), BATCH_SIZE):
        reasons = _reasons(chunk)
        if reasons:
            cancelled = Notification.objects.filter(
                pk__in=reasons, status=Notification.Status.PENDING
            ).update(
                status=Notification.Status.CANCELLED,
                last_error=Case(
                    *(When(pk=pk, then=Value(reason)) for pk, reason in reasons.items()),
                    output_field=CharField(),
                ),
                updated_at=timezone.now(),
            )
            result.cancelled_by_kind[Kind.APPOINTMENT] += cancelled


def _reasons(chunk: list[tuple[int, str, datetime.datetime]]) -> dict[int, str]:
    """Why each of these pending reminders is no longer right, by row id."""
    parsed = [(pk, rules.parse_source(source), at) for pk, source, at in chunk]
    ids = {src.object_id for _, src, _ in parsed if src and src.prefix == "appointment"}
    appointments = (
        Appointment.objects.filter(pk__in=ids)
        .select_related("patient")
        .only("status", "starts_at", "patient", "patient__status")
        .in_bulk()
    )
    reasons: dict[int, str] = {}
    for pk, src, scheduled_for in parsed:
        if src is None or src.prefix != "appointment":
            continue
        appointment = appointments.get(src.object_id)
        reason = rules.appointment_reason(
            appointment, lead_hours=src.lead_hours or 0, scheduled_for=scheduled_for
        )
        if reason is None and appointment is not None:
            reason = rules.patient_reason(appointment.patient)
        if reason:
            reasons[pk] = reason
    return reasons


def plan_appointments(
    *,
    now: datetime.datetime,
    end: datetime.datetime,
    config: ClinicConfig,
    zones: Zones,
    writer: Writer,
) -> None:
    """A reminder `lead` hours before each booked appointment, for each clinic lead."""
    all_leads = {hours for s in config.all_settings() for hours in leads(s)}
    if not all_leads:
        return
    starts = Q(pk__in=[])
    for hours in all_leads:
        lead = datetime.timedelta(hours=hours)
        starts |= Q(starts_at__gte=now + lead, starts_at__lt=end + lead)
    appointments = with_patient(
        Appointment.objects.filter(
            starts,
            status__in=rules.REMINDABLE_APPOINTMENT_STATUSES,
            patient__status=Patient.Status.ACTIVE,
        ).exclude(patient__clinic_id__in=config.clinics_without("appointment_reminders")),
        "starts_at",
        "status",
    )
    for appointment, patient, tz in in_known_zones(appointments, zones):
        for hours in config.lead_hours(patient.clinic_id):
            at = appointment.starts_at - datetime.timedelta(hours=hours)
            if not now <= at < end:
                continue
            add_reminder(
                writer,
                patient,
                kind=Kind.APPOINTMENT,
                source=rules.appointment_source(appointment.pk, hours),
                at=at,
                tz=tz,
                has_device=annotation(appointment, "has_device"),
            )
