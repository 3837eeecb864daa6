"""Writes with rules for outcome measures: a patient answers a questionnaire."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from core.localtime import local_today, patient_zone
from core.records import record_save
from patients import services as patient_services
from patients.models import Patient
from practice.models import User

from . import progress_review
from .instruments import AnswersInvalidError, UnknownQuestionnaireError
from .models import QuestionnaireResponse
from .schedule import QuestionnaireNotDueError
from .scoring import ScoringError
from .selectors import questionnaire_due

__all__ = [
    "AnswersInvalidError",
    "QuestionnaireNotDueError",
    "UnknownQuestionnaireError",
    "questionnaire_submit",
]


@transaction.atomic
def questionnaire_submit(
    *, patient: Patient, code: str, answers: Any, actor: User | None = None
) -> QuestionnaireResponse:
    """Check and score the answers to a questionnaire the patient has due, and store them.

    Raises `UnknownQuestionnaireError` for a code no instrument has,
    `QuestionnaireNotDueError` when it is not due (already answered, or not part of the
    patient's schedule), and `AnswersInvalidError` with a message per item for answers
    that cannot be scored.
    """
    # One answer per due questionnaire, even when the app sends it twice at once.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    now = timezone.now()
    pending = questionnaire_due(
        patient=patient, code=code, today=local_today(patient_zone(patient), now)
    )
    instrument, due = pending.instrument, pending.due
    cleaned = instrument.clean(answers)
    try:
        result = instrument.score(cleaned)
    except ScoringError as exc:  # `clean` lets through only what scores; belt and braces
        raise AnswersInvalidError(str(exc)) from exc
    response = QuestionnaireResponse(
        patient=patient,
        code=instrument.code,
        answers=cleaned,
        score=result.score,
        band=result.band,
        subscale=result.subscale,
        occasion=due.occasion,
        instrument_version=instrument.version,
        language=instrument.language,
        due_on=due.due_on,
        answered_at=now,
    )
    record_save(response, actor=actor)
    patient_services.patient_schedule_changed(patient_id=patient.pk)
    # A new score may complete the picture for the no-improvement review.
    progress_review.progress_review(patient=patient)
    return response
