"""The visit note: what the therapist found and did at one attended visit.

A note is written during or after the visit, signed by its therapist, and then locked:
whatever is learnt later is an addendum. Notes are never deleted and keep a history.
The objective examination is stored as columns, one per finding, so the next note can
be prefilled from this one and findings can be compared across visits.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from practice.tenancy import ClinicalRecord, ClinicScopedQuerySet
from programs.session_models import PainExtent

LEVELS = ("l2", "l3", "l4", "l5", "s1")
SIDES = ("left", "right")
# The key muscle of each myotome, as a lumbar examination tests it.
MYOTOME_MUSCLES = {
    "l2": "hip flexion",
    "l3": "knee extension",
    "l4": "ankle dorsiflexion",
    "l5": "great toe extension",
    "s1": "ankle plantar flexion",
}


class NoteKind(models.TextChoices):
    EVALUATION = "evaluation", "Evaluation"
    DAILY = "daily", "Daily note"
    PROGRESS = "progress", "Progress note"
    RE_EVALUATION = "re_evaluation", "Re-evaluation"
    DISCHARGE = "discharge", "Discharge summary"


# The notes that restart Medicare's count of treatment days toward a progress report.
REPORTING_KINDS = (NoteKind.EVALUATION, NoteKind.PROGRESS, NoteKind.RE_EVALUATION)


class MovementLoss(models.TextChoices):
    """McKenzie's grading of lumbar range of motion."""

    NONE = "none", "No loss"
    MINIMAL = "minimal", "Minimal loss"
    MODERATE = "moderate", "Moderate loss"
    MAJOR = "major", "Major loss"


class RepeatedMovementResponse(models.TextChoices):
    CENTRALIZES = "centralizes", "Centralizes"
    PERIPHERALIZES = "peripheralizes", "Peripheralizes"
    NO_EFFECT = "no_effect", "No effect"


class DirectionalPreference(models.TextChoices):
    EXTENSION = "extension", "Extension"
    FLEXION = "flexion", "Flexion"
    LATERAL_LEFT = "lateral_left", "Lateral, to the left"
    LATERAL_RIGHT = "lateral_right", "Lateral, to the right"
    NONE = "none", "None found"


class Reflex(models.TextChoices):
    """The NINDS scale, 0 to 4+."""

    ABSENT = "0", "0 absent"
    REDUCED = "1", "1+ reduced"
    NORMAL = "2", "2+ normal"
    BRISK = "3", "3+ brisk"
    CLONUS = "4", "4+ clonus"


class Sensation(models.TextChoices):
    NORMAL = "normal", "Normal"
    REDUCED = "reduced", "Reduced"


def _strength(level: str, side: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        f"{level.upper()} {MYOTOME_MUSCLES[level]}, {side}",
        null=True,
        blank=True,
        validators=[MaxValueValidator(5)],
        help_text="Oxford scale, 0-5.",
    )


def _sensation(level: str, side: str) -> models.CharField:
    return models.CharField(
        f"{level.upper()} dermatome, {side}", max_length=8, choices=Sensation.choices, blank=True
    )


def _reflex(name: str, side: str) -> models.CharField:
    return models.CharField(f"{name}, {side}", max_length=1, choices=Reflex.choices, blank=True)


def _loss(name: str) -> models.CharField:
    return models.CharField(name, max_length=10, choices=MovementLoss.choices, blank=True)


def _slr_degrees(side: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        f"straight leg raise, {side} (degrees)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
    )


def _reproduces(test: str, side: str) -> models.BooleanField:
    return models.BooleanField(f"{test}, {side}: reproduces leg pain", null=True, blank=True)


def _pain() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)], help_text="0-10."
    )


class ObjectiveFindings(models.Model):
    """The sciatica examination; every finding may be left blank (not tested)."""

    slr_left_degrees = _slr_degrees("left")
    slr_left_reproduces = _reproduces("straight leg raise", "left")
    slr_right_degrees = _slr_degrees("right")
    slr_right_reproduces = _reproduces("straight leg raise", "right")
    slump_left_reproduces = _reproduces("slump test", "left")
    slump_right_reproduces = _reproduces("slump test", "right")

    flexion_loss = _loss("lumbar flexion")
    extension_loss = _loss("lumbar extension")
    side_bending_left_loss = _loss("side bending, left")
    side_bending_right_loss = _loss("side bending, right")
    repeated_movement_response = models.CharField(
        max_length=16, choices=RepeatedMovementResponse.choices, blank=True
    )
    directional_preference = models.CharField(
        max_length=16, choices=DirectionalPreference.choices, blank=True
    )

    myotome_l2_left = _strength("l2", "left")
    myotome_l2_right = _strength("l2", "right")
    myotome_l3_left = _strength("l3", "left")
    myotome_l3_right = _strength("l3", "right")
    myotome_l4_left = _strength("l4", "left")
    myotome_l4_right = _strength("l4", "right")
    myotome_l5_left = _strength("l5", "left")
    myotome_l5_right = _strength("l5", "right")
    myotome_s1_left = _strength("s1", "left")
    myotome_s1_right = _strength("s1", "right")

    reflex_patellar_left = _reflex("patellar reflex (L4)", "left")
    reflex_patellar_right = _reflex("patellar reflex (L4)", "right")
    reflex_achilles_left = _reflex("Achilles reflex (S1)", "left")
    reflex_achilles_right = _reflex("Achilles reflex (S1)", "right")

    dermatome_l2_left = _sensation("l2", "left")
    dermatome_l2_right = _sensation("l2", "right")
    dermatome_l3_left = _sensation("l3", "left")
    dermatome_l3_right = _sensation("l3", "right")
    dermatome_l4_left = _sensation("l4", "left")
    dermatome_l4_right = _sensation("l4", "right")
    dermatome_l5_left = _sensation("l5", "left")
    dermatome_l5_right = _sensation("l5", "right")
    dermatome_s1_left = _sensation("s1", "left")
    dermatome_s1_right = _sensation("s1", "right")

    gait = models.TextField(blank=True, help_text="e.g. antalgic, foot drop on the left.")

    class Meta:
        abstract = True


def objective_field_names() -> list[str]:
    """The examination's columns, in form order: what a new note copies from the last."""
    return [f.name for f in ObjectiveFindings._meta.get_fields()]


class VisitNote(ObjectiveFindings, ClinicalRecord):
    clinic_path = "patient__clinic"

    appointment = models.OneToOneField(
        "appointments.Appointment", on_delete=models.PROTECT, related_name="visit_note"
    )
    # The appointment's patient, kept here so a patient's notes are one indexed query.
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="visit_notes"
    )
    therapist = models.ForeignKey(
        "practice.StaffMember",
        on_delete=models.PROTECT,
        related_name="visit_notes",
        help_text="The rendering clinician, who signs the note.",
    )
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    # The clinic-local date of service, the appointment's day.
    visit_on = models.DateField(editable=False)

    back_pain = _pain()
    leg_pain = _pain()
    pain_reach = models.CharField(
        "where the pain reaches", max_length=16, choices=PainExtent.choices, blank=True
    )
    eases = models.TextField("what eases it", blank=True)
    aggravates = models.TextField("what aggravates it", blank=True)
    function = models.TextField("function, in the patient's words", blank=True)

    assessment = models.TextField(blank=True)
    plan = models.TextField(blank=True)

    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_by = models.ForeignKey(
        "practice.StaffMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-visit_on", "-id"]
        indexes = [models.Index(fields=["patient", "visit_on"])]
        # Billing is its own duty: a clinic admin, or whoever the clinic grants it, sees
        # the billed lines and exports them, without reading the clinical note.
        permissions = [("view_billing", "Can see and export what visits and monitoring bill")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True, signed_by__isnull=True)
                | models.Q(signed_at__isnull=False, signed_by__isnull=False),
                name="visitnote_signed_with_signer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visit_on.isoformat()}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class Addendum(ClinicalRecord):
    """A later correction or addition to a signed note; never edited once written."""

    clinic_path = "note__patient__clinic"

    note = models.ForeignKey(VisitNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey("practice.StaffMember", on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    reason = models.CharField(max_length=200, help_text="Why the note needed it.")
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "addenda"
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"Addendum {self.written_at:%Y-%m-%d}"


class ProcedureLine(models.Model):
    """A CPT code performed at the visit, with its minutes and the units it bills.

    The units are stored as computed when the procedures were saved (visits.units, by
    the payer's rule then), with the reason, so a later change of payer does not rewrite
    what a signed note billed. While the note is a draft its list is replaced whole
    (the history keeps what was removed); once signed it is locked with the note."""

    clinic_path = "note__patient__clinic"

    note = models.ForeignKey(VisitNote, on_delete=models.PROTECT, related_name="procedures")
    code = models.CharField("CPT code", max_length=5)
    minutes = models.PositiveSmallIntegerField()
    units = models.PositiveSmallIntegerField(editable=False)
    rule = models.CharField(max_length=3, editable=False)
    reason = models.CharField(max_length=200, editable=False)

    objects = ClinicScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["note", "code"]
        constraints = [
            models.UniqueConstraint(fields=["note", "code"], name="procedure_once_per_note"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.minutes} min, {self.units} units"
