"""The end of a patient's episode of care: a discharge or an archiving, with what it
closed. The patient's status change itself is in the patient's history; this row keeps
who closed the episode, why, and how much was closed with it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from patients.models import Patient
from practice.models import User
from practice.tenancy import ClinicalRecord


class EpisodeClosure(ClinicalRecord):
    clinic_path = "patient__clinic"

    class Outcome(models.TextChoices):
        DISCHARGED = Patient.Status.DISCHARGED.value, "Discharged"
        ARCHIVED = Patient.Status.ARCHIVED.value, "Archived"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episode_closures")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    closed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    programs_completed = models.PositiveIntegerField(default=0)
    appointments_cancelled = models.PositiveIntegerField(default=0)
    reminders_cancelled = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-closed_at", "-id"]
        # A closure is a record of what happened: it is written once, by the service.
        default_permissions = ("view",)
        permissions = [("close_episode", "Can discharge or archive a patient")]
        indexes = [models.Index(fields=["patient", "-closed_at"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.closed_at:%Y-%m-%d} ({self.patient})"
