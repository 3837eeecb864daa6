"""A visit booked with a therapist."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from practice.tenancy import ClinicScopedQuerySet


class Appointment(models.Model):
    clinic_path = "patient__clinic"

    class Kind(models.TextChoices):
        EVALUATION = "evaluation", "Evaluation"
        FOLLOW_UP = "follow_up", "Follow-up"
        RE_EVALUATION = "re_evaluation", "Re-evaluation"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CONFIRMED = "confirmed", "Confirmed"
        ATTENDED = "attended", "Attended"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    # Statuses that hold the therapist's time; the others free the slot.
    BOOKED_STATUSES = (Status.SCHEDULED, Status.CONFIRMED, Status.ATTENDED)

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointments"
    )
    therapist = models.ForeignKey(
        "practice.StaffMember", on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    # Stored beside the duration so overlap checks are one indexed range query.
    ends_at = models.DateTimeField(editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FOLLOW_UP)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    notes = models.TextField(blank=True)
    # Set only when a visit that already happened is entered afterwards
    # (`appointment_record_past`): why it was not booked beforehand.
    late_entry_reason = models.TextField("reason for recording a past visit", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicScopedQuerySet.as_manager()
    # The tables are named practice_appointment and practice_historicalappointment; see
    # migration appointments.0001.
    history = HistoricalRecords(table_name="practice_historicalappointment")

    class Meta:
        db_table = "practice_appointment"
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["therapist", "starts_at"]),
            models.Index(fields=["patient", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="appointment_duration_5_to_480_minutes",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M} UTC"
