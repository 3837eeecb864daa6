"""The patient's open program and what it plans for today, as the app shows them.

While the patient is on a hold (medical or referral) the program is shown but today
is no exercise day and lists no exercises, with the guidance for that hold. Without an
open program the plan is empty but still shows a hold and the exercises the last
program stopped for pain.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import get_language, gettext
from modeltranslation.utils import build_localized_fieldname, resolution_order

from core.localtime import local_today, patient_zone
from education.models import Topic
from education.selectors import profile_from, topics_for_patient
from patients.models import Patient

from .holds import GUIDANCE, current_hold
from .models import CUSTOM_PROGRAM_NAME, PrescribedExercise, Prescription, generic_phase_name
from .selectors import TodayReads, last_program_stops, sessions_on, template_phases
from .stops import stopped_exercise_ids


@dataclass(frozen=True)
class HoldStatus:
    on_hold: bool
    hold_kind: str | None  # "medical", "referral"
    hold_guidance: str | None


def hold_status(patient: Patient) -> HoldStatus:
    kind = current_hold(patient)
    if kind is None:
        return HoldStatus(on_hold=False, hold_kind=None, hold_guidance=None)
    return HoldStatus(on_hold=True, hold_kind=kind.value, hold_guidance=str(GUIDANCE[kind]))


@dataclass(frozen=True)
class Today:
    date: datetime.date
    time_zone: str
    weekday: int
    is_scheduled_day: bool
    is_exercise_day: bool
    reminder_times: list[str]
    phase: int | None  # None: no open program
    phase_name: str | None
    sessions_logged: int
    exercises: list[PrescribedExercise]
    on_hold: bool
    hold_kind: str | None
    hold_guidance: str | None
    education: list[Topic]
    # The program's name and phase names in the patient's language (`program_name_shown`,
    # `phase_names_shown`); None and [] with no open program.
    name: str | None = None
    phase_names: list[str] = field(default_factory=list)
    # Exercises stopped for pain and not resumed: the open program's, else the last one's.
    stopped: list[PrescribedExercise] = field(default_factory=list)
    program: Prescription | None = None  # the open program, with its exercises


# Today's plan links only the few topics that fit the patient best; the rest are one tap
# away at /me/education/.
TODAY_TOPICS = 3


def phase_names_shown(program: Prescription, phases: list[dict[str, Any]]) -> list[str]:
    """The program's phase names in the active language.

    A program copies its template's phase names when prescribed, so a later edit of the
    library never renames a patient's phases: a stored name is shown translated only
    while it is still one of that template phase's names (in any language), as it was
    copied; a custom program's "Phase N" is shown translated; any other, as stored."""
    by_number = {row["number"]: row for row in phases}
    shown = []
    for number, stored in enumerate(program.phase_names, start=1):
        if program.template_id is None and stored == generic_phase_name(number):
            shown.append(gettext("Phase %(number)d") % {"number": number})
        else:
            shown.append(_localized(by_number.get(number, {}), "name", stored))
    return shown


def program_name_shown(program: Prescription, phases: list[dict[str, Any]]) -> str:
    """The program's name in the active language, by `phase_names_shown`'s rule: its
    template's name (carried on each phase row) while it is still the name copied."""
    if program.template_id is None:
        if program.name == CUSTOM_PROGRAM_NAME:
            return gettext("Custom program")
        return program.name
    return _localized(phases[0] if phases else {}, "template_name", program.name)


def _localized(row: dict[str, Any], field: str, stored: str) -> str:
    """`row`'s `field` in the active language, falling back by modeltranslation's order,
    while `stored` is still one of its translations; `stored` otherwise."""
    if stored not in [row.get(f"{field}_{code}") for code, _ in settings.LANGUAGES]:
        return stored
    order = resolution_order(get_language() or settings.LANGUAGE_CODE)
    localized = (row.get(build_localized_fieldname(field, code)) for code in order)
    return next((name for name in localized if name), stored)


def _phase_name(program: Prescription, names: list[str]) -> str:
    if 0 < program.current_phase <= len(names):
        return names[program.current_phase - 1]
    return program.current_phase_name


def program_today(
    patient: Patient, program: Prescription | None, *, reads: TodayReads | None = None
) -> Today:
    """Today in the patient's time zone: whether to exercise, and which exercises; with
    no open program (`program` None), an empty plan that still shows the holds and the
    last program's stopped exercises.

    `reads` are what the caller read with the program (programs.selectors.
    open_program_for_today); read here otherwise."""
    zone = patient_zone(patient)
    today = reads.date if reads else local_today(zone)
    hold = hold_status(patient)
    if reads is not None:
        logged = reads.sessions_logged
        profile = profile_from(reads.diagnosis, patient=patient)
    else:
        logged = sessions_on(patient, today, zone).count()
        profile = None
    education = topics_for_patient(
        patient=patient, profile=profile, active=reads.topics if reads else None
    )[:TODAY_TOPICS]
    common: dict[str, Any] = {
        "date": today,
        "time_zone": patient.time_zone,
        "weekday": today.weekday(),
        "sessions_logged": logged,
        "on_hold": hold.on_hold,
        "hold_kind": hold.hold_kind,
        "hold_guidance": hold.hold_guidance,
        "education": education,
    }
    if program is None:
        earlier = reads.earlier_stops if reads else None
        return Today(
            **common,
            is_scheduled_day=False,
            is_exercise_day=False,
            reminder_times=[],
            phase=None,
            phase_name=None,
            exercises=[],
            stopped=earlier if earlier is not None else last_program_stops(patient),
        )
    is_scheduled = today.weekday() in program.weekdays
    is_exercise_day = (
        is_scheduled
        and program.status == Prescription.Status.ACTIVE
        and program.start_date <= today
        and not hold.on_hold
    )
    phases = reads.phases if reads is not None else None
    if phases is None:
        phases = template_phases(program.template_id)
    names = phase_names_shown(program, phases)
    items = list(program.exercises.all())
    held_back = stopped_exercise_ids(program)
    # A stopped item itself stays in the plan, shown as stopped; the same movement in a
    # later phase is left out until a clinician resumes the stopped one.
    planned = [
        item
        for item in items
        if item.phase == program.current_phase
        and (item.stop_and_contact_therapist or item.exercise_id not in held_back)
    ]
    return Today(
        **common,
        is_scheduled_day=is_scheduled,
        is_exercise_day=is_exercise_day,
        reminder_times=list(program.reminder_times),
        phase=program.current_phase,
        phase_name=_phase_name(program, names),
        exercises=[] if hold.on_hold else planned,
        name=program_name_shown(program, phases),
        phase_names=names,
        stopped=[item for item in items if item.stop_and_contact_therapist],
        program=program,
    )
