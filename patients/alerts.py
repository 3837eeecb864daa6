"""Clinical alerts for the therapist: raised by the rules, acknowledged by staff, resolved
when the matter they report is closed (a hold cleared). Re-exported by patients.services."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.records import record_save
from practice.models import StaffMember
from practice.tenancy import ensure_same_clinic

from .models import ClinicalAlert, Patient, RedFlagScreening

# The ORM form of `ClinicalAlert.is_open`: waiting for staff, neither acknowledged nor
# resolved. Every inbox and "open" filter uses this one definition.
OPEN_ALERT = Q(acknowledged_at__isnull=True, resolved_at__isnull=True)


def alert_raise(
    *,
    patient: Patient,
    kind: str,
    severity: str,
    message: str,
    screening: RedFlagScreening | None = None,
) -> ClinicalAlert:
    alert = ClinicalAlert(
        patient=patient, kind=kind, severity=severity, message=message, screening=screening
    )
    record_save(alert)
    return alert


@transaction.atomic
def alert_acknowledge(*, alert: ClinicalAlert, staff_member: StaffMember) -> ClinicalAlert:
    """Acknowledge once; a second acknowledgement keeps the first one's who and when.

    A resolved alert may still be acknowledged (someone read it late): that records
    who saw it and changes nothing else."""
    ensure_same_clinic(alert.patient.clinic, staff_member=staff_member)
    alert = ClinicalAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = staff_member
        record_save(alert, actor=staff_member.user)
    return alert


def alerts_resolve(
    *, patient: Patient, kind: str, resolved_by: StaffMember, note: str
) -> list[ClinicalAlert]:
    """Close every unresolved alert of `kind` for the patient, acknowledged or not, with
    the note that closed the matter. Runs inside the caller's transaction.

    Saved one by one so each keeps its history row; a patient has a handful of these."""
    now = timezone.now()
    alerts = list(
        ClinicalAlert.objects.select_for_update()
        .filter(patient=patient, kind=kind, resolved_at__isnull=True)
        .order_by("pk")
    )
    for alert in alerts:
        alert.resolved_at = now
        alert.resolved_by = resolved_by
        alert.resolution_note = note
        record_save(alert, actor=resolved_by.user)
    return alerts
