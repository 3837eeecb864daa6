"""A patient's progress over time: pain, outcome measures and adherence, per week.

Read by the staff progress endpoint (outcomes.api.progress) and by the no-improvement
review (programs.safety.progress_review). Weeks are ISO weeks (Monday to Sunday) of the
patient's local dates.

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
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from patients.models import Patient
from programs.adherence import (
    Adherence,
    WeekAdherence,
    combine,
    iso_week,
    local_date,
    local_today,
    patient_adherence,
    patient_zone,
    week_start,
)
from programs.models import ExerciseSession, PainReadings
from programs.schedule import FIRST_START

from .models import Code, QuestionnaireResponse

_WEEK = datetime.timedelta(days=7)
_TENTH = Decimal("0.1")
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
        return self.responses >= 2

    @property
    def change(self) -> Decimal | None:
        """Latest minus baseline: negative is better."""
        if not self.followed_up:
            return None
        return self.latest.score - self.baseline.score

    @property
    def percent_change(self) -> Decimal | None:
        if self.change is None or not self.baseline.score:
            return None
        return (self.change * 100 / self.baseline.score).quantize(_TENTH, ROUND_HALF_UP)

    @property
    def meets_mcid(self) -> bool | None:
        if not self.followed_up:
            return None
        return self.mcid.met(baseline=self.baseline.score, latest=self.latest.score)

    def describe(self) -> str:
        if not self.followed_up:
            return f"{self.name}: no follow-up yet"
        change = self.change.normalize()
        return (
            f"{self.name} from {_num(self.baseline.score)} to {_num(self.latest.score)} "
            f"({'+' if change > 0 else ''}{_num(change)}; meaningful is {self.mcid.text} less)"
        )


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _readings(patient: Patient, tz: datetime.tzinfo) -> dict[str, list[Reading]]:
    by_code: dict[str, list[Reading]] = defaultdict(list)
    rows = (
        QuestionnaireResponse.objects.filter(patient=patient, code__in=list(MEASURES))
        .order_by("answered_at", "pk")
        .values_list("code", "score", "answered_at", "occasion")
    )
    for code, score, answered_at, occasion in rows:
        if not score.is_finite():  # NaN is a valid PostgreSQL numeric, never a score
            continue
        by_code[code].append(
            Reading(
                score=score,
                answered_at=answered_at,
                answered_on=local_date(answered_at, tz),
                occasion=occasion,
            )
        )
    return by_code


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
    today = today or local_today(patient)
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
