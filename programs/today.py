"""The patient's open program and what it plans for today, as the app shows them.

While the patient is on a hold (medical or referral) the program is shown but today
is no exercise day and lists no exercises, with the guidance for that hold.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.localtime import local_today, patient_zone
from education.models import Topic
from education.selectors import profile_from, topics_for_patient
from patients.models import Patient

from .holds import GUIDANCE, current_hold
from .models import PrescribedExercise, Prescription
from .selectors import TodayReads, sessions_on


@dataclass(frozen=True)
class HoldStatus:
    on_hold: bool
    hold_kind: str | None  # "medical", "referral"
    hold_guidance: str | None


def hold_status(patient: Patient) -> HoldStatus:
    kind = current_hold(patient)
    if kind is None:
        return HoldStatus(on_hold=False, hold_kind=None, hold_guidance=None)
    return HoldStatus(on_hold=True, hold_kind=kind.value, hold_guidance=GUIDANCE[kind])


@dataclass(frozen=True)
class Today:
    date: datetime.date
    time_zone: str
    weekday: int
    is_scheduled_day: bool
    is_exercise_day: bool
    reminder_times: list[str]
    phase: int
    phase_name: str
    sessions_logged: int
    exercises: list[PrescribedExercise]
    on_hold: bool
    hold_kind: str | None
    hold_guidance: str | None
    education: list[Topic]


# Today's plan links only the few topics that fit the patient best; the rest are one tap
# away at /me/education/.
TODAY_TOPICS = 3


def program_today(
    patient: Patient, program: Prescription, *, reads: TodayReads | None = None
) -> Today:
    """Today in the patient's time zone: whether to exercise, and which exercises.

    `reads` are today's count and the latest diagnosis when the caller read them with
    the program (programs.selectors.open_program_for_today); read here otherwise."""
    zone = patient_zone(patient)
    today = reads.date if reads else local_today(zone)
    is_scheduled = today.weekday() in program.weekdays
    hold = hold_status(patient)
    if reads is not None:
        logged = reads.sessions_logged
        profile = profile_from(reads.diagnosis, patient=patient)
    else:
        logged = sessions_on(patient, today, zone).count()
        profile = None
    is_exercise_day = (
        is_scheduled
        and program.status == Prescription.Status.ACTIVE
        and program.start_date <= today
        and not hold.on_hold
    )
    return Today(
        date=today,
        time_zone=patient.time_zone,
        weekday=today.weekday(),
        is_scheduled_day=is_scheduled,
        is_exercise_day=is_exercise_day,
        reminder_times=list(program.reminder_times),
        phase=program.current_phase,
        phase_name=program.current_phase_name,
        sessions_logged=logged,
        exercises=[]
        if hold.on_hold
        else [item for item in program.exercises.all() if item.phase == program.current_phase],
        on_hold=hold.on_hold,
        hold_kind=hold.hold_kind,
        hold_guidance=hold.hold_guidance,
        education=topics_for_patient(
            patient=patient, profile=profile, active=reads.topics if reads else None
        )[:TODAY_TOPICS],
    )
