"""Shared machinery of the planner's passes (`reminders.planner`,
`reminders.inactivity`, `reminders.questionnaires`): what they read of a patient, time
zones computed once per pass, the row they build, and the tuned-SQL-or-portable split."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Exists, OuterRef

from patients.models import Patient

from . import rules
from .models import Device, Notification
from .writer import BATCH_SIZE

logger = logging.getLogger(__name__)

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
    """ZoneInfo by name and local_instant results, computed once per pass."""

    def __init__(self) -> None:
        self._zones: dict[str, ZoneInfo | None] = {}
        self._instants: dict[tuple[ZoneInfo, datetime.date, str], datetime.datetime | None] = {}

    def get(self, name: str) -> ZoneInfo | None:
        if name not in self._zones:
            self._zones[name] = rules.zone(name)
            if self._zones[name] is None:
                logger.warning("Unknown time zone %r: its patients get no reminders.", name)
        return self._zones[name]

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
    return Exists(Device.objects.filter(patient_id=OuterRef(patient_ref)))


def patient_only(prefix: str = "patient") -> list[str]:
    return [prefix, *(f"{prefix}__{name}" for name in PATIENT_FIELDS)]


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


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def row_batches(
    sql: str, params: dict, portable: Callable[[], Iterable[tuple]]
) -> Iterator[list[tuple]]:
    """Rows of a planner query in batches: the tuned SQL on PostgreSQL; elsewhere (SQLite
    for `make run`) the same rows computed plainly, row by row, which is fine at demo
    scale."""
    if on_postgresql():
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(BATCH_SIZE):
                yield rows
        return
    rows = list(portable())
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]
