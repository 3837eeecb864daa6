"""A push token has one owner, a patient's phone or a staff member's: registering it
for one takes it from whoever had it, patient or staff."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .models import Device, StaffDevice
from .models.devices import validate_token_bytes

D = TypeVar("D", Device, StaffDevice)


def token_claim(
    *, model: type[D], owner_field: str, owner: models.Model, token: str, platform: str
) -> tuple[D, bool]:
    """Register `token` on `model` for `owner`; (device, created). Run inside atomic()."""
    token = token.strip()
    if not token:
        raise ValidationError({"token": _("A push token is required.")})
    try:
        validate_token_bytes(token)
    except ValidationError as exc:
        raise ValidationError({"token": exc.messages}) from None
    if platform not in Device.Platform.values:
        choices = ", ".join(Device.Platform.values)
        raise ValidationError({"platform": _("Use one of: %(choices)s.") % {"choices": choices}})
    other = StaffDevice if model is Device else Device
    other.objects.filter(token=token).delete()
    device, created = model.objects.select_for_update().get_or_create(
        token=token, defaults={owner_field: owner, "platform": platform}
    )
    if not created:
        setattr(device, owner_field, owner)
        device.platform = platform
        device.save()
    return device, created


def token_remove(*, model: type[D], owner_field: str, owner: models.Model, token: str) -> bool:
    """Drop `owner`'s `token` from `model`; False when there was none (already gone)."""
    deleted, _ = model.objects.filter(**{owner_field: owner, "token": token.strip()}).delete()
    return deleted > 0
