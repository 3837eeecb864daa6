"""The plan of care: how often and how long, toward which goals, certified by whom.

Medicare pays outpatient therapy under a plan certified by a physician or
non-physician practitioner (Medicare Benefit Policy Manual, Pub. 100-02, chapter 15,
section 220.1); visits.deadlines holds the dates that follow from it.
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.validators import validate_npi
from practice.tenancy import ClinicalRecord

from .deadlines import recertification_due

MAX_WEEKS = 52


class SignatureStatus(models.TextChoices):
    PENDING = "pending", "Not yet sent"
    SENT = "sent", "Sent to the physician"
    SIGNED = "signed", "Signed"


class PlanOfCare(ClinicalRecord):
    clinic_path = "patient__clinic"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="plans_of_care"
    )
    therapist = models.ForeignKey(
        "practice.StaffMember", on_delete=models.PROTECT, related_name="plans_of_care"
    )
    starts_on = models.DateField()
    visits_per_week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    weeks = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEKS)]
    )
    # starts_on + weeks, the plan's last day; stored so deadlines are one indexed query.
    ends_on = models.DateField(editable=False)
    physician_name = models.CharField(
        "certifying physician", max_length=200, help_text="The referring or certifying physician."
    )
    physician_npi = models.CharField(
        "physician NPI", max_length=10, blank=True, validators=[validate_npi]
    )
    certified_on = models.DateField(
        null=True, blank=True, help_text="The day the physician signed; blank until then."
    )
    signature_status = models.CharField(
        max_length=8, choices=SignatureStatus.choices, default=SignatureStatus.PENDING
    )
    # Replaced by a recertified plan: the newer plan carries the care on.
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="supersedes",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "plan of care"
        verbose_name_plural = "plans of care"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["patient", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="planofcare_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(signature_status="signed")
                | models.Q(certified_on__isnull=False),
                name="planofcare_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.visits_per_week}x a week for {self.weeks} weeks from "
            f"{self.starts_on.isoformat()}"
        )

    @property
    def covered_until(self) -> datetime.date | None:
        """The last day the certification covers; None until it is signed."""
        if self.certified_on is None:
            return None
        return recertification_due(starts_on=self.starts_on, plan_ends_on=self.ends_on)


class Goal(ClinicalRecord):
    clinic_path = "plan__patient__clinic"

    class Term(models.TextChoices):
        SHORT = "short", "Short-term"
        LONG = "long", "Long-term"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        MET = "met", "Met"
        PARTLY_MET = "partly_met", "Partly met"
        NOT_MET = "not_met", "Not met"
        DROPPED = "dropped", "No longer pursued"

    plan = models.ForeignKey(PlanOfCare, on_delete=models.PROTECT, related_name="goals")
    term = models.CharField(max_length=5, choices=Term.choices)
    description = models.TextField(help_text="e.g. Sit through a 60-minute meeting.")
    measure = models.CharField(
        max_length=200, help_text="How it is measured, e.g. ODI at or below 20%."
    )
    target_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "term", "target_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_term_display()}: {self.description[:60]}"
