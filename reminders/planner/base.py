"""What every source of the planner shares: what it reads of a patient, time zones
resolved once per pass, the row it builds, and the tuned-SQL-or-portable split."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Exists, Model, OuterRef, QuerySet

from appointments.models import Appointment
from core.db import on_postgresql
from core.localtime import known_zone
from patients.models import Patient
from programs.models import Prescription

from .. import rules
from ..models import Device, Notification
from .writer import BATCH_SIZE, Writer

logger = logging.getLogger(__name__)

T = TypeVar("T")
# The rows a source reads that are about one patient each.
AboutPatient = TypeVar("AboutPatient", Prescription, Appointment)

# What reminders read of a patient; the rest of the record stays in the database.
PATIENT_FIELDS = (
    "clinic",
    "time_zone",
    "email",
    "phone",
    "consent_email",
    "consent_sms",
    "consent_push",
    "quiet_hours_start",
    "quiet_hours_end",
    "status",
    "medical_hold_since",
    "referral_hold_since",
)


class Zones:
    """Patients' zones and `rules.local_instant` results, computed once per pass and
    shared by its sources.

    Unlike a read (`core.localtime.patient_zone`, which counts an unknown name as UTC),
    the planner skips a patient whose stored zone no longer resolves: a reminder at the
    wrong local hour is worse than none, and the warning names the zone to fix. Rows
    planned before the name stopped resolving are judged at delivery in UTC, as every
    read does (`cancel_rules.cancel_reason`, the outbox's SMS cap).
    """

    def __init__(self) -> None:
        self._zones: dict[str, ZoneInfo | None] = {}
        self._instants: dict[tuple[ZoneInfo, datetime.date, str], datetime.datetime | None] = {}

    def get(self, name: str) -> ZoneInfo | None:
        """The zone of that name; None (warned once a pass) for one that does not resolve."""
        if name not in self._zones:
            self._zones[name] = known_zone(name)
            if self._zones[name] is None:
                logger.warning("Unknown time zone %r: its patients get no reminders.", name)
        return self._zones[name]

    def of(self, patient: Patient) -> ZoneInfo | None:
        """The patient's zone; None when it no longer resolves (the patient is skipped)."""
        return self.get(patient.time_zone)

    def instant(self, tz: ZoneInfo, day: datetime.date, hhmm: str) -> datetime.datetime | None:
        key = (tz, day, hhmm)
        if key not in self._instants:
            try:
                at = datetime.time.fromisoformat(hhmm)
            except (TypeError, ValueError):
                self._instants[key] = None
            else:
                self._instants[key] = rules.local_instant(tz, day, at)
        return self._instants[key]


def has_device(patient_ref: str = "patient_id") -> Exists:
    """Whether the patient has a phone registered for push, as an annotation."""
    return Exists(Device.objects.filter(patient_id=OuterRef(patient_ref)))


def annotation(row: Model, name: str) -> Any:
    """A value the query annotated on a row it read (`has_device`, a first date): the
    ORM sets it as an attribute the model class does not declare, so the type checker
    cannot see it. A name the query did not annotate raises AttributeError."""
    return getattr(row, name)


def patient_only(prefix: str = "patient") -> list[str]:
    return [prefix, *(f"{prefix}__{name}" for name in PATIENT_FIELDS)]


def with_patient(rows: QuerySet[AboutPatient], *fields: str) -> QuerySet[AboutPatient]:
    """Rows about a patient (a prescription, an appointment) with what a source reads of
    that patient joined, and whether they have a phone for push."""
    return (
        rows.annotate(has_device=has_device())
        .select_related("patient")
        .only(*fields, *patient_only())
        .order_by()
    )


def in_known_zones(
    rows: QuerySet[AboutPatient], zones: Zones
) -> Iterator[tuple[AboutPatient, Patient, ZoneInfo]]:
    """Each row of `with_patient`, read in batches, with its patient and their zone;
    patients whose zone no longer resolves are skipped."""
    for row in rows.iterator(chunk_size=BATCH_SIZE):
        tz = zones.of(row.patient)
        if tz is not None:
            yield row, row.patient, tz


def add_reminder(
    writer: Writer,
    patient: Patient,
    *,
    kind: str,
    source: str,
    at: datetime.datetime,
    tz: ZoneInfo,
    has_device: bool,
    new: bool = False,
) -> None:
    """Queue a message to the patient at `at`, on the channel allowed at that moment of
    their day (`rules.patient_channel`); nothing when no channel is."""
    channel = rules.patient_channel(patient, local_dt=at.astimezone(tz), has_device=has_device)
    if channel is not None:
        writer.add(patient_row(patient, kind=kind, channel=channel, source=source, at=at), new=new)


def patient_row(
    patient: Patient, *, kind: str, channel: str, source: str, at: datetime.datetime
) -> Notification:
    return Notification(
        clinic_id=patient.clinic_id,
        patient=patient,
        kind=kind,
        channel=channel,
        source=source,
        scheduled_for=at,
    )


def chunks(iterable: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def row_batches(
    sql: str, params: Mapping[str, Any], portable: Callable[[], Iterable[tuple[Any, ...]]]
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of a planner query in batches: the tuned SQL on PostgreSQL; elsewhere (SQLite
    for `make run`) the same rows computed plainly, row by row, which is fine at demo
    scale."""
    if on_postgresql():
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(BATCH_SIZE):
                yield rows
        return
    # Read whole before any of it is planned, as the SQL's cursor reads a snapshot.
    yield from chunks(list(portable()), BATCH_SIZE)
