"""Reads of the outcomes app: a patient's progress over time (pain, outcome measures and
adherence, per week), and the questionnaires a patient has due.

The progress is read by the staff progress endpoint (outcomes.api.progress), the patient
page's charts (outcomes.admin_patient) and the no-improvement review
(outcomes.progress_review). Weeks are ISO weeks (Monday to Sunday) of the patient's
local dates.

Outcome measures and their minimal clinically important differences (an improvement is
a decrease for all three):

- NPRS (pain 0-10): 2 points or 30% of the baseline;
- ODI (disability index 0-100): 10 points or 30% of the baseline;
- RMDQ (0-24 statements): 5 points.

The baseline of a measure is its first answer (as in outcomes.schedule), the latest its
most recent; with one answer only there is no change yet (None, not "no improvement").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.localtime import local_date, local_today, patient_zone
from patients.models import Patient
from programs.adherence import (
    Adherence,
    WeekAdherence,
    combine,
    iso_week,
    patient_adherence,
    week_start,
)
from programs.models import ExerciseSession, PainReadings
from programs.schedule import FIRST_START

from . import instruments, schedule
from .instruments import Instrument, UnknownQuestionnaireError
from .models import Code, QuestionnaireResponse
from .schedule import Due, QuestionnaireNotDueError

_WEEK = datetime.timedelta(days=7)
_TENTH = Decimal("0.1")
# Answers of a measure before it has a change: the baseline and one follow-up.
FOLLOWED_UP = 2
# The timeline never starts before this week: a program cannot start earlier (the
# service refuses it), so older stored dates are bad data, kept but not charted.
FIRST_WEEK = week_start(FIRST_START)


@dataclass(frozen=True)
class Mcid:
    """The smallest improvement that matters: `points`, or `percent` of the baseline."""

    points: Decimal
    percent: Decimal | None = None

    @property
    def text(self) -> str:
        points = f"{self.points.normalize():f} points"
        return f"{points} or {self.percent.normalize():f}%" if self.percent else points

    def met(self, *, baseline: Decimal, latest: Decimal) -> bool:
        improvement = baseline - latest
        if improvement >= self.points:
            return True
        return bool(self.percent and baseline > 0 and improvement * 100 >= self.percent * baseline)


# In the order the progress view lists them.
MEASURES: dict[str, tuple[str, Mcid]] = {
    Code.NPRS: ("NPRS", Mcid(points=Decimal(2), percent=Decimal(30))),
    Code.ODI: ("ODI", Mcid(points=Decimal(10), percent=Decimal(30))),
    Code.RMDQ: ("RMDQ", Mcid(points=Decimal(5))),
}


@dataclass(frozen=True)
class Reading:
    score: Decimal
    answered_at: datetime.datetime
    answered_on: datetime.date  # the patient's local date
    occasion: str


@dataclass(frozen=True)
class MeasureSummary:
    code: str
    name: str
    mcid: Mcid
    responses: int
    baseline: Reading | None
    latest: Reading | None

    @property
    def followed_up(self) -> bool:
        return self._scores is not None

    @property
    def _scores(self) -> tuple[Decimal, Decimal] | None:
        """(baseline, latest) once there is a follow-up, else None."""
        if self.responses < FOLLOWED_UP or self.baseline is None or self.latest is None:
            return None
        return self.baseline.score, self.latest.score

    @property
    def change(self) -> Decimal | None:
        """Latest minus baseline: negative is better."""
        if self._scores is None:
            return None
        baseline, latest = self._scores
        return latest - baseline

    @property
    def percent_change(self) -> Decimal | None:
        if self._scores is None or not self._scores[0]:
            return None
        baseline, latest = self._scores
        return ((latest - baseline) * 100 / baseline).quantize(_TENTH, ROUND_HALF_UP)

    @property
    def meets_mcid(self) -> bool | None:
        if self._scores is None:
            return None
        baseline, latest = self._scores
        return self.mcid.met(baseline=baseline, latest=latest)

    def describe(self) -> str:
        if self._scores is None:
            return f"{self.name}: no follow-up yet"
        baseline, latest = self._scores
        change = (latest - baseline).normalize()
        return (
            f"{self.name} from {_num(baseline)} to {_num(latest)} "
            f"({'+' if change > 0 else ''}{_num(change)}; meaningful is {self.mcid.text} less)"
        )


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _readings(patient: Patient, tz: datetime.tzinfo) -> dict[str, list[Reading]]:
    return _readings_of({patient.pk: tz})[patient.pk]


def _readings_of(
    zones: dict[int, datetime.tzinfo],
) -> dict[int, dict[str, list[Reading]]]:
    """The measures' readings of each patient in `zones` (patient id: their zone), oldest
    first per measure. One query."""
    found: dict[int, dict[str, list[Reading]]] = {pk: defaultdict(list) for pk in zones}
    rows = (
        QuestionnaireResponse.objects.filter(patient__in=list(zones), code__in=list(MEASURES))
        .order_by("answered_at", "pk")
        .values_list("patient_id", "code", "score", "answered_at", "occasion")
    )
    for patient_id, code, score, answered_at, occasion in rows:
        if not score.is_finite():  # NaN is a valid PostgreSQL numeric, never a score
            continue
        found[patient_id][code].append(
            Reading(
                score=score,
                answered_at=answered_at,
                answered_on=local_date(answered_at, zones[patient_id]),
                occasion=occasion,
            )
        )
    return found


def _summaries(readings: dict[str, list[Reading]]) -> dict[str, MeasureSummary]:
    result = {}
    for code, (name, mcid) in MEASURES.items():
        answers = readings.get(code, [])
        result[code] = MeasureSummary(
            code=code,
            name=name,
            mcid=mcid,
            responses=len(answers),
            baseline=answers[0] if answers else None,
            latest=answers[-1] if answers else None,
        )
    return result


def measure_summaries(*, patient: Patient) -> dict[str, MeasureSummary]:
    """NPRS, ODI and RMDQ: baseline, latest, change and the MCID verdict. One query."""
    return _summaries(_readings(patient, patient_zone(patient)))


def measure_summaries_of(*, patients: Iterable[Patient]) -> dict[int, dict[str, MeasureSummary]]:
    """`measure_summaries` of each patient, by patient id: one query for them all."""
    readings = _readings_of({p.pk: patient_zone(p) for p in patients})
    return {pk: _summaries(found) for pk, found in readings.items()}


@dataclass(frozen=True)
class ProgressWeek:
    week_start: datetime.date
    sessions: int
    # Per session the worse of back and leg pain, then the week's mean: the one figure a
    # session's "pain" was before the two were read apart, so weeks before and after
    # the split stay comparable. Back and leg apart below (sessions that rated them).
    pain_before_mean: Decimal | None
    pain_after_mean: Decimal | None
    back_pain_before_mean: Decimal | None
    back_pain_after_mean: Decimal | None
    leg_pain_before_mean: Decimal | None
    leg_pain_after_mean: Decimal | None
    scores: dict[str, Decimal | None]  # the week's latest score per measure code
    adherence: WeekAdherence

    @property
    def week(self) -> str:
        return iso_week(self.week_start)


@dataclass(frozen=True)
class Progress:
    patient: Patient
    today: datetime.date
    weeks: tuple[ProgressWeek, ...]
    measures: dict[str, MeasureSummary]
    adherence: Adherence


def _mean(values: list[int | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return (Decimal(sum(known)) / len(known)).quantize(_TENTH, ROUND_HALF_UP)


def _worse(back: int | None, leg: int | None) -> int | None:
    known = [v for v in (back, leg) if v is not None]
    return max(known) if known else None


def patient_progress(*, patient: Patient, today: datetime.date | None = None) -> Progress:
    """Week by week from the first program, session or questionnaire to this week.

    A fixed number of queries: programs, their history and sessions (adherence), the
    sessions' pain, the questionnaires."""
    tz = patient_zone(patient)
    today = today or local_today(tz)
    programs = patient_adherence(patient=patient, today=today)
    adherence = combine(p.adherence for p in programs)

    pain: dict[datetime.date, list[tuple[int | None, ...]]] = defaultdict(list)
    for performed_at, *values in (
        ExerciseSession.objects.filter(patient=patient)
        .order_by()
        .values_list("performed_at", *PainReadings.PAIN_FIELDS)
    ):
        pain[week_start(local_date(performed_at, tz))].append(tuple(values))

    readings = _readings(patient, tz)
    scores: dict[datetime.date, dict[str, Decimal]] = defaultdict(dict)
    for code, answers in readings.items():
        for reading in answers:  # oldest first: the week keeps its latest
            scores[week_start(reading.answered_on)][code] = reading.score

    # Up to this week, or next week for a session logged late on Sunday by a phone
    # whose clock runs ahead; anything later (or before FIRST_WEEK) is bad data.
    latest = week_start(today + datetime.timedelta(days=1))
    starts = [
        monday
        for monday in (*(w.week_start for w in adherence.weeks), *pain, *scores)
        if FIRST_WEEK <= monday <= latest
    ]
    weeks = []
    if starts:
        monday, last = min(starts), max(week_start(today), *starts)
        while monday <= last:
            logged = pain.get(monday, [])
            weeks.append(
                ProgressWeek(
                    week_start=monday,
                    sessions=len(logged),
                    pain_before_mean=_mean([_worse(bb, lb) for bb, _, lb, _ in logged]),
                    pain_after_mean=_mean([_worse(ba, la) for _, ba, _, la in logged]),
                    **{
                        f"{name}_mean": _mean([values[i] for values in logged])
                        for i, name in enumerate(PainReadings.PAIN_FIELDS)
                    },
                    scores={code: scores.get(monday, {}).get(code) for code in MEASURES},
                    adherence=adherence.week(monday)
                    or WeekAdherence(week_start=monday, scheduled=0, done=0, credited=0),
                )
            )
            monday += _WEEK
    return Progress(
        patient=patient,
        today=today,
        weeks=tuple(weeks),
        measures=_summaries(readings),
        adherence=adherence,
    )


# --- questionnaires due --------------------------------------------------------------

# Active patients answer, and discharged ones too: the discharge questionnaires are
# answered after the discharge.
ANSWERING_STATUSES = (Patient.Status.ACTIVE, Patient.Status.DISCHARGED)


def may_answer_questionnaires(*, patient: Patient) -> bool:
    return patient.status in ANSWERING_STATUSES


@dataclass(frozen=True)
class DueQuestionnaire:
    due: Due
    instrument: Instrument


def questionnaires_due(*, patient: Patient, today: datetime.date) -> list[DueQuestionnaire]:
    """What the patient has due on their local `today`, each with its instrument."""
    return [
        DueQuestionnaire(due=item, instrument=instruments.INSTRUMENTS[item.code])
        for item in schedule.due_for(patient, today=today)
    ]


def questionnaire_due(
    *, patient: Patient, code: str, today: datetime.date | None = None
) -> DueQuestionnaire:
    """The questionnaire `code` as the patient has it due on their local `today` (now,
    by default). Raises `UnknownQuestionnaireError` for a code no instrument has and
    `QuestionnaireNotDueError` when it is not due (already answered, or not part of
    the patient's schedule)."""
    instrument = instruments.get(code)
    if instrument is None:
        raise UnknownQuestionnaireError(code)
    today = today or local_today(patient_zone(patient))
    for item in questionnaires_due(patient=patient, today=today):
        if item.instrument.code == instrument.code:
            return item
    raise QuestionnaireNotDueError(f"The {instrument.title} is not due for you now.")
