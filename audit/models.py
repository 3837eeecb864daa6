"""The access log: one row per patient whose record a user read or changed.

Rows are append-only: the model refuses `delete()`, its QuerySet refuses `update()` and
`delete()`, and the admin offers neither. Retention/purging, if ever needed, is a
database-level job outside the application.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from practice.tenancy import ClinicScopedQuerySet


class AppendOnlyRefused(PermissionDenied):
    pass


class RecordAccessQuerySet(ClinicScopedQuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyRefused("The access log is append-only: rows are never updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyRefused("The access log is append-only: rows are never deleted.")


class RecordAccess(models.Model):
    clinic_path = "clinic"

    class Action(models.TextChoices):
        VIEW = "view", "View"
        CHANGE = "change", "Change"

    clinic = models.ForeignKey(
        "practice.Clinic", on_delete=models.PROTECT, related_name="record_accesses"
    )
    user = models.ForeignKey(
        "practice.User", on_delete=models.PROTECT, related_name="record_accesses"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="record_accesses"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    path = models.CharField(max_length=300)
    method = models.CharField(max_length=10)
    ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = RecordAccessQuerySet.as_manager()

    class Meta:
        verbose_name = "record access"
        verbose_name_plural = "record accesses"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-at"], name="audit_access_patient_at"),
            models.Index(fields=["clinic", "-at"], name="audit_access_clinic_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} patient {self.patient_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyRefused("The access log is append-only: rows are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyRefused("The access log is append-only: rows are never deleted.")
