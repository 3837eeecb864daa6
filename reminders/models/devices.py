"""Who a message reaches and how: patients' and staff members' push tokens, staff
alert contacts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from patients.models import Patient
from practice.models import StaffMember
from practice.tenancy import ClinicScopedQuerySet

# The token column is unique, and an entry of PostgreSQL's btree index holds at most 2704
# bytes (a third of an 8 kB page, headers included); a longer token would fail the insert.
# 2 kB leaves room for the headers and is ten times the longest token a platform issues.
TOKEN_MAX_BYTES = 2048
TOKEN_BYTES_MESSAGE = f"Ensure this field has no more than {TOKEN_MAX_BYTES} bytes in UTF-8."


def validate_token_bytes(token: str) -> None:
    """The bound above, in bytes: `max_length` counts characters, up to four bytes each."""
    if len(token.encode("utf-8", "surrogatepass")) > TOKEN_MAX_BYTES:
        raise ValidationError(TOKEN_BYTES_MESSAGE, code="max_length")


class PushToken(models.Model):
    """A phone's push token, a patient's (`Device`) or a staff member's (`StaffDevice`).
    A token has one owner across both: registering it again moves it
    (`reminders.device_tokens`)."""

    class Platform(models.TextChoices):
        IOS = "ios", "iOS"
        ANDROID = "android", "Android"
        WEB = "web", "Web"

    token = models.CharField(
        max_length=TOKEN_MAX_BYTES, unique=True, validators=[validate_token_bytes]
    )
    platform = models.CharField(max_length=10, choices=Platform.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-last_seen_at"]


class Device(PushToken):
    """A patient's phone. Registering its token again from another login moves it, so a
    shared phone never gets someone else's reminders."""

    clinic_path = "patient__clinic"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="devices")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} device of {self.patient}"


class StaffDevice(PushToken):
    """A staff member's phone, for urgent alerts by push; its token is taken from any
    patient or staff member who had it."""

    clinic_path = "staff__clinic"

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="devices")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} device of {self.staff}"


class StaffContact(models.Model):
    """How a staff member may be reached about alerts, with their consent per channel.

    A staff member without a row is reached by email only (their login's address): work
    email is part of the job, a personal phone is theirs to offer.
    """

    clinic_path = "staff__clinic"

    staff = models.OneToOneField(StaffMember, on_delete=models.CASCADE, related_name="contact")
    phone = PhoneNumberField(blank=True, help_text="International format, e.g. +12025550143.")
    consent_email = models.BooleanField("alerts by email", default=True)
    consent_sms = models.BooleanField("urgent alerts by SMS", default=False)
    consent_push = models.BooleanField("alerts by push to my devices", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "staff alert contact"

    def __str__(self) -> str:
        return f"Alert contact of {self.staff}"
