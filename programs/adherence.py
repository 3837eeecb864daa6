"""Adherence: the days a program scheduled against the days the patient exercised.

Everything is in the patient's local dates. A day is *scheduled* when it lies between
the program's start date and today (or the day the program ended), the program was
active at the end of that day (a paused or closed program schedules nothing), and the
day is one of the program's weekdays then. A day with one or more sessions logged
against the program counts as *done*, whichever weekday it is; a session done during a
hold (medical or referral) counts for nothing, as the program was not running.

Per ISO week (Monday to Sunday) a program is credited with at most the days it
scheduled that week, so extra sessions in one week never hide a missed week, and no
percentage passes 100. Overall adherence is the credited days over the scheduled days.

The functions at the top are pure (dates in, numbers out); `patient_adherence` loads
what they need for one patient in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.localtime import local_date, local_midnight, local_today, patient_zone
from patients.models import Patient

from .models import ExerciseSession, Prescription
from .schedule import FIRST_START

_DAY = datetime.timedelta(days=1)
_WEEK = datetime.timedelta(days=7)
# The staff's adherence windows, in days up to today; the longest read back from its
# first day's local midnight.
SUMMARY_DAYS = (7, 28)
_WINDOW = datetime.timedelta(days=max(SUMMARY_DAYS) - 1)


# ---------------------------------------------------------------- pure functions


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s ISO week."""
    return day - datetime.timedelta(days=day.weekday())


def iso_week(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02}"


def percent(done: int, scheduled: int) -> int | None:
    """Whole percent, capped at 100; None when nothing was scheduled."""
    if scheduled <= 0:
        return None
    return min(100, round(100 * done / scheduled))


@dataclass(frozen=True)
class ProgramState:
    """What a program looked like from local date `since` on (one history record)."""

    since: datetime.date
    active: bool
    weekdays: frozenset[int]


def scheduled_days(
    *, states: Sequence[ProgramState], start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    """The scheduled days in [start, end]: each day takes the last state that began on or
    before it (the state at the end of that day); days before the first state take the
    first (a program may be entered with an earlier start date)."""
    if not states or start > end:
        return []
    ordered = sorted(states, key=lambda s: s.since)
    days = []
    index = 0
    day = start
    while day <= end:
        while index + 1 < len(ordered) and ordered[index + 1].since <= day:
            index += 1
        state = ordered[index]
        if state.active and day.weekday() in state.weekdays:
            days.append(day)
        day += _DAY
    return days


@dataclass(frozen=True)
class WeekAdherence:
    week_start: datetime.date
    scheduled: int
    done: int  # days with a session this week
    credited: int  # done days counted against the schedule: at most `scheduled`

    @property
    def week(self) -> str:
        return iso_week(self.week_start)

    @property
    def percent(self) -> int | None:
        return percent(self.credited, self.scheduled)


@dataclass(frozen=True)
class Adherence:
    weeks: tuple[WeekAdherence, ...] = ()

    @property
    def scheduled(self) -> int:
        return sum(w.scheduled for w in self.weeks)

    @property
    def done(self) -> int:
        return sum(w.done for w in self.weeks)

    @property
    def credited(self) -> int:
        return sum(w.credited for w in self.weeks)

    @property
    def ratio(self) -> float | None:
        """Credited over scheduled, unrounded (for thresholds); None when none scheduled."""
        return self.credited / self.scheduled if self.scheduled else None

    @property
    def percent(self) -> int | None:
        return percent(self.credited, self.scheduled)

    def week(self, monday: datetime.date) -> WeekAdherence | None:
        return next((w for w in self.weeks if w.week_start == monday), None)


def adherence(
    *,
    scheduled: Iterable[datetime.date],
    session_days: Iterable[datetime.date],
    start: datetime.date,
    end: datetime.date,
) -> Adherence:
    """Per ISO week from `start`'s week to `end`'s: scheduled days, days with a session
    (only those from `start` to `end`), and the credit capped at the schedule."""
    if start > end:
        return Adherence()
    scheduled_by_week: dict[datetime.date, int] = defaultdict(int)
    for day in set(scheduled):
        scheduled_by_week[week_start(day)] += 1
    done_by_week: dict[datetime.date, int] = defaultdict(int)
    for day in set(session_days):
        if start <= day <= end:
            done_by_week[week_start(day)] += 1
    weeks = []
    monday = week_start(start)
    while monday <= end:
        planned, done = scheduled_by_week[monday], done_by_week[monday]
        weeks.append(
            WeekAdherence(
                week_start=monday, scheduled=planned, done=done, credited=min(done, planned)
            )
        )
        monday += _WEEK
    return Adherence(weeks=tuple(weeks))


def combine(parts: Iterable[Adherence]) -> Adherence:
    """Several programs' adherence summed week by week (one program is open at a time,
    so they rarely share a week)."""
    totals: dict[datetime.date, list[int]] = {}
    for part in parts:
        for w in part.weeks:
            sums = totals.setdefault(w.week_start, [0, 0, 0])
            sums[0] += w.scheduled
            sums[1] += w.done
            sums[2] += w.credited
    return Adherence(
        weeks=tuple(
            WeekAdherence(week_start=monday, scheduled=s, done=d, credited=c)
            for monday, (s, d, c) in sorted(totals.items())
        )
    )


def window(
    *,
    today: datetime.date,
    days: int,
    session_days: Sequence[datetime.date],
    scheduled: Iterable[datetime.date] | None,
) -> dict:
    """The last `days` local days up to today: sessions, days with one, and against the
    open program's schedule (None without an open program)."""
    first = today - datetime.timedelta(days=days - 1)
    in_window = [d for d in session_days if first <= d <= today]
    planned = None if scheduled is None else sum(1 for d in set(scheduled) if first <= d <= today)
    active = len(set(in_window))
    return {
        "days": days,
        "sessions": len(in_window),
        "days_with_session": active,
        "scheduled_days": planned,
        "adherence_percent": percent(active, planned) if planned else None,
    }


# ---------------------------------------------------------------- the selector


@dataclass(frozen=True)
class ProgramAdherence:
    prescription: Prescription
    start: datetime.date
    end: datetime.date  # the last day counted: today, or the day the program closed
    scheduled_days: tuple[datetime.date, ...]
    session_days: tuple[datetime.date, ...] = field(repr=False)
    adherence: Adherence


def _states(
    prescription: Prescription, rows: Sequence[tuple], tz: datetime.tzinfo
) -> list[ProgramState]:
    def state(status: str, weekdays: Iterable[int] | None) -> tuple[bool, frozenset[int]]:
        return status == Prescription.Status.ACTIVE, frozenset(weekdays or [])

    if not rows:  # made without history (bulk loads): the current state throughout
        active, weekdays = state(prescription.status, prescription.weekdays)
        return [ProgramState(since=datetime.date.min, active=active, weekdays=weekdays)]
    return [
        ProgramState(since=local_date(moment, tz), active=active, weekdays=weekdays)
        for moment, status, days in rows
        for active, weekdays in [state(status, days)]
    ]


def _closed_on(
    prescription: Prescription, rows: Sequence[tuple], tz: datetime.tzinfo
) -> datetime.date | None:
    if prescription.status in Prescription.OPEN_STATUSES:
        return None
    closed = [moment for moment, status, _ in rows if status not in Prescription.OPEN_STATUSES]
    moment = closed[0] if closed else prescription.updated_at
    return local_date(moment, tz)


def _history_of(ids: list[int]) -> dict[int, list[tuple]]:
    """Each program's versions, oldest first, as (moment, status, weekdays). One query."""
    history: dict[int, list[tuple]] = defaultdict(list)
    for pk, moment, status, weekdays in (
        Prescription.history.filter(id__in=ids)
        .order_by("history_date", "history_id")
        .values_list("id", "history_date", "status", "weekdays")
    ):
        history[pk].append((moment, status, weekdays))
    return history


def patient_adherence(
    *,
    patient: Patient,
    today: datetime.date | None = None,
    prescription: Prescription | None = None,
    open_only: bool = False,
) -> list[ProgramAdherence]:
    """Adherence of each of the patient's programs (or one, or the open one), oldest
    first. Three queries whatever the history: programs, their history, sessions."""
    tz = patient_zone(patient)
    today = today or local_today(tz)
    chosen = Prescription.objects.filter(patient=patient)
    if prescription is not None:
        chosen = chosen.filter(pk=prescription.pk)
    if open_only:
        chosen = chosen.filter(status__in=Prescription.OPEN_STATUSES)
    programs = list(chosen.order_by("start_date", "pk"))
    if not programs:
        return []
    ids = [p.pk for p in programs]
    history = _history_of(ids)
    sessions: dict[int, list[datetime.date]] = defaultdict(list)
    for pk, moment in (
        ExerciseSession.objects.filter(prescription_id__in=ids, during_hold=False)
        .order_by()
        .values_list("prescription_id", "performed_at")
    ):
        sessions[pk].append(local_date(moment, tz))

    result = []
    for program in programs:
        rows = history[program.pk]
        start = max(program.start_date, FIRST_START)  # an older one is bad data
        closed = _closed_on(program, rows, tz)
        end = min(today, closed) if closed else today
        planned = scheduled_days(states=_states(program, rows, tz), start=start, end=end)
        days = sessions[program.pk]
        result.append(
            ProgramAdherence(
                prescription=program,
                start=start,
                end=end,
                scheduled_days=tuple(planned),
                session_days=tuple(sorted(days)),
                adherence=adherence(scheduled=planned, session_days=days, start=start, end=end),
            )
        )
    return result


def adherence_summary(*, patient: Patient) -> dict:
    """The last 7 and 28 local days (today included): sessions, days with one, and
    against the open program's schedule; for the staff session list. A session done
    during a hold counts for nothing here either."""
    return adherence_summaries(patients=[patient])[patient.pk]


def adherence_summaries(
    *, patients: Iterable[Patient], now: datetime.datetime | None = None
) -> dict[int, dict]:
    """`adherence_summary` of each patient, by patient id, each in their own local days:
    three queries however many patients (open programs, their history, sessions)."""
    zones = {p.pk: patient_zone(p) for p in patients}
    if not zones:
        return {}
    today = {pk: local_today(tz, now) for pk, tz in zones.items()}
    programs = {
        p.patient_id: p
        for p in Prescription.objects.filter(
            patient__in=list(zones), status__in=Prescription.OPEN_STATUSES
        )
    }
    history = _history_of([p.pk for p in programs.values()])
    since = min(local_midnight(today[pk] - _WINDOW, tz) for pk, tz in zones.items())
    local_days: dict[int, list[datetime.date]] = defaultdict(list)
    for pk, moment in ExerciseSession.objects.filter(
        patient__in=list(zones), performed_at__gte=since, during_hold=False
    ).values_list("patient_id", "performed_at"):
        local_days[pk].append(local_date(moment, zones[pk]))

    result = {}
    for pk, tz in zones.items():
        scheduled = None
        if (program := programs.get(pk)) is not None:  # open: counted up to today
            states = _states(program, history[program.pk], tz)
            start = max(program.start_date, FIRST_START)
            scheduled = scheduled_days(states=states, start=start, end=today[pk])
        result[pk] = {
            "today": today[pk],
            **{
                f"last_{days}_days": window(
                    today=today[pk], days=days, session_days=local_days[pk], scheduled=scheduled
                )
                for days in SUMMARY_DAYS
            },
        }
    return result
