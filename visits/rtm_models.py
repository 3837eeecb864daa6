"""Remote therapeutic monitoring: an episode per patient, with the clinicians' time.

The data days are not stored: they are counted from what the app records (visits.rtm).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from practice.tenancy import ClinicalRecord


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    IN_APP = "in_app", "In the app"
    WRITTEN = "written", "Signed form"


class RtmEpisode(ClinicalRecord):
    """Medicare requires the patient's consent to monitoring before it is billed, noted
    in the record (CY 2026 PFS final rule, RTM section); 98975 bills the set-up once."""

    clinic_path = "patient__clinic"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="rtm_episodes"
    )
    # The first day of the first 30-day period, in the patient's own calendar.
    starts_on = models.DateField()
    consent_at = models.DateTimeField()
    consent_recorded_by = models.ForeignKey(
        "practice.StaffMember", on_delete=models.PROTECT, related_name="+"
    )
    consent_method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    onboarded_on = models.DateField(
        null=True, blank=True, help_text="When the patient was set up and taught (98975)."
    )
    onboarded_by = models.ForeignKey(
        "practice.StaffMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "RTM episode"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(ended_on__isnull=True),
                name="rtm_one_open_episode_per_patient",
                violation_error_message="This patient is already being monitored.",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("starts_on")),
                name="rtm_episode_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"RTM from {self.starts_on.isoformat()}"


class RtmTimeEntry(ClinicalRecord):
    """Treatment-management time a clinician spent on the patient's monitoring data."""

    clinic_path = "episode__patient__clinic"

    episode = models.ForeignKey(RtmEpisode, on_delete=models.PROTECT, related_name="time_entries")
    clinician = models.ForeignKey(
        "practice.StaffMember", on_delete=models.PROTECT, related_name="rtm_time_entries"
    )
    # The clinic-local day the time was spent; it decides the calendar month billed.
    worked_on = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    interactive = models.BooleanField(
        "interactive communication",
        default=False,
        help_text="A real-time call or video visit with the patient (or caregiver).",
    )
    note = models.TextField(help_text="What was reviewed or decided.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "RTM time entry"
        verbose_name_plural = "RTM time entries"
        ordering = ["-worked_on", "-id"]
        indexes = [models.Index(fields=["episode", "worked_on"])]

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.worked_on.isoformat()}"
