from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, ngettext
from simple_history.models import HistoricalRecords

from core.translations import translation_columns
from patients.models import Cause, Diagnosis, Patient
from practice.models import StaffMember
from practice.tenancy import ClinicalRecord

# Sessions and their pain readings, and the exercises' media, have modules of their own;
# imported here so the app registers them and `programs.models` names every model of it.
from .media_models import ExerciseMedia, MediaKind
from .session_models import (
    ExerciseSession,
    ExtentChange,
    PainExtent,
    PainReadings,
    PainResponse,
    SessionExercise,
)

__all__ = [
    "Category",
    "Contraindication",
    "Dosage",
    "Exercise",
    "ExerciseMedia",
    "ExerciseSession",
    "ExtentChange",
    "MediaKind",
    "Method",
    "PainExtent",
    "PainReadings",
    "PainResponse",
    "PrescribedExercise",
    "Prescription",
    "ProgramKind",
    "ProgramPhase",
    "ProgramTemplate",
    "SessionExercise",
    "StopReason",
    "TemplateExercise",
    "Weekday",
]


class Category(models.TextChoices):
    STRETCHING = "stretching", "Stretching"
    STRENGTHENING = "strengthening", "Strengthening"
    LOW_IMPACT_AEROBIC = "low_impact_aerobic", "Low-impact aerobic"
    MCKENZIE = "mckenzie", "McKenzie movement"
    SELF_CARE = "self_care", "Self-care"


class Method(models.TextChoices):
    MCKENZIE = "mckenzie", "McKenzie (Mechanical Diagnosis and Therapy)"
    STABILIZATION = "stabilization", "Dynamic Lumbar Stabilization"


class ProgramKind(models.TextChoices):
    MCKENZIE = "mckenzie", "McKenzie"
    STABILIZATION = "stabilization", "Dynamic Lumbar Stabilization"
    STRETCHING = "stretching", "Stretching"
    AEROBIC = "aerobic", "Low-impact aerobic"
    SELF_CARE = "self_care", "Self-care"


class Dosage(models.Model):
    sets = models.PositiveSmallIntegerField(null=True, blank=True)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    times_per_day = models.PositiveSmallIntegerField(null=True, blank=True)

    DOSAGE_FIELDS = ("sets", "reps", "hold_seconds", "minutes", "times_per_day")

    class Meta:
        abstract = True

    @property
    def dosage(self) -> dict[str, int | None]:
        return {field: getattr(self, field) for field in self.DOSAGE_FIELDS}

    @property
    def dosage_text(self) -> str:
        parts = []
        sets, reps, times = self.sets, self.reps, self.times_per_day
        if sets and reps:
            parts.append(f"{sets} x {reps}")
        elif reps:
            parts.append(ngettext("%(reps)s rep", "%(reps)s reps", reps) % {"reps": reps})
        elif sets:
            parts.append(ngettext("%(sets)s set", "%(sets)s sets", sets) % {"sets": sets})
        if self.hold_seconds:
            parts.append(gettext("hold %(seconds)s s") % {"seconds": self.hold_seconds})
        if self.minutes:
            parts.append(f"{self.minutes} min")
        if times:  # English "1x" and "2x" alike; Spanish "1 vez", "2 veces"
            parts.append(ngettext("%(times)sx a day", "%(times)sx a day", times) % {"times": times})
        return ", ".join(parts) or gettext("as directed")


class Exercise(Dosage):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=32, choices=Category.choices)
    methods = models.JSONField(default=list, blank=True, help_text="Method tags.")
    summary = models.CharField(max_length=300)
    instructions = models.TextField(help_text="One step per line.")
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords(
        excluded_fields=translation_columns("name", "summary", "instructions")
    )

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.instructions.splitlines() if line.strip()]


class Contraindication(models.Model):
    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="contraindications"
    )
    cause = models.CharField(max_length=32, choices=Cause.choices)
    reason = models.CharField(max_length=300)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "cause"], name="contraindication_once_per_cause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: not for {self.get_cause_display().lower()}"


class ProgramTemplate(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ProgramKind.choices)
    description = models.TextField()
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords(excluded_fields=translation_columns("name", "description"))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgramPhase(models.Model):
    template = models.ForeignKey(ProgramTemplate, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    goal = models.CharField(max_length=300, blank=True)
    weeks = models.PositiveSmallIntegerField(default=2)

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="phase_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="phase_number_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.template} - phase {self.number}: {self.name}"


class TemplateExercise(Dosage):
    phase = models.ForeignKey(ProgramPhase, on_delete=models.CASCADE, related_name="exercises")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["phase", "order"]

    def __str__(self) -> str:
        return f"{self.exercise} ({self.dosage_text})"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Prescription(ClinicalRecord):
    """A patient's program (a FHIR CarePlan in spirit).

    The template's phases and dosages are copied at prescription time, so editing the
    library never changes what a patient was prescribed.
    """

    clinic_path = "patient__clinic"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    OPEN_STATUSES = (Status.ACTIVE, Status.PAUSED)

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="prescriptions")
    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.PROTECT, related_name="prescriptions")
    template = models.ForeignKey(
        ProgramTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prescriptions",
    )
    name = models.CharField(max_length=200)
    prescribed_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="prescriptions"
    )
    start_date = models.DateField()
    phase_names = models.JSONField(default=list, editable=False)
    current_phase = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    weekdays = models.JSONField(default=list, help_text="0 = Monday ... 6 = Sunday.")
    reminder_times = models.JSONField(default=list, help_text='Local times, e.g. ["08:00"].')
    notes = models.TextField(blank=True)
    # Set when the "no improvement after 6 weeks of good adherence" alert was raised for
    # this program (outcomes.progress_review): that alert comes once per program.
    no_improvement_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            # One program at a time keeps "today's exercises" unambiguous for the patient.
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status__in=["active", "paused"]),
                name="one_open_prescription_per_patient",
            ),
            models.CheckConstraint(
                condition=models.Q(current_phase__gte=1), name="prescription_phase_from_1"
            ),
        ]
        indexes = [models.Index(fields=["status", "patient"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display().lower()})"

    @property
    def current_phase_name(self) -> str:
        if 0 < self.current_phase <= len(self.phase_names):
            return self.phase_names[self.current_phase - 1]
        return generic_phase_name(self.current_phase)


# The names a program gets when the therapist gives none, stored in English as every
# stored name is; the patient's app shows them translated (programs.today).
CUSTOM_PROGRAM_NAME = "Custom program"


def generic_phase_name(number: int) -> str:
    return f"Phase {number}"


class StopReason(models.TextChoices):
    """Why the safety rules stopped a prescribed exercise."""

    LEG_PAIN_ROSE = "leg_pain_rose", "Leg pain rose by 2 or more"
    BACK_PAIN_ROSE = "back_pain_rose", "Back pain rose by 2 or more without centralization"
    PAIN_ROSE = "pain_rose", "Pain rose by 2 or more"
    PERIPHERALIZED = "peripheralized", "Pain spread further down the leg"


class PrescribedExercise(ClinicalRecord, Dosage):
    clinic_path = "prescription__patient__clinic"

    prescription = models.ForeignKey(
        Prescription, on_delete=models.PROTECT, related_name="exercises"
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    phase = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField(default=0)
    contraindication_override = models.TextField(
        blank=True, help_text="Why this exercise is prescribed despite a contraindication."
    )
    # Set by programs.safety when a session showed this exercise makes the pain worse
    # or spread: the app tells the patient to stop it and contact the therapist. Only a
    # clinician resumes it (programs.services.exercise_resume), with a note.
    stopped_for_pain_at = models.DateTimeField(null=True, blank=True, editable=False)
    stop_reason = models.CharField(
        max_length=24, choices=StopReason.choices, blank=True, editable=False
    )
    # The English text of the stop, for the record, the history and staff; the patient
    # reads it composed in their language (programs.stop_messages) from the reason, the
    # pain readings below and the two fields after them.
    stop_message = models.CharField(max_length=300, blank=True, editable=False)
    # The pain reading (0-10) that stopped it: leg pain for a leg-pain rise or a
    # spreading pain, back pain for a back-pain rise.
    stop_pain_before = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    stop_pain_after = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # How far down the leg the pain reached in that session, and the session's date on
    # the patient's calendar at the stop: what the message says besides the pain.
    stop_pain_extent = models.CharField(
        max_length=16, choices=PainExtent.choices, blank=True, editable=False
    )
    stop_session_date = models.DateField(null=True, blank=True, editable=False)
    stopped_by_session = models.ForeignKey(
        "ExerciseSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The last resumption; every earlier stop and resumption stays in the history.
    resumed_at = models.DateTimeField(null=True, blank=True, editable=False)
    resumed_by = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    resume_note = models.TextField(blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["prescription", "phase", "order"]

    def __str__(self) -> str:
        return f"{self.exercise} ({self.dosage_text})"

    @property
    def stop_and_contact_therapist(self) -> bool:
        return self.stopped_for_pain_at is not None
