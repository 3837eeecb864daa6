"""Exercise reminders: each active prescription's reminder times, on its weekdays, at
the patient's local wall-clock time.

Candidates are narrowed in SQL: only prescriptions with a reminder time whose
wall-clock minute occurs in the window, in the patient's zone, matched as a few
"HH:MM" string ranges rather than `?|` with one key per minute: the latter was many times
slower at a million prescriptions, and PostgreSQL did not choose a GIN index for it
(docs/benchmarks.md, planner scale).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, F, Func, Q, Value

from core.localtime import local_date
from patients.models import Patient
from programs.models import Prescription

from .. import rules
from ..clinics import ClinicConfig
from ..models import Kind
from . import base
from .base import Zones, add_reminder, annotation, in_known_zones, with_patient
from .writer import Writer

_MINUTE = datetime.timedelta(minutes=1)
_DAY = datetime.timedelta(days=1)


def local_days(
    tz: ZoneInfo, start: datetime.datetime, end: datetime.datetime
) -> list[datetime.date]:
    """Local dates whose wall times could fall in [start, end), with a spare day before
    (cheap, and no zone's oddity can then lose a reminder at the window's start)."""
    first = local_date(start, tz) - _DAY
    last = local_date(end, tz)
    return [first + _DAY * n for n in range((last - first).days + 1)]


def window_walls(
    tz: ZoneInfo, start: datetime.datetime, end: datetime.datetime
) -> frozenset[str] | None:
    """Every "HH:MM" whose local instant in `tz` may fall in [start, end); None for all.

    Walks the window minute by minute in UTC. Wall times skipped by a spring-forward gap
    are included too: they fire at the gap's end, which is inside the window.
    """
    if end - start >= _DAY:
        return None
    walls: set[str] = set()
    minute = start.replace(second=0, microsecond=0) - _MINUTE
    previous: datetime.datetime | None = None
    while minute < end:
        wall = minute.astimezone(tz).replace(tzinfo=None)
        if previous is not None and wall - previous > _MINUTE:
            skipped = previous + _MINUTE
            while skipped < wall:
                walls.add(f"{skipped:%H:%M}")
                skipped += _MINUTE
        walls.add(f"{wall:%H:%M}")
        previous = wall
        minute += _MINUTE
    return None if len(walls) >= 24 * 60 else frozenset(walls)


class _HasTimeIn(Func):
    """`reminder_times @? '$[*] ? (@ >= "10:00" && @ <= "11:59" || ...)'`: whether any
    element lies in one of the ranges. "HH:MM" strings sort as times, so a window is a
    few string ranges; far cheaper per row than `?|` with a key per minute."""

    template = "(%(expressions)s::jsonpath)"
    arg_joiner = " @? "
    output_field = BooleanField()


def minute_ranges(walls: frozenset[str]) -> list[tuple[str, str]]:
    """Sorted "HH:MM" strings grouped into contiguous runs, as (first, last)."""
    minutes = sorted(int(w[:2]) * 60 + int(w[3:]) for w in walls)
    runs: list[list[int]] = []
    for minute in minutes:
        if runs and minute == runs[-1][1] + 1:
            runs[-1][1] = minute
        else:
            runs.append([minute, minute])
    return [(f"{a // 60:02}:{a % 60:02}", f"{b // 60:02}:{b % 60:02}") for a, b in runs]


def _times_in(walls: frozenset[str]) -> Q:
    tests = [
        f'@ == "{first}"' if first == last else f'@ >= "{first}" && @ <= "{last}"'
        for first, last in minute_ranges(walls)
    ]
    path = f"$[*] ? ({' || '.join(tests)})"
    return Q(_HasTimeIn(F("reminder_times"), Value(path)))


def exercise_candidates(*, now: datetime.datetime, end: datetime.datetime, zones: Zones) -> Q:
    """Prescriptions whose reminder times can fall in the window, as a filter.

    Zones with the same wall times in the window (same offset, same rules) share one
    branch: the patient's zone is one of them and a reminder time is in their ranges.
    """
    groups: dict[frozenset[str] | None, list[str]] = defaultdict(list)
    for name, tz in zones.active().items():
        groups[window_walls(tz, now, end)].append(name)
    candidates = Q(pk__in=[])  # no zone, no candidates
    for walls, zone_names in groups.items():
        branch = Q(patient__time_zone__in=zone_names)
        if walls is not None and base.on_postgresql():  # via `base`: a test swaps it
            branch &= _times_in(walls)
        candidates |= branch
    return candidates


def plan_exercise(
    *,
    now: datetime.datetime,
    end: datetime.datetime,
    config: ClinicConfig,
    zones: Zones,
    writer: Writer,
) -> None:
    """Each active prescription's reminder times on its weekdays, in the patient's zone."""
    prescriptions = with_patient(
        Prescription.objects.filter(
            exercise_candidates(now=now, end=end, zones=zones),
            status=Prescription.Status.ACTIVE,
            patient__status=Patient.Status.ACTIVE,
            patient__medical_hold_since__isnull=True,
            patient__referral_hold_since__isnull=True,
        ).exclude(patient__clinic_id__in=config.clinics_without("exercise_reminders")),
        "weekdays",
        "reminder_times",
    )
    for prescription, patient, tz in in_known_zones(prescriptions, zones):
        weekdays = set(prescription.weekdays or [])
        source = rules.prescription_source(prescription.pk)
        for day in local_days(tz, now, end):
            if day.weekday() not in weekdays:
                continue
            for hhmm in prescription.reminder_times or []:
                at = zones.instant(tz, day, hhmm)
                if at is None or not now <= at < end:
                    continue
                add_reminder(
                    writer,
                    patient,
                    kind=Kind.EXERCISE,
                    source=source,
                    at=at,
                    tz=tz,
                    has_device=annotation(prescription, "has_device"),
                )
