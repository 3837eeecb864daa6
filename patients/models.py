from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from core.validators import validate_time_zone
from practice.models import Clinic, StaffMember, User
from practice.tenancy import ClinicalRecord


class Cause(models.TextChoices):
    HERNIATED_DISC = "herniated_disc", "Herniated disc"
    DEGENERATIVE_DISC_DISEASE = "degenerative_disc_disease", "Degenerative disc disease"
    PIRIFORMIS_SYNDROME = "piriformis_syndrome", "Piriformis syndrome"
    SPONDYLOLISTHESIS = "spondylolisthesis", "Spondylolisthesis"
    SPINAL_STENOSIS = "spinal_stenosis", "Spinal stenosis"
    OTHER = "other", "Other"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Bilateral"


class Chronicity(models.TextChoices):
    ACUTE = "acute", "Acute (under 6 weeks)"
    SUBACUTE = "subacute", "Subacute (6-12 weeks)"
    CHRONIC = "chronic", "Chronic (over 12 weeks)"


class Patient(ClinicalRecord):
    clinic_path = "clinic"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        DISCHARGED = "discharged", "Discharged"
        ARCHIVED = "archived", "Archived"

    class Referral(models.TextChoices):
        DIRECT_ACCESS = "direct_access", "Direct access"
        PHYSICIAN = "physician", "Physician referral"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    user = models.OneToOneField(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="patient_profile"
    )
    mrn = models.CharField("MRN", max_length=32, help_text="Medical record number in this clinic.")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = PhoneNumberField(blank=True, help_text="International format, e.g. +12025550143.")
    time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    consent_email = models.BooleanField("consents to email reminders", default=False)
    consent_sms = models.BooleanField("consents to SMS reminders", default=False)
    consent_push = models.BooleanField("consents to push reminders", default=False)
    # When SMS consent last changed (an opt-in, a STOP, a withdrawal in the app or by
    # staff): a replayed STOP older than the latest opt-in changes nothing.
    consent_sms_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text="The language of the app's texts and reminders. Blank: the phone's.",
    )
    quiet_hours_start = models.TimeField(default=datetime.time(21, 0))
    quiet_hours_end = models.TimeField(default=datetime.time(8, 0))
    primary_therapist = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_patients",
    )
    referral = models.CharField(
        max_length=20, choices=Referral.choices, default=Referral.DIRECT_ACCESS
    )
    referring_physician = models.CharField(max_length=200, blank=True)
    referral_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # Set by a positive red-flag screen, cleared only by a clinician with a note.
    medical_hold_since = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by a positive serious-pathology flag (not an emergency): treatment waits until a
    # clinician records the outcome of the referral to a physician.
    referral_hold_since = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        permissions = [("clear_medical_hold", "Can clear a red-flag medical hold")]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "mrn"], name="patient_mrn_unique_per_clinic"),
            models.CheckConstraint(
                condition=models.Q(referral="direct_access")
                | (~models.Q(referring_physician="") & models.Q(referral_date__isnull=False)),
                name="patient_physician_referral_has_physician_and_date",
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "last_name", "first_name"]),
            models.Index(fields=["clinic", "status"]),
            # The reminders' hold pass reads the few held patients every tick.
            models.Index(
                fields=["medical_hold_since"],
                condition=models.Q(medical_hold_since__isnull=False),
                name="patient_on_medical_hold",
            ),
            models.Index(
                fields=["referral_hold_since"],
                condition=models.Q(referral_hold_since__isnull=False),
                name="patient_on_referral_hold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} ({self.mrn})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def on_medical_hold(self) -> bool:
        return self.medical_hold_since is not None

    @property
    def on_referral_hold(self) -> bool:
        return self.referral_hold_since is not None

    @property
    def on_hold(self) -> bool:
        """Either hold stops the exercise program; only the medical one is an emergency."""
        return self.on_medical_hold or self.on_referral_hold


class Diagnosis(ClinicalRecord):
    clinic_path = "patient__clinic"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="diagnoses")
    cause = models.CharField(max_length=32, choices=Cause.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    icd10_code = models.CharField("ICD-10-CM code", max_length=8, help_text="The primary code.")
    # Up to three further codes, each checked with the primary (patients.icd10): bilateral
    # sciatica is coded as right plus left, e.g. M54.31 with M54.32.
    secondary_icd10_codes = models.JSONField("secondary ICD-10-CM codes", default=list, blank=True)
    onset_date = models.DateField(help_text="When the symptoms began.")
    diagnosed_on = models.DateField(default=datetime.date.today)
    diagnosed_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="diagnoses_made"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "diagnoses"
        ordering = ["-diagnosed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_cause_display()}, {self.get_side_display().lower()} ({self.icd10_code})"

    def chronicity(self, today: datetime.date | None = None) -> Chronicity:
        days = ((today or timezone.localdate()) - self.onset_date).days
        if days < 6 * 7:
            return Chronicity.ACUTE
        if days <= 12 * 7:
            return Chronicity.SUBACUTE
        return Chronicity.CHRONIC


class RedFlagScreening(ClinicalRecord):
    clinic_path = "patient__clinic"

    class Source(models.TextChoices):
        CLINICIAN = "clinician", "Clinician screening"
        PATIENT_REPORT = "patient_report", "Reported by the patient"

    # (field, what the patient and therapist read) in the order a screen asks them.
    FLAGS = (
        ("progressive_weakness", "Progressive leg weakness"),
        ("foot_drop", "Foot drop"),
        ("bowel_bladder_dysfunction", "New loss of bowel or bladder control"),
        ("saddle_numbness", "Saddle (perineal) numbness"),
        ("bilateral_symptoms", "Symptoms in both legs"),
    )
    # Serious-pathology flags (not emergencies): the patient sees a physician before
    # treatment goes on. The guideline behind the list is cited in patients.screening.
    SERIOUS_FLAGS = (
        ("history_of_cancer", "History of cancer"),
        ("unexplained_weight_loss", "Unexplained weight loss"),
        ("fever_or_recent_infection", "Fever or recent infection"),
        ("significant_trauma", "Significant trauma"),
        ("immunosuppression_or_steroids", "Immunosuppression or long-term steroids"),
        ("intravenous_drug_use", "Intravenous drug use"),
        ("over_50_with_new_episode", "Age over 50 with a new episode"),
        ("constant_night_pain", "Constant night pain not eased by any position"),
    )

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.CLINICIAN)
    screened_at = models.DateTimeField(default=timezone.now)
    screened_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="screenings"
    )
    progressive_weakness = models.BooleanField("progressive leg weakness", default=False)
    foot_drop = models.BooleanField(default=False)
    bowel_bladder_dysfunction = models.BooleanField(
        "new loss of bowel or bladder control", default=False
    )
    saddle_numbness = models.BooleanField("saddle (perineal) numbness", default=False)
    bilateral_symptoms = models.BooleanField("symptoms in both legs", default=False)
    history_of_cancer = models.BooleanField(default=False)
    unexplained_weight_loss = models.BooleanField(default=False)
    fever_or_recent_infection = models.BooleanField(default=False)
    significant_trauma = models.BooleanField(default=False)
    immunosuppression_or_steroids = models.BooleanField(
        "immunosuppression or long-term steroids", default=False
    )
    intravenous_drug_use = models.BooleanField(default=False)
    over_50_with_new_episode = models.BooleanField("age over 50 with a new episode", default=False)
    constant_night_pain = models.BooleanField(
        "constant night pain not eased by any position", default=False
    )
    notes = models.TextField(blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True, editable=False)
    cleared_by = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="clearances",
    )
    clearance_note = models.TextField(blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-screened_at"]

    def __str__(self) -> str:
        verdict = "positive" if self.is_positive else "negative"
        return f"Red-flag screen {self.screened_at:%Y-%m-%d} ({verdict})"

    @property
    def positive_flags(self) -> list[str]:
        return [label for field, label in self.FLAGS if getattr(self, field)]

    @property
    def is_positive(self) -> bool:
        """An emergency flag: the medical hold."""
        return bool(self.positive_flags)

    @property
    def positive_serious_flags(self) -> list[str]:
        return [label for field, label in self.SERIOUS_FLAGS if getattr(self, field)]

    @property
    def needs_referral(self) -> bool:
        """A serious-pathology flag: the refer-before-treatment hold."""
        return bool(self.positive_serious_flags)


class ClinicalAlert(ClinicalRecord):
    clinic_path = "patient__clinic"

    class Kind(models.TextChoices):
        RED_FLAG = "red_flag", "Red flag"
        PAIN_INCREASE = "pain_increase", "Pain increase"
        PERIPHERALIZATION = "peripheralization", "Peripheralization"
        INACTIVITY = "inactivity", "Inactivity"
        NO_IMPROVEMENT = "no_improvement", "No improvement"
        EXERCISED_DURING_HOLD = "exercised_during_hold", "Exercised while on medical hold"
        REFERRAL_NEEDED = "referral_needed", "Referral needed (serious-pathology flag)"
        APPOINTMENT_CANCELLED = "appointment_cancelled", "Appointment cancelled by the patient"
        RECERTIFICATION_DUE = "recertification_due", "Plan of care recertification due"
        PROGRESS_NOTE_DUE = "progress_note_due", "Progress note due"
        RTM_DATA_SHORT = "rtm_data_short", "Remote monitoring short of data days"

    class Severity(models.TextChoices):
        URGENT = "urgent", "Urgent"
        ROUTINE = "routine", "Routine"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    message = models.TextField()
    screening = models.ForeignKey(
        RedFlagScreening, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="acknowledged_alerts",
    )
    # Resolved: the matter is closed (a red-flag alert when the hold is cleared, with
    # the clearing note). A resolved alert is no longer open, whether or not anyone
    # acknowledged it first, and is never escalated again.
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="resolved_alerts",
    )
    resolution_note = models.TextField(blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["acknowledged_at", "-created_at"]
        indexes = [models.Index(fields=["patient", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.get_kind_display()} ({self.patient})"

    @property
    def is_open(self) -> bool:
        """Waiting for staff: neither acknowledged nor resolved."""
        return self.acknowledged_at is None and self.resolved_at is None


class ReferralOutcome(ClinicalRecord):
    """What the physician found after a serious-pathology flag; only `cleared_to_treat`
    lifts the referral hold (patients.screening)."""

    clinic_path = "patient__clinic"

    class Outcome(models.TextChoices):
        CLEARED_TO_TREAT = "cleared_to_treat", "Cleared to treat"
        NOT_CLEARED = "not_cleared", "Not cleared: treatment waits"
        REFERRED_ELSEWHERE = "referred_elsewhere", "Referred on for further care"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="referral_outcomes")
    screening = models.ForeignKey(
        RedFlagScreening,
        on_delete=models.PROTECT,
        related_name="referral_outcomes",
        help_text="The latest screen with a serious-pathology flag when it was recorded.",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    physician_name = models.CharField(max_length=200, help_text="Who assessed the patient.")
    note = models.TextField(help_text="What the physician found or advised.")
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="referral_outcomes_recorded"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Referral outcome {self.recorded_at:%Y-%m-%d}: {self.get_outcome_display()}"


# The planner's queue lives beside the service that fills it; the app login's records
# in a module of their own.
from .account_models import AccountClosureRequest, PatientInvite  # noqa: E402, F401
from .schedule_changes import ScheduleChange  # noqa: E402, F401
