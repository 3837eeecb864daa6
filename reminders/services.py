from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patients import services as patient_services
from patients.models import Patient

from .models import Channel, Device, Notification


@transaction.atomic
def device_register(*, patient: Patient, token: str, platform: str) -> tuple[Device, bool]:
    """Register a push token; (device, created). A token seen before moves to this patient."""
    token = token.strip()
    if not token:
        raise ValidationError({"token": "A push token is required."})
    if platform not in Device.Platform.values:
        raise ValidationError({"platform": f"Use one of: {', '.join(Device.Platform.values)}."})
    device, created = Device.objects.select_for_update().get_or_create(
        token=token, defaults={"patient": patient, "platform": platform}
    )
    if not created:
        device.patient = patient
        device.platform = platform
        device.save()
    return device, created


@transaction.atomic
def device_remove(*, patient: Patient, token: str) -> bool:
    """Drop a push token of this patient's; False when there was none (already gone)."""
    deleted, _ = Device.objects.filter(patient=patient, token=token.strip()).delete()
    return deleted > 0


STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})


@transaction.atomic
def sms_opt_out(*, phone: str) -> int:
    """A STOP reply withdraws SMS consent of every patient with that number and cancels
    their pending texts; returns how many patients it changed."""
    patients = list(Patient.objects.select_for_update().filter(phone=phone, consent_sms=True))
    for patient in patients:
        patient_services.patient_update(patient=patient, consent_sms=False)
    Notification.objects.filter(
        patient__in=patients, channel=Channel.SMS, status=Notification.Status.PENDING
    ).update(status=Notification.Status.CANCELLED, last_error="The patient replied STOP.")
    return len(patients)


def notifications_cancel_pending(
    *, patient: Patient, reason: str, kinds: Iterable[str] | None = None
) -> int:
    """Cancel the patient's messages still waiting to be sent (all kinds, or `kinds`), with
    the reason shown in the outbox; one statement. Rows already claimed by a delivery are
    left to it: the delivery asks `rules.cancel_reason` again just before sending."""
    rows = Notification.objects.filter(patient=patient, status=Notification.Status.PENDING)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.update(
        status=Notification.Status.CANCELLED, last_error=reason, updated_at=timezone.now()
    )
