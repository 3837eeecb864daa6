"""Exercise reminders: each active prescription's reminder times, on its weekdays, at
the patient's local wall-clock time.

Candidates are the patients whose next exercise instant (`PlannerDue.exercise_at`,
kept by `planner.due`) falls before the window's end: an index range, so a pass reads
the programs that remind in its window, not every program there is. Matching each
program's "HH:MM" times against the window's wall-clock minutes in SQL, as before,
read every active program (docs/benchmarks.md, planner scale).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from core.localtime import local_date
from patients.models import Patient
from programs.models import Prescription

from .. import rules
from ..clinics import ClinicConfig
from ..models import Kind, PlannerDue
from .base import PATIENT_FIELDS, Zones, add_reminder, annotation, chunks, has_device
from .writer import BATCH_SIZE, Writer

_DAY = datetime.timedelta(days=1)


def local_days(
    tz: ZoneInfo, start: datetime.datetime, end: datetime.datetime
) -> list[datetime.date]:
    """Local dates whose wall times could fall in [start, end), with a spare day before
    (cheap, and no zone's oddity can then lose a reminder at the window's start)."""
    first = local_date(start, tz) - _DAY
    last = local_date(end, tz)
    return [first + _DAY * n for n in range((last - first).days + 1)]


def due_programs(
    *, end: datetime.datetime, config: ClinicConfig, zones: Zones
) -> Iterator[tuple[Prescription, Patient, ZoneInfo]]:
    """The active programs, with their patient and zone, of the patients with an exercise
    reminder due before `end` (after `due.refresh`, none of them is before the pass's
    `now`); unknown zones skipped.

    By ids, and the patients apart from their programs, on purpose: as a join,
    PostgreSQL hashed the due rows and scanned every patient to probe them, which grows
    with the patients, not with what is due. Two index reads per batch instead.
    """
    due_ids = list(
        PlannerDue.objects.filter(exercise_at__lt=end)
        .order_by("patient_id")
        .values_list("patient_id", flat=True)
    )
    skipped = config.clinics_without("exercise_reminders")
    for ids in chunks(due_ids, BATCH_SIZE):
        patients = (
            Patient.objects.filter(
                pk__in=ids,
                status=Patient.Status.ACTIVE,
                medical_hold_since__isnull=True,
                referral_hold_since__isnull=True,
            )
            .exclude(clinic_id__in=skipped)
            .only(*PATIENT_FIELDS)
            .order_by()
            .in_bulk()
        )
        prescriptions = (
            Prescription.objects.filter(
                patient_id__in=list(patients), status=Prescription.Status.ACTIVE
            )
            .annotate(has_device=has_device())
            .only("patient_id", "weekdays", "reminder_times")
            .order_by("pk")
        )
        for prescription in prescriptions:
            patient = patients[prescription.patient_id]
            tz = zones.of(patient)
            if tz is not None:
                yield prescription, patient, tz


def plan_exercise(
    *,
    now: datetime.datetime,
    end: datetime.datetime,
    config: ClinicConfig,
    zones: Zones,
    writer: Writer,
) -> None:
    """Each due program's reminder times on its weekdays, in the patient's zone."""
    for prescription, patient, tz in due_programs(end=end, config=config, zones=zones):
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
