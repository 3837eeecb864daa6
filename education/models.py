"""Education topics: short texts for patients, shared by every clinic.

A topic names the causes and the phases (acute, subacute, chronic) it is written for;
an empty list means it fits every patient. `education.selectors` picks and orders a
patient's topics from their latest diagnosis.

The app sits above patients (it reads the diagnosis) and below programs, whose
today's plan links the first topics.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from core.translations import translation_columns
from patients.models import Cause, Chronicity


def _check_choice_list(value: object, choices: type[models.TextChoices], what: str) -> None:
    if not isinstance(value, list):
        raise ValidationError(f'Give a list of {what}, e.g. ["{choices.values[0]}"].')
    unknown = [item for item in value if item not in choices.values]
    if unknown:
        raise ValidationError(
            f"Unknown {what}: {', '.join(map(repr, unknown))}. "
            f"Choose from {', '.join(choices.values)}."
        )
    if len(set(value)) != len(value):
        raise ValidationError(f"Each of the {what} may appear only once.")


def validate_causes(value: object) -> None:
    _check_choice_list(value, Cause, "causes")


def validate_phases(value: object) -> None:
    _check_choice_list(value, Chronicity, "phases")


class Topic(models.Model):
    slug = models.SlugField(unique=True, help_text="Stable name the app links to.")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One or two sentences for a list.")
    body = models.TextField(help_text="Plain text; paragraphs separated by a blank line.")
    causes = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_causes],
        help_text="Causes this topic is written for; empty for every cause.",
    )
    phases = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_phases],
        help_text="Phases (acute, subacute, chronic) it is written for; empty for every phase.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=translation_columns("title", "summary", "body"))

    # Set by education.selectors.topics_for_patient: which of the patient's cause and
    # phase this topic was chosen for (empty for a general topic).
    matches: tuple[str, ...] = ()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        parts = self.body.replace("\r\n", "\n").split("\n\n")
        return [part.strip() for part in parts if part.strip()]
