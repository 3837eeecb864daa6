from __future__ import annotations

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from patients.models import Patient
from practice.tenancy import ClinicalRecord

from . import instruments
from .scoring import OdiBand, StartBackRisk


class Code(models.TextChoices):
    ODI = "odi", instruments.ODI.title
    NPRS = "nprs", instruments.NPRS.title
    RMDQ = "rmdq", instruments.RMDQ.title
    STARTBACK = "startback", instruments.STARTBACK.title


class Occasion(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    FOLLOW_UP = "follow_up", "Follow-up"
    DISCHARGE = "discharge", "Discharge"


class QuestionnaireResponse(ClinicalRecord):
    """One completed questionnaire with its score, as the patient answered it.

    `band` holds the published interpretation: the ODI disability band or the STarT
    Back risk group ("" for NPRS and RMDQ). `instrument_version` and `language` say
    which wording was answered (outcomes.instruments). `due_on` is the patient's local date the
    answered questionnaire was due (see outcomes.schedule).
    """

    clinic_path = "patient__clinic"

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="questionnaire_responses"
    )
    code = models.CharField(max_length=16, choices=Code.choices)
    answers = models.JSONField(help_text="Item key -> the option value chosen (null: skipped).")
    score = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        help_text="ODI: index 0-100; NPRS: 0-10; RMDQ: 0-24 (prorated when items are "
        "missing); STarT Back: total 0-9.",
    )
    band = models.CharField(
        max_length=16,
        blank=True,
        choices=[*OdiBand.choices, *StartBackRisk.choices],
        help_text="ODI disability band or STarT Back risk group.",
    )
    subscale = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="STarT Back psychosocial subscale, 0-5."
    )
    occasion = models.CharField(max_length=16, choices=Occasion.choices)
    instrument_version = models.CharField(
        max_length=40, help_text="The version of the questionnaire's wording it was given in."
    )
    language = models.CharField(max_length=8, help_text="The language it was given in.")
    due_on = models.DateField(help_text="The patient's local date it was due.")
    answered_at = models.DateTimeField(default=timezone.now)
    # Set when a clinician recorded the answers in the clinic on the patient's behalf.
    entered_by = models.ForeignKey(
        "practice.StaffMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The staff member who entered the answers in the clinic; blank: the app.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-answered_at", "-id"]
        indexes = [models.Index(fields=["patient", "code", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.score} ({self.answered_at:%Y-%m-%d})"

    @property
    def instrument(self) -> instruments.Instrument:
        return instruments.INSTRUMENTS[self.code]

    @property
    def odi_band(self) -> str | None:
        return self.band if self.code == Code.ODI and self.band else None

    @property
    def startback_risk(self) -> str | None:
        return self.band if self.code == Code.STARTBACK and self.band else None
