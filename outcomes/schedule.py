"""Which questionnaires a patient has due on a local date.

- Baseline, at evaluation: once the patient has a diagnosis or an active program, each
  of ODI, NPRS, RMDQ and STarT Back that they have never answered is due, dated the
  evaluation (the earliest diagnosis date or active program start).
- Follow-up, every 2 weeks: ODI, NPRS and RMDQ are due again on the baseline's local
  date + 14, 28, 42... days (each code keeps its own baseline: the first answer of that
  code). On a given day the follow-up due is the latest of those dates not after
  today; it is answered by any answer of that code on or after that date, so a missed
  follow-up folds into the next one instead of piling up.
- Discharge: when the patient is discharged, ODI, NPRS and RMDQ are due, dated the
  local date of the discharge, unless answered on or after that date (a questionnaire
  filled in at the discharge visit, before the status changed, counts). Only for a
  patient who was evaluated.

A questionnaire is due until answered. Dates are the patient's own local dates (their
IANA zone; UTC when the zone is unknown). `due` is pure; `due_for` reads a patient's
facts from the database in a handful of queries; the reminder planner builds the same
`Facts` in bulk.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Max, Min

from core.localtime import local_date, local_today, patient_zone
from patients.models import Patient
from programs.models import Prescription

from .models import Code, Occasion, QuestionnaireResponse

FOLLOW_UP_EVERY = datetime.timedelta(days=14)
BASELINE_CODES = (Code.ODI, Code.NPRS, Code.RMDQ, Code.STARTBACK)
FOLLOW_UP_CODES = (Code.ODI, Code.NPRS, Code.RMDQ)
DISCHARGE_CODES = (Code.ODI, Code.NPRS, Code.RMDQ)


class QuestionnaireNotDueError(ValidationError):
    """The questionnaire exists but is not due for this patient now."""


@dataclass(frozen=True)
class Due:
    code: str
    occasion: str
    due_on: datetime.date


@dataclass(frozen=True)
class Facts:
    """What the schedule needs to know of one patient (local dates)."""

    status: str
    evaluated_on: datetime.date | None  # first diagnosis or active program start
    discharged_on: datetime.date | None = None  # when the current discharge began
    first_answered: Mapping[str, datetime.date] = field(default_factory=dict)
    last_answered: Mapping[str, datetime.date] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        status: str,
        evaluated_on: datetime.date | None,
        answered: Mapping[str, tuple[datetime.datetime, datetime.datetime]],
        tz: datetime.tzinfo,
        discharged_at: datetime.datetime | None = None,
    ) -> Facts:
        """From instants: `answered` is code -> (first, last) answered_at."""
        return cls(
            status=status,
            evaluated_on=evaluated_on,
            discharged_on=local_date(discharged_at, tz) if discharged_at else None,
            first_answered={code: local_date(first, tz) for code, (first, _) in answered.items()},
            last_answered={code: local_date(last, tz) for code, (_, last) in answered.items()},
        )


def due(facts: Facts, today: datetime.date) -> list[Due]:
    """The questionnaires due on `today`, in instrument order."""
    if facts.evaluated_on is None:
        return []
    if facts.status == Patient.Status.ACTIVE:
        if facts.evaluated_on > today:
            return []
        result = []
        for code in BASELINE_CODES:
            first = facts.first_answered.get(code)
            if first is None:
                result.append(Due(code, Occasion.BASELINE, facts.evaluated_on))
                continue
            if code not in FOLLOW_UP_CODES:
                continue
            periods = (today - first) // FOLLOW_UP_EVERY
            if periods < 1:
                continue
            due_on = first + periods * FOLLOW_UP_EVERY
            if facts.last_answered.get(code, first) < due_on:
                result.append(Due(code, Occasion.FOLLOW_UP, due_on))
        return result
    if facts.status == Patient.Status.DISCHARGED:
        discharged_on = facts.discharged_on
        if discharged_on is None or discharged_on > today:
            return []
        return [
            Due(code, Occasion.DISCHARGE, discharged_on)
            for code in DISCHARGE_CODES
            if (last := facts.last_answered.get(code)) is None or last < discharged_on
        ]
    return []  # archived


# --- reading the facts -----------------------------------------------------------------


def evaluated_on(patient: Patient) -> datetime.date | None:
    first = [
        patient.diagnoses.order_by("diagnosed_on").values_list("diagnosed_on", flat=True).first(),
        patient.prescriptions.filter(status=Prescription.Status.ACTIVE)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first(),
    ]
    dates = [d for d in first if d is not None]
    return min(dates) if dates else None


def discharged_at(patient: Patient) -> datetime.datetime | None:
    """When the patient's current discharge began, from the change history."""
    if patient.status != Patient.Status.DISCHARGED:
        return None
    history = patient.history.order_by()
    last_other = (
        history.exclude(status=Patient.Status.DISCHARGED)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    streak = history.filter(status=Patient.Status.DISCHARGED)
    if last_other is not None:
        streak = streak.filter(history_date__gt=last_other)
    moment = streak.order_by("history_date").values_list("history_date", flat=True).first()
    return moment or patient.updated_at


def answered(patient: Patient) -> dict[str, tuple[datetime.datetime, datetime.datetime]]:
    rows = (
        QuestionnaireResponse.objects.filter(patient=patient)
        .order_by()
        .values("code")
        .annotate(first=Min("answered_at"), last=Max("answered_at"))
    )
    return {row["code"]: (row["first"], row["last"]) for row in rows}


def facts_for(patient: Patient) -> Facts:
    return Facts.build(
        status=patient.status,
        evaluated_on=evaluated_on(patient),
        answered=answered(patient),
        tz=patient_zone(patient),
        discharged_at=discharged_at(patient),
    )


def due_for(patient: Patient, *, today: datetime.date | None = None) -> list[Due]:
    """What `patient` has due on their local `today` (now, by default)."""
    return due(facts_for(patient), today or local_today(patient_zone(patient)))
