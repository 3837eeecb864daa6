"""Each patient's next due instants (`PlannerDue`), kept so that every pass reads only
what falls in its window.

Why a table the planner keeps, fed by a queue, rather than columns the services set:
what is due comes from facts in four apps (the patient's zone and status, diagnoses,
programs, questionnaire answers), and the rules that combine them live above most of
those apps (`outcomes.schedule`, `reminders.rules`): programs cannot compute an
outcome's due date. So each service that changes such a fact only queues the patient
(`patients.ScheduleChange`, in the transaction of the change), and the planner, which sees every
app, works the instants out again here. A change committed while a pass runs leaves its
queue row for the next pass; nothing depends on commit order or clocks. One pass runs
at a time (`reminders.locks.single_run`), so two never write a patient's row apart.

Each pass first calls `refresh`: the queued patients, then the patients whose exercise
instant has passed (one reminder time each since the last pass). Both are what changed,
not what exists, so the cost follows the changes plus what is due. `fill` works every
patient out at once: the data migration, and a bulk load that bypassed the services.

What is stored is a pure function of the facts (and, for exercise, of the pass's
`now`), never of what the outbox holds: planning a window again, or after its rows
were deleted, reads the same patients. Holds, consent and the clinic's settings are
not in it: the sources filter on them when they read the due rows. Logging a session
queues nothing: it only moves the last activity later, so `idle_from` stays a lower
bound, and the inactivity pass works a patient out again when it reads them active.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from django.db.models import Max, Min

from core.localtime import local_date, local_midnight
from outcomes import schedule as questionnaire_schedule
from outcomes.models import QuestionnaireResponse
from patients.models import Diagnosis, Patient, ScheduleChange
from programs.models import Prescription
from programs.session_models import ExerciseSession

from ..models import PlannerDue
from .base import Zones
from .writer import BATCH_SIZE

_DAY = datetime.timedelta(days=1)
# Far enough for any weekday set; a program whose times all fall in a gap of the zone
# for this long reminds no one (a later pass looks again when it changes).
_EXERCISE_LOOKAHEAD_DAYS = 8

Answered = dict[str, tuple[datetime.datetime, datetime.datetime]]
Instant = datetime.datetime | None


def first_due_day(facts: questionnaire_schedule.Facts) -> datetime.date | None:
    """The first local date on which `questionnaire_schedule.due` lists something for an
    active patient with these facts; from then on something stays due until the
    patient answers (which queues them). None when nothing will be."""
    start = facts.evaluated_on
    if start is None:
        return None
    if any(code not in facts.first_answered for code in questionnaire_schedule.BASELINE_CODES):
        return start
    every = questionnaire_schedule.FOLLOW_UP_EVERY
    days = []
    for code in questionnaire_schedule.FOLLOW_UP_CODES:
        first = facts.first_answered[code]
        last = facts.last_answered.get(code, first)
        # The first follow-up date after the last answer: due from then on.
        periods = max(1, (last - first) // every + 1)
        days.append(max(start, first + periods * every))
    return min(days) if days else None


def next_exercise_at(
    programs: Iterable[tuple[list[int], list[str]]],
    *,
    tz: ZoneInfo,
    after: datetime.datetime,
    zones: Zones,
) -> datetime.datetime | None:
    """The first instant at or after `after` at which one of these (weekdays, reminder
    times) fires in `tz`, by the same `rules.local_instant` the exercise pass plans by."""
    first_day = local_date(after, tz) - _DAY
    best: datetime.datetime | None = None
    for weekdays, times in programs:
        days = set(weekdays or [])
        for offset in range(_EXERCISE_LOOKAHEAD_DAYS + 1):
            day = first_day + offset * _DAY
            if day.weekday() not in days:
                continue
            for hhmm in times or []:
                at = zones.instant(tz, day, hhmm)
                if at is not None and at >= after and (best is None or at < best):
                    best = at
            if best is not None and local_date(best, tz) <= day:
                break  # later days fire later
    return best


def refresh(*, now: datetime.datetime, zones: Zones) -> None:
    """The queued patients, then those whose exercise instant has passed."""
    last = 0
    while changes := list(
        ScheduleChange.objects.filter(pk__gt=last)
        .order_by("pk")
        .values_list("pk", "patient_id")[:BATCH_SIZE]
    ):
        store(sorted({patient_id for _, patient_id in changes}), now=now, zones=zones)
        # Only the rows read: one queued since stays for the next pass.
        ScheduleChange.objects.filter(pk__in=[pk for pk, _ in changes]).delete()
        last = changes[-1][0]
    last = 0
    while passed := list(
        PlannerDue.objects.filter(exercise_at__lt=now, patient_id__gt=last)
        .order_by("patient_id")
        .values_list("patient_id", flat=True)[:BATCH_SIZE]
    ):
        store(passed, now=now, zones=zones)
        last = passed[-1]


def fill(*, now: datetime.datetime, after: int = 0, batch_size: int = BATCH_SIZE) -> int:
    """Work out the instants of every patient (with an id above `after`); how many
    patients. Safe to run again."""
    zones = Zones()
    count = 0
    last = after
    while ids := list(
        Patient.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size]
    ):
        store(ids, now=now, zones=zones)
        count += len(ids)
        last = ids[-1]
    return count


def store(patient_ids: list[int], *, now: datetime.datetime, zones: Zones) -> None:
    """Work these patients' instants out from their facts and write them: six queries
    for the batch, whatever its size."""
    rows = [
        PlannerDue(
            patient_id=patient_id,
            exercise_at=exercise_at,
            questionnaire_at=questionnaire_at,
            idle_from=idle_from,
            computed_at=now,
        )
        for patient_id, exercise_at, questionnaire_at, idle_from in _compute(
            patient_ids, now=now, zones=zones
        )
    ]
    if rows:
        PlannerDue.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["patient"],
            update_fields=["exercise_at", "questionnaire_at", "idle_from", "computed_at"],
        )


def _compute(
    patient_ids: list[int], *, now: datetime.datetime, zones: Zones
) -> Iterator[tuple[int, Instant, Instant, Instant]]:
    patients = list(
        Patient.objects.filter(pk__in=patient_ids)
        .order_by("pk")
        .values_list("pk", "time_zone", "status")
    )
    programs: dict[int, list[tuple[list[int], list[str]]]] = defaultdict(list)
    program_starts: dict[int, list[datetime.date]] = defaultdict(list)
    starts: dict[int, datetime.date] = {}
    for patient_id, weekdays, times, start in (
        Prescription.objects.filter(patient_id__in=patient_ids, status=Prescription.Status.ACTIVE)
        .order_by()
        .values_list("patient_id", "weekdays", "reminder_times", "start_date")
    ):
        programs[patient_id].append((weekdays, times))
        program_starts[patient_id].append(start)
        starts[patient_id] = min(start, starts.get(patient_id, start))
    diagnosed = dict(
        Diagnosis.objects.filter(patient_id__in=patient_ids)
        .order_by()
        .values("patient_id")
        .annotate(first=Min("diagnosed_on"))
        .values_list("patient_id", "first")
    )
    last_session = dict(
        ExerciseSession.objects.filter(patient_id__in=patient_ids)
        .order_by()
        .values("patient_id")
        .annotate(last=Max("performed_at"))
        .values_list("patient_id", "last")
    )
    answered: dict[int, Answered] = defaultdict(dict)
    for row in (
        QuestionnaireResponse.objects.filter(patient_id__in=patient_ids)
        .order_by()
        .values("patient_id", "code")
        .annotate(first=Min("answered_at"), last=Max("answered_at"))
    ):
        answered[row["patient_id"]][row["code"]] = (row["first"], row["last"])
    for patient_id, zone_name, status in patients:
        tz = zones.get(zone_name)
        if status != Patient.Status.ACTIVE:
            yield patient_id, None, None, None  # a change of status queues them again
            continue
        if tz is None:
            # Worked out again by every pass, and skipped by the sources with a warning,
            # until the zone resolves (a change of zone queues them; tzdata does not).
            yield patient_id, now, now, None
            continue
        exercise_at = next_exercise_at(programs[patient_id], tz=tz, after=now, zones=zones)
        evaluated = [d for d in (diagnosed.get(patient_id), starts.get(patient_id)) if d]
        facts = questionnaire_schedule.Facts.build(
            status=status,
            evaluated_on=min(evaluated) if evaluated else None,
            answered=answered[patient_id],
            tz=tz,
        )
        day = first_due_day(facts)
        # The earliest of the active programs' last activity (`inactivity`): the later
        # of the last session and the program's start.
        session = last_session.get(patient_id)
        idle_from = min(
            (
                max(started, session) if session else started
                for started in (local_midnight(d, tz) for d in program_starts[patient_id])
            ),
            default=None,
        )
        yield patient_id, exercise_at, local_midnight(day, tz) if day else None, idle_from
