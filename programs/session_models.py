"""Exercise sessions the patient's app logs, with their pain readings.

Kept apart from programs.models (which re-exports them) so each module stays readable;
the prescription models are named by string here, so neither module imports the other
at load time.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from core.localtime import moment_text
from patients.models import Patient
from practice.tenancy import ClinicalRecord


class PainExtent(models.TextChoices):
    """How far down the leg the pain reaches, from the spine outward.

    The order matters: moving toward BACK is centralization (a good sign), toward FOOT
    peripheralization (stop that movement)."""

    BACK = "back", "Low back"
    BUTTOCK = "buttock", "Buttock"
    THIGH = "thigh", "Thigh"
    CALF = "calf", "Calf"
    FOOT = "foot", "Foot"

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)


class ExtentChange(models.TextChoices):
    """How a session's pain extent compares with the patient's previous session."""

    FIRST = "first", "First session"
    SAME = "same", "Same"
    CENTRALIZED = "centralized", "Centralized (retreated toward the back)"
    PERIPHERALIZED = "peripheralized", "Peripheralized (spread down the leg)"


class PainResponse(models.TextChoices):
    """What the safety rules made of a session's pain (programs.safety)."""

    STEADY = "steady", "No worsening"
    CENTRALIZATION = (
        "centralization",
        "Expected centralization response: back pain rose as the leg pain retreated",
    )
    WORSENED = "worsened", "Worsened: exercises stopped"


def _pain_pair_complete(prefix: str) -> models.Q:
    before, after = f"{prefix}_before__isnull", f"{prefix}_after__isnull"
    return models.Q(**{before: True, after: True}) | models.Q(**{before: False, after: False})


def _pain_at_most_10() -> models.Q:
    return models.Q(
        back_pain_before__lte=10,
        back_pain_after__lte=10,
        leg_pain_before__lte=10,
        leg_pain_after__lte=10,
    )


class PainReadings(models.Model):
    """Back pain and leg pain (0-10 each) before and after, read apart as in McKenzie
    practice: a brief rise of back pain while the leg pain retreats is expected, a rise
    of leg pain is not. Either pair may be missing (a patient without back pain, or a
    reading from before the two were recorded apart)."""

    back_pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    back_pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    leg_pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    leg_pain_after = models.PositiveSmallIntegerField(null=True, blank=True)

    PAIN_FIELDS = ("back_pain_before", "back_pain_after", "leg_pain_before", "leg_pain_after")

    class Meta:
        abstract = True

    def _worst(self, when: str) -> int | None:
        readings = (getattr(self, f"back_pain_{when}"), getattr(self, f"leg_pain_{when}"))
        known = [v for v in readings if v is not None]
        return max(known) if known else None

    @property
    def worst_pain_before(self) -> int | None:
        """The worse of back and leg pain before: the single figure charts and the old
        single-pain API use."""
        return self._worst("before")

    @property
    def worst_pain_after(self) -> int | None:
        return self._worst("after")


class ExerciseSession(PainReadings, ClinicalRecord):
    """One sitting of the program, logged by the patient's app.

    `client_id` is generated on the phone, so a retried upload finds the session it
    already created instead of logging a second one.
    """

    clinic_path = "patient__clinic"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sessions")
    prescription = models.ForeignKey(
        "programs.Prescription", on_delete=models.PROTECT, related_name="sessions"
    )
    client_id = models.UUIDField()
    performed_at = models.DateTimeField()
    pain_extent = models.CharField(
        max_length=10,
        choices=PainExtent.choices,
        help_text="How far down the leg the pain reaches after the session.",
    )
    pain_extent_before = models.CharField(
        max_length=10,
        choices=PainExtent.choices,
        blank=True,
        help_text="How far it reached before the session; blank when the app did not say.",
    )
    # Against the patient's previous session (programs.safety); blank on sessions logged
    # before the comparison existed.
    extent_change = models.CharField(
        max_length=16, choices=ExtentChange.choices, blank=True, editable=False
    )
    # Blank when no pain rule ran: logged before the rules read back and leg pain apart,
    # or done during a hold.
    pain_response = models.CharField(
        max_length=16, choices=PainResponse.choices, blank=True, editable=False
    )
    # Performed while the patient was on a medical or referral hold: kept (an offline
    # phone loses nothing) but out of adherence and of the pain rules.
    during_hold = models.BooleanField(default=False, editable=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-performed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "client_id"], name="session_client_id_once_per_patient"
            ),
            models.CheckConstraint(
                condition=_pain_at_most_10(),
                name="session_back_and_leg_pain_0_to_10",
            ),
            models.CheckConstraint(
                condition=_pain_pair_complete("back_pain") & _pain_pair_complete("leg_pain"),
                name="session_pain_before_and_after",
            ),
            models.CheckConstraint(
                condition=models.Q(back_pain_before__isnull=False)
                | models.Q(leg_pain_before__isnull=False),
                name="session_back_or_leg_pain",
            ),
        ]
        indexes = [models.Index(fields=["patient", "-performed_at"])]

    def __str__(self) -> str:
        return f"Session {moment_text(self.performed_at)}"


class SessionExercise(PainReadings, ClinicalRecord):
    """One exercise of a session, with its own pain readings when the app sends them."""

    clinic_path = "session__patient__clinic"

    session = models.ForeignKey(ExerciseSession, on_delete=models.PROTECT, related_name="items")
    prescribed_exercise = models.ForeignKey(
        "programs.PrescribedExercise", on_delete=models.PROTECT, related_name="logged"
    )
    sets = models.PositiveSmallIntegerField(null=True, blank=True)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "prescribed_exercise"], name="session_exercise_once"
            ),
            # No before-and-after constraint: exercises logged before the readings were
            # split may carry a before without an after.
            models.CheckConstraint(
                condition=_pain_at_most_10(),
                name="session_exercise_pain_0_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prescribed_exercise.exercise} in {self.session}"
