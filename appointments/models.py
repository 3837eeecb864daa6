"""A visit booked with a therapist."""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.localtime import moment_text
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
    location = models.TextField(
        blank=True,
        help_text="Where the patient should go, as they should read it. Blank: the clinic's "
        "address.",
    )
    telehealth_url = models.URLField(
        "telehealth link",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text="The video call's link, for a visit held remotely.",
    )
    # When it was last confirmed (by the patient in the app, or by staff); a reschedule
    # clears it, since the new time has not been confirmed.
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the patient arrived at the desk; the visit is still to be marked attended.
    checked_in_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The visits booked together as one recurring series ("weekly for 6 weeks").
    series = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Who cancelled is in the history; this tells the patient's own cancellation from the
    # clinic's without reading it.
    cancelled_by_patient = models.BooleanField(default=False, editable=False)
    cancellation_reason = models.TextField(blank=True, editable=False)
    # Set only when a visit that already happened is entered afterwards
    # (`appointment_record_past`): why it was not booked beforehand.
    late_entry_reason = models.TextField("reason for recording a past visit", blank=True)
    # The iCalendar SEQUENCE of the visit: one more each time its time, place or status
    # changes, so a subscribed calendar replaces its copy (interop.ical). Every service
    # that changes those bumps it on the row it holds locked.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # What an app that was offline asks for (`?since=`). Every write of the row moves it:
    # services that save with `update_fields` or in bulk name it themselves.
    updated_at = models.DateTimeField(auto_now=True)

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
            models.Index(fields=["patient", "updated_at"]),
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
        return f"{self.get_kind_display()} {moment_text(self.starts_at)}"
