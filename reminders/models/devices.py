"""Who a message reaches and how: patients' and staff members' push tokens, staff
alert contacts."""

from __future__ import annotations

from django.db import models
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from patients.models import Patient
from practice.models import StaffMember
from practice.tenancy import ClinicScopedQuerySet


class PushToken(models.Model):
    """A phone's push token, a patient's (`Device`) or a staff member's (`StaffDevice`).
    A token has one owner across both: registering it again moves it
    (`reminders.device_tokens`)."""

    class Platform(models.TextChoices):
        IOS = "ios", "iOS"
        ANDROID = "android", "Android"
        WEB = "web", "Web"

    token = models.CharField(max_length=4096, unique=True)
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
