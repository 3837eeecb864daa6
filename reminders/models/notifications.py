"""The outbox."""

from __future__ import annotations

from django.db import models

from core.localtime import moment_text
from patients.models import Patient
from practice.models import Clinic, StaffMember
from practice.tenancy import ClinicScopedQuerySet


class Kind(models.TextChoices):
    EXERCISE = "exercise", "Exercise reminder"
    APPOINTMENT = "appointment", "Appointment reminder"
    QUESTIONNAIRE = "questionnaire", "Questionnaire due"
    NUDGE = "nudge", "Inactivity nudge"
    HOLD_GUIDANCE = "hold_guidance", "Emergency guidance (medical hold)"
    INACTIVITY_ALERT = "inactivity_alert", "Inactive patient (to the therapist)"
    URGENT_ALERT = "urgent_alert", "Urgent clinical alert (to the therapist)"
    ESCALATION = "escalation", "Unacknowledged urgent alert (to the clinic)"
    ROUTINE_ALERT = "routine_alert", "Routine clinical alert (to the therapist)"
    DIGEST = "digest", "Morning digest of open alerts (to staff)"


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

    class Receipt(models.TextChoices):
        DELIVERED = "delivered", "Delivered"
        UNDELIVERED = "undelivered", "Undelivered"
        FAILED = "failed", "Failed after sending"

    # Not indexed alone: both lead a composite index below, and each index more is one
    # more page to write for every row planned and claimed, in a table years long.
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="notifications", db_index=False
    )
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        db_index=False,
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
    # What the provider said afterwards (Twilio's status callback): sent is "handed
    # over", delivered is "on the phone".
    receipt = models.CharField(max_length=12, choices=Receipt.choices, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    receipt_error = models.CharField(max_length=200, blank=True)
    # When the patient opened it in the app's inbox (`reminders.inbox`). Not indexed:
    # the inbox reads one patient's rows through the patient index below, and an index
    # here would be written for every row the pipeline touches.
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "scheduled_for", "channel"], name="notification_once"
            ),
            # One emergency message per hold, whatever channel a later pass would pick.
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(kind="hold_guidance"),
                name="notification_hold_guidance_once",
            ),
            # A routine alert once per staff member, a digest once per staff member and
            # day: whatever channel or time (the clinic's hours) a concurrent pass picked.
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(kind__in=["routine_alert", "digest"]),
                name="notification_staff_message_once",
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
            # A provider's receipt names its own message id.
            models.Index(
                fields=["provider_message_id"],
                condition=~models.Q(provider_message_id=""),
                name="notification_provider_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.channel} at {moment_text(self.scheduled_for)}"

    @property
    def recipient(self):
        """Staff notifications may name the patient they are about; the staff member
        is who receives them."""
        return self.staff if self.staff_id else self.patient
