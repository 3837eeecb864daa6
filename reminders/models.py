from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from patients.models import Patient
from practice.models import Clinic, StaffMember
from practice.tenancy import ClinicScopedQuerySet


class PushToken(models.Model):
    """A phone's push token, a patient's (`Device`) or a staff member's (`StaffDevice`).
    A token has one owner across both: registering it again moves it
    (`reminders.device_tokens`)."""

    class Platform(models.TextChoices):
        IOS = "ios", "iOS"
        ANDROID = "android", "Android"
        WEB = "web", "Web"

    token = models.CharField(max_length=4096, unique=True)
    platform = models.CharField(max_length=10, choices=Platform.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-last_seen_at"]


class Device(PushToken):
    """A patient's phone. Registering its token again from another login moves it, so a
    shared phone never gets someone else's reminders."""

    clinic_path = "patient__clinic"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="devices")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} device of {self.patient}"


class StaffDevice(PushToken):
    """A staff member's phone, for urgent alerts by push; its token is taken from any
    patient or staff member who had it."""

    clinic_path = "staff__clinic"

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="devices")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} device of {self.staff}"


class StaffContact(models.Model):
    """How a staff member may be reached about alerts, with their consent per channel.

    A staff member without a row is reached by email only (their login's address): work
    email is part of the job, a personal phone is theirs to offer.
    """

    clinic_path = "staff__clinic"

    staff = models.OneToOneField(StaffMember, on_delete=models.CASCADE, related_name="contact")
    phone = PhoneNumberField(blank=True, help_text="International format, e.g. +12025550143.")
    consent_email = models.BooleanField("alerts by email", default=True)
    consent_sms = models.BooleanField("urgent alerts by SMS", default=False)
    consent_push = models.BooleanField("alerts by push to my devices", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "staff alert contact"

    def __str__(self) -> str:
        return f"Alert contact of {self.staff}"


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
        ]

    def __str__(self) -> str:
        when = f"{self.scheduled_for:%Y-%m-%d %H:%M} UTC"
        return f"{self.get_kind_display()} by {self.channel} at {when}"

    @property
    def recipient(self):
        """Staff notifications may name the patient they are about; the staff member
        is who receives them."""
        return self.staff if self.staff_id else self.patient


def _weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


def _validate_working_days(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(day, int)
        and not isinstance(day, bool)
        and calendar.MONDAY <= day <= calendar.SUNDAY
        for day in value
    ):
        raise ValidationError("List the working days as numbers, 0 = Monday ... 6 = Sunday.")
    if len(set(value)) != len(value):
        raise ValidationError("A working day is listed twice.")


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
    escalation_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="Minutes an urgent alert may stay unacknowledged before the rest of the "
        "clinic is told, and again each time this long passes.",
    )
    working_days = models.JSONField(
        default=_weekdays,
        blank=True,
        validators=[_validate_working_days],
        help_text="Days the clinic is open, 0 = Monday ... 6 = Sunday.",
    )
    opens_at = models.TimeField(
        default=datetime.time(8, 0), help_text="Clinic time; routine alerts wait for it."
    )
    closes_at = models.TimeField(default=datetime.time(18, 0), help_text="Clinic time.")

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "clinic reminder settings"
        verbose_name_plural = "clinic reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="clinic_reminder_settings_opens_before_closing",
                violation_error_message="The clinic must open before it closes.",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder settings of {self.clinic}"

    @property
    def lead_hours(self) -> list[int]:
        return list(self.appointment_lead_hours) or [24, 2]
