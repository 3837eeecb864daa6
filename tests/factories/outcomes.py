"""Questionnaire answers."""

from __future__ import annotations

from typing import Any

from outcomes import services as outcome_services
from outcomes.models import QuestionnaireResponse
from patients.models import Patient

from .patients import make_diagnosis


def answers_for(code: str) -> dict[str, int]:
    """A complete, valid set of answers for each questionnaire."""
    return {
        "odi": {key: 2 for key in ("pain_intensity", "personal_care", "lifting", "walking")}
        | {key: 1 for key in ("sitting", "standing", "sleeping", "sex_life", "social_life")}
        | {"travelling": 0},
        "nprs": {"pain": 6},
        "rmdq": {str(n): int(n <= 9) for n in range(1, 25)},
        "startback": {**{str(n): int(n in (1, 5, 6, 7)) for n in range(1, 9)}, "9": 4},
    }[code]


def make_questionnaire_response(
    *, patient: Patient | None = None, code: str = "nprs", answers: Any = None
) -> QuestionnaireResponse:
    """An answer to a questionnaire the patient has due (a diagnosed patient has the
    baseline ones), with `answers_for(code)` unless `answers` are given."""
    patient = patient or make_diagnosis().patient
    answers = answers_for(code) if answers is None else answers
    return outcome_services.questionnaire_submit(patient=patient, code=code, answers=answers)
