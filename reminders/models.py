from __future__ import annotations

from django.db import models

from patients.models import Patient
from practice.tenancy import ClinicScopedQuerySet


class Device(models.Model):
    """A phone's push token. A token belongs to one patient: registering it again from
    another login moves it, so a shared phone never gets someone else's reminders."""

    clinic_path = "patient__clinic"

    class Platform(models.TextChoices):
        IOS = "ios", "iOS"
        ANDROID = "android", "Android"
        WEB = "web", "Web"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="devices")
    token = models.CharField(max_length=4096, unique=True)
    platform = models.CharField(max_length=10, choices=Platform.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} device of {self.patient}"
