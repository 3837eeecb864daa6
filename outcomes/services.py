"""Writes with rules for outcome measures: a patient answers a questionnaire (staff
record one in the clinic through outcomes.in_clinic, which shares the scoring here)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.localtime import local_today, patient_zone
from core.records import record_save
from patients import services as patient_services
from patients.models import Patient
from practice.models import StaffMember, User

from . import progress_review
from .instruments import AnswersInvalidError, Instrument, UnknownQuestionnaireError
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
    return questionnaire_store(
        patient=patient,
        instrument=pending.instrument,
        answers=answers,
        occasion=pending.due.occasion,
        due_on=pending.due.due_on,
        answered_at=now,
        actor=actor,
    )


@transaction.atomic
def questionnaire_store(
    *,
    patient: Patient,
    instrument: Instrument,
    answers: Any,
    occasion: str,
    due_on: datetime.date,
    answered_at: datetime.datetime,
    actor: User | None,
    entered_by: StaffMember | None = None,
) -> QuestionnaireResponse:
    """Check, score and store answers for the occasion the caller settled, then replan
    the patient's reminders and run the no-improvement review. The one path from answers
    to a stored score, for the app (`questionnaire_submit`) and the clinic
    (`outcomes.in_clinic`) alike; not part of this module's interface.

    A caller settles the occasion from the patient's answers, so it takes the patient's
    row lock before reading them (both do); the lock taken again here (a no-op in that
    transaction) keeps a store from anywhere else ordered against a concurrent answer."""
    Patient.objects.select_for_update().values_list("pk", flat=True).get(pk=patient.pk)
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
        occasion=occasion,
        instrument_version=instrument.version,
        language=instrument.language,
        due_on=due_on,
        answered_at=answered_at,
        entered_by=entered_by,
    )
    record_save(response, actor=actor)
    patient_services.patient_schedule_changed(patient_id=patient.pk)
    # A new score may complete the picture for the no-improvement review.
    progress_review.progress_review(patient=patient)
    return response
