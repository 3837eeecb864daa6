"""A clinic's reminder settings."""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from practice.models import Clinic
from practice.tenancy import ClinicScopedQuerySet


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
