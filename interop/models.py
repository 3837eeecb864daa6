"""Calendar subscriptions: a person's appointments as an iCalendar feed behind a secret URL.

The URL's token is the only credential a calendar app can send (none of them signs in),
so it is stored as its SHA-256 only: a copy of the database opens no one's calendar.
Revoked rows stay, with who revoked them, so the clinic can tell which URL worked when.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from practice.tenancy import ClinicScopedQuerySet


class CalendarFeed(models.Model):
    clinic_path = "clinic"

    clinic = models.ForeignKey(
        "practice.Clinic", on_delete=models.PROTECT, related_name="calendar_feeds"
    )
    # Whose appointments it shows: a patient's own, or a clinician's schedule.
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_feeds",
    )
    staff = models.ForeignKey(
        "practice.StaffMember",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_feeds",
    )
    # Hex SHA-256 of the URL's token; the token itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "practice.User", on_delete=models.PROTECT, related_name="+", editable=False
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        "practice.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(patient__isnull=False, staff__isnull=True)
                | Q(patient__isnull=True, staff__isnull=False),
                name="calendar_feed_one_owner",
            ),
            # One live URL per person: renewing revokes the old one in the same transaction.
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(revoked_at__isnull=True, patient__isnull=False),
                name="calendar_feed_one_live_per_patient",
            ),
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(revoked_at__isnull=True, staff__isnull=False),
                name="calendar_feed_one_live_per_staff",
            ),
        ]

    def __str__(self) -> str:
        whose = f"patient #{self.patient_id}" if self.patient_id else f"staff #{self.staff_id}"
        state = "revoked" if self.revoked_at else "live"
        return f"Calendar feed of {whose} ({state})"
