"""The records of a patient's app login: the invitation that opens it and the request
that closes it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.localtime import moment_text
from practice.models import StaffMember
from practice.tenancy import ClinicalRecord, ClinicScopedQuerySet


class PatientInvite(models.Model):
    """A one-time code that lets a patient set the password of their app login.

    Only a hash of the code is stored: a leaked database cannot activate accounts.
    """

    clinic_path = "patient__clinic"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="invites"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invite for {self.patient} until {moment_text(self.expires_at)}"


class AccountClosureRequest(ClinicalRecord):
    """A patient's request to close their app account, and what staff decided.

    Confirming ends the login; the patient's clinical records stay, as the law requires
    (patients.account_closure). Never deleted, so the request stays on file with its
    history; a patient has at most one open (requested) at a time."""

    clinic_path = "patient__clinic"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CONFIRMED = "confirmed", "Confirmed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="account_closure_requests"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, help_text="Why the patient asks, in their words.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="What staff recorded when deciding.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status="requested"),
                name="account_closure_one_open_per_patient",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"Account closure of {self.patient} ({self.get_status_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED
