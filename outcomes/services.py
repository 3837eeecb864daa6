"""Writes with rules for outcome measures: a patient answers a questionnaire."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patients.models import Patient
from practice.models import User
from practice.records import record_save
from programs import safety

from . import instruments, schedule
from .instruments import AnswersInvalid
from .models import QuestionnaireResponse
from .scoring import ScoringError

__all__ = [
    "AnswersInvalid",
    "QuestionnaireNotDue",
    "UnknownQuestionnaire",
    "questionnaire_submit",
]


class UnknownQuestionnaire(LookupError):
    """No instrument has this code."""


class QuestionnaireNotDue(ValidationError):
    """The questionnaire exists but is not due for this patient now."""


@transaction.atomic
def questionnaire_submit(
    *, patient: Patient, code: str, answers: Any, actor: User | None = None
) -> QuestionnaireResponse:
    """Check and score the answers to a questionnaire the patient has due, and store them.

    Raises `UnknownQuestionnaire` for a code no instrument has, `QuestionnaireNotDue`
    when it is not due (already answered, or not part of the patient's schedule), and
    `AnswersInvalid` with a message per item for answers that cannot be scored.
    """
    instrument = instruments.get(code)
    if instrument is None:
        raise UnknownQuestionnaire(code)
    # One answer per due questionnaire, even when the app sends it twice at once.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    now = timezone.now()
    pending = {
        d.code: d for d in schedule.due_for(patient, today=schedule.local_today(patient, now))
    }
    due = pending.get(instrument.code)
    if due is None:
        raise QuestionnaireNotDue(f"The {instrument.title} is not due for you now.")
    cleaned = instrument.clean(answers)
    try:
        result = instrument.score(cleaned)
    except ScoringError as exc:  # `clean` lets through only what scores; belt and braces
        raise AnswersInvalid(str(exc)) from exc
    response = QuestionnaireResponse(
        patient=patient,
        code=instrument.code,
        answers=cleaned,
        score=result.score,
        band=result.band,
        subscale=result.subscale,
        occasion=due.occasion,
        due_on=due.due_on,
        answered_at=now,
    )
    record_save(response, actor=actor)
    # A new score may complete the picture for the no-improvement review.
    safety.progress_review(patient=patient)
    return response
