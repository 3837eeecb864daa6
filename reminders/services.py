from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from patients.models import Patient

from .models import Device


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
