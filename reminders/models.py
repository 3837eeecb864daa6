from __future__ import annotations

from django.db import models

from patients.models import Patient
from practice.models import Clinic, StaffMember
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


class Kind(models.TextChoices):
    EXERCISE = "exercise", "Exercise reminder"
    APPOINTMENT = "appointment", "Appointment reminder"
    QUESTIONNAIRE = "questionnaire", "Questionnaire due"
    NUDGE = "nudge", "Inactivity nudge"
    INACTIVITY_ALERT = "inactivity_alert", "Inactive patient (to the therapist)"
    URGENT_ALERT = "urgent_alert", "Urgent clinical alert (to the therapist)"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    PUSH = "push", "Push"


class NotificationQuerySet(ClinicScopedQuerySet):
    def due(self, now):
        return self.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)


class Notification(models.Model):
    """The outbox: one row per message to send.

    The planner inserts rows (the unique key makes planning twice harmless), the
    dispatcher claims due rows, and the delivery task sends each one. `next_attempt_at`
    starts at `scheduled_for` and moves on with each transient failure.
    """

    clinic_path = "clinic"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="notifications")
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    source = models.CharField(
        max_length=120, help_text="What the message is about, e.g. prescription:12."
    )
    scheduled_for = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivery_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "scheduled_for", "channel"], name="notification_once"
            ),
            models.CheckConstraint(
                condition=models.Q(patient__isnull=False) | models.Q(staff__isnull=False),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            # The dispatcher's claim: pending rows by due time.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="notification_due",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(status="sending"),
                name="notification_in_flight",
            ),
            models.Index(fields=["clinic", "status", "-scheduled_for"]),
            models.Index(fields=["patient", "kind", "-scheduled_for"]),
        ]

    def __str__(self) -> str:
        when = f"{self.scheduled_for:%Y-%m-%d %H:%M} UTC"
        return f"{self.get_kind_display()} by {self.channel} at {when}"

    @property
    def recipient(self):
        """Staff notifications may name the patient they are about; the staff member
        is who receives them."""
        return self.staff if self.staff_id else self.patient


class ClinicReminderSettings(models.Model):
    """A clinic's reminder defaults; a clinic without a row uses the field defaults."""

    clinic_path = "clinic"

    clinic = models.OneToOneField(
        Clinic, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    exercise_reminders = models.BooleanField(default=True)
    appointment_reminders = models.BooleanField(default=True)
    appointment_lead_hours = models.JSONField(
        default=list, blank=True, help_text="Hours before an appointment; empty means [24, 2]."
    )
    nudge_after_days = models.PositiveSmallIntegerField(
        default=3, help_text="Days without a logged session before the patient is nudged."
    )
    therapist_alert_after_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days without a logged session before the therapist is told."
    )

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "clinic reminder settings"
        verbose_name_plural = "clinic reminder settings"

    def __str__(self) -> str:
        return f"Reminder settings of {self.clinic}"

    @property
    def lead_hours(self) -> list[int]:
        return list(self.appointment_lead_hours) or [24, 2]
