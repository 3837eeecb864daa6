"""A patient's course from Monday 3 March 2025 (ISO week 2025-W10), as the progress
tests build it: a Mon/Wed/Fri McKenzie extension program, its sessions and the
questionnaires answered, each at its own moment."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import time_machine

from outcomes.models import QuestionnaireResponse
from patients.models import Diagnosis, Patient
from practice.models import StaffMember
from programs.models import Prescription, ProgramTemplate
from programs.services import ExerciseDone, program_prescribe, session_log

MON = datetime.date(2025, 3, 3)


def at(day: int, hour: int) -> datetime.datetime:
    """`hour` o'clock UTC, `day` days after Monday 3 March 2025."""
    return datetime.datetime.combine(
        MON + datetime.timedelta(days=day), datetime.time(hour), datetime.UTC
    )


def prescribe(*, patient: Patient, diagnosis: Diagnosis, therapist: StaffMember) -> Prescription:
    """The program, prescribed on the Monday it starts."""
    with time_machine.travel(at(0, 13), tick=False):
        return program_prescribe(
            patient=patient,
            diagnosis=diagnosis,
            prescribed_by=therapist,
            template=ProgramTemplate.objects.get(slug="mckenzie-extension"),
            start_date=MON,
            weekdays=[0, 2, 4],
            reminder_times=["08:00"],
        )


def log_session(program: Prescription, when: datetime.datetime, before: int, after: int) -> None:
    """A session of the program's first exercise at `when`, with the pain (in the thigh)
    before and after."""
    item = program.exercises.first()
    assert item is not None
    with time_machine.travel(when, tick=False):
        session_log(
            patient=program.patient,
            client_id=uuid.uuid4(),
            performed_at=when,
            pain_before=before,
            pain_after=after,
            pain_extent="thigh",
            exercises=[ExerciseDone(prescribed_exercise_id=item.pk)],
        )


def answer(
    patient: Patient, code: str, score: float, day: int, occasion: str = "follow_up"
) -> QuestionnaireResponse:
    """A stored answer with this score at 15:00 UTC on `day`, past the service's checks."""
    when = at(day, 15)
    with time_machine.travel(when, tick=False):
        return QuestionnaireResponse.objects.create(
            patient=patient,
            code=code,
            answers={},
            score=Decimal(str(score)),
            occasion=occasion,
            due_on=when.date(),
            answered_at=when,
        )
