"""A clinician records a questionnaire in the clinic, on the patient's behalf.

The answers are checked, scored and stored by the same steps as the app's
(`services.questionnaire_store` under the patient's row lock), so a score means the same
whoever typed it; the response names the staff member in `entered_by`.

Which occasion it answers: in the clinic the patient is in front of the therapist, so
the questionnaire need not be due. If one is due it answers that one (same occasion and
due date as the app would have stored). If none is due it is an extra measurement dated
today (`extra_occasion` says which). The page shows the occasion before the answers are
typed and sends back what it showed: when the service, under the lock, finds another
(the same form submitted twice, a second tab, the app answering meanwhile) it refuses,
so a double submit never stores a second score under an occasion nobody saw.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.localtime import local_today, patient_zone
from patients.models import Patient
from practice.models import StaffMember
from practice.tenancy import ensure_same_clinic

from . import instruments, services
from .models import Occasion, QuestionnaireResponse
from .schedule import FOLLOW_UP_CODES, Due
from .selectors import may_answer_questionnaires, questionnaires_due


@dataclass(frozen=True)
class InClinicOccasion:
    due: Due  # the occasion and date the response is stored with
    was_due: bool  # False: an extra measurement, dated today
    why: str = ""  # for an extra measurement, why it has that occasion


def extra_occasion(*, code: str, status: str, answered: Collection[str]) -> tuple[str, str]:
    """The occasion of a measurement taken when none is due, and why.

    The schedule takes a code's first answer as its baseline whatever its occasion, so a
    first answer is the baseline. STarT Back is a screening at the start of care with no
    follow-ups (FOLLOW_UP_CODES), so a repeat re-screens: a baseline too. After a
    discharge the schedule plans no follow-ups: a measurement then is a discharge one.
    """
    if code not in answered:
        return Occasion.BASELINE, "the first answer to this questionnaire"
    if code not in FOLLOW_UP_CODES:
        return Occasion.BASELINE, "a repeat screening; it has no follow-ups"
    if status == Patient.Status.DISCHARGED:
        return Occasion.DISCHARGE, "the patient is discharged"
    return Occasion.FOLLOW_UP, ""


def in_clinic_occasions(*, patient: Patient, today: datetime.date) -> dict[str, InClinicOccasion]:
    """For each instrument code, what a questionnaire recorded today in the clinic answers."""
    pending = {p.instrument.code: p.due for p in questionnaires_due(patient=patient, today=today)}
    answered = set(
        QuestionnaireResponse.objects.filter(patient=patient).values_list("code", flat=True)
    )
    result = {}
    for code in instruments.CODES:
        if code in pending:
            result[code] = InClinicOccasion(due=pending[code], was_due=True)
        else:
            occasion, why = extra_occasion(code=code, status=patient.status, answered=answered)
            result[code] = InClinicOccasion(Due(code, occasion, today), was_due=False, why=why)
    return result


def occasion_text(occasion: InClinicOccasion) -> str:
    """The occasion as the pages say it, before the answers are typed."""
    due = occasion.due
    label = Occasion(due.occasion).label.lower()
    if occasion.was_due:
        return f"Due: answers the {label} due {due.due_on:%Y-%m-%d}."
    why = f": {occasion.why}" if occasion.why else ""
    return (
        f"Not due: recorded as an extra {label} measurement dated today "
        f"({due.due_on:%Y-%m-%d}){why}."
    )


def recording_refusal(patient: Patient) -> str | None:
    """Why nothing is recorded for `patient` (archived); None when they answer."""
    if may_answer_questionnaires(patient=patient):
        return None
    return (
        f"{patient.full_name} is {patient.get_status_display().lower()}: "
        "no questionnaire is recorded for them."
    )


@transaction.atomic
def questionnaire_record_in_clinic(
    *,
    patient: Patient,
    code: str,
    answers: Any,
    staff: StaffMember,
    expected: Due | None = None,
) -> QuestionnaireResponse:
    """Score and store answers a clinician entered for `patient` in the clinic.

    `expected` is the occasion and due date the page showed; when the occasion worked
    out under the lock differs, nothing is stored (ValidationError). Refused
    (ValidationError) too for staff of another clinic or who is not a clinician, and
    for a patient who no longer answers questionnaires (archived); raises
    `UnknownQuestionnaireError` for a code no instrument has and `AnswersInvalidError`,
    a message per item, for answers that cannot be scored. Nothing is stored then.
    """
    instrument = instruments.get(code)
    if instrument is None:
        raise services.UnknownQuestionnaireError(code)
    # The same lock as the app's answer: one of two answers at once sees the other.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    ensure_same_clinic(patient.clinic, staff=staff)
    if not staff.is_clinician:
        raise ValidationError(
            {"staff": f"{staff} is not a clinician; only a clinician records questionnaires."}
        )
    refusal = recording_refusal(patient)
    if refusal:
        raise ValidationError(refusal)
    now = timezone.now()
    today = local_today(patient_zone(patient), now)
    occasion = in_clinic_occasions(patient=patient, today=today)[instrument.code]
    if expected is not None and expected != occasion.due:
        raise ValidationError(
            "Nothing was stored: since the page was opened this questionnaire was recorded "
            "(or its occasion changed). It now counts as follows. "
            f"{occasion_text(occasion)} Save again only if this is another measurement."
        )
    return services.questionnaire_store(
        patient=patient,
        instrument=instrument,
        answers=answers,
        occasion=occasion.due.occasion,
        due_on=occasion.due.due_on,
        answered_at=now,
        actor=staff.user,
        entered_by=staff,
    )
