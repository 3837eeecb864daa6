"""Clinical alerts for the therapist: raised by the rules, acknowledged by staff, resolved
when the matter they report is closed (a hold cleared). Re-exported by patients.services."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

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


# A red-flag alert closes with its hold: clearing the hold resolves it with the
# clearing note, so it is not resolved by hand while the hold stands.
HOLD_OF_KIND = {
    ClinicalAlert.Kind.RED_FLAG: "medical_hold_since",
    ClinicalAlert.Kind.REFERRAL_NEEDED: "referral_hold_since",
}
HELD_BY_HOLD = Q(kind=ClinicalAlert.Kind.RED_FLAG, patient__medical_hold_since__isnull=False) | Q(
    kind=ClinicalAlert.Kind.REFERRAL_NEEDED, patient__referral_hold_since__isnull=False
)
HOLD_STANDS = (
    "The patient's hold still stands: clearing the hold (or recording the referral "
    "outcome) resolves this alert."
)


def _resolution_note(note: str) -> str:
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say how the matter was closed."})
    return note


@transaction.atomic
def alert_resolve(*, alert: ClinicalAlert, staff_member: StaffMember, note: str) -> ClinicalAlert:
    """Close one alert by hand with a note saying how. Resolving twice keeps the first
    resolution's who, when and note. A red-flag or referral alert waits for its hold."""
    ensure_same_clinic(alert.patient.clinic, staff_member=staff_member)
    note = _resolution_note(note)
    alert = ClinicalAlert.objects.select_for_update().select_related("patient").get(pk=alert.pk)
    if alert.resolved_at is not None:
        return alert
    hold = HOLD_OF_KIND.get(ClinicalAlert.Kind(alert.kind))
    if hold is not None and getattr(alert.patient, hold) is not None:
        raise ValidationError(HOLD_STANDS)
    alert.resolved_at = timezone.now()
    alert.resolved_by = staff_member
    alert.resolution_note = note
    record_save(alert, actor=staff_member.user)
    return alert


def _lock_of_clinic(
    alerts: QuerySet[ClinicalAlert] | Iterable[ClinicalAlert], staff_member: StaffMember
) -> QuerySet[ClinicalAlert]:
    """The given alerts locked, refusing the whole batch if one is of another clinic."""
    ids = {a.pk for a in alerts}
    locked = ClinicalAlert.objects.select_for_update(of=("self",)).filter(pk__in=ids)
    if locked.exclude(patient__clinic=staff_member.clinic_id).exists():
        raise ValidationError({"staff_member": "Not found in this clinic."})
    return locked.order_by("pk")


@transaction.atomic
def alerts_acknowledge(
    *, alerts: QuerySet[ClinicalAlert] | Iterable[ClinicalAlert], staff_member: StaffMember
) -> list[ClinicalAlert]:
    """Acknowledge a batch in one update and one history insert; alerts already
    acknowledged keep their first acknowledgement. Returns those acknowledged now."""
    pending = list(_lock_of_clinic(alerts, staff_member).filter(acknowledged_at__isnull=True))
    now = timezone.now()
    for alert in pending:
        alert.acknowledged_at = now
        alert.acknowledged_by = staff_member
    bulk_update_with_history(
        pending,
        ClinicalAlert,
        ["acknowledged_at", "acknowledged_by"],
        default_user=staff_member.user,
    )
    return pending


@transaction.atomic
def alerts_resolve_selected(
    *,
    alerts: QuerySet[ClinicalAlert] | Iterable[ClinicalAlert],
    staff_member: StaffMember,
    note: str,
) -> tuple[list[ClinicalAlert], int]:
    """Resolve a batch by hand with one note, in one update and one history insert.
    Returns the alerts resolved now and how many wait for their patient's hold;
    those already resolved keep their first resolution."""
    note = _resolution_note(note)
    unresolved = _lock_of_clinic(alerts, staff_member).filter(resolved_at__isnull=True)
    held = unresolved.filter(HELD_BY_HOLD).count()
    pending = list(unresolved.exclude(HELD_BY_HOLD))
    now = timezone.now()
    for alert in pending:
        alert.resolved_at = now
        alert.resolved_by = staff_member
        alert.resolution_note = note
    bulk_update_with_history(
        pending,
        ClinicalAlert,
        ["resolved_at", "resolved_by", "resolution_note"],
        default_user=staff_member.user,
    )
    return pending, held
