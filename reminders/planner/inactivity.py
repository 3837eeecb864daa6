"""Inactivity: a nudge to a patient who has logged nothing for a while, and a message to
their therapist after longer; each once per streak."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from core.localtime import local_date, local_midnight
from patients.models import Patient
from practice.models import StaffMember
from programs.models import ExerciseSession, Prescription

from .. import rules
from ..clinics import ClinicConfig
from ..models import Channel, Device, Kind, Notification, PlannerDue
from . import due
from .base import PATIENT_FIELDS, Zones, add_reminder, annotation, chunks, has_device, row_batches
from .writer import BATCH_SIZE, Writer

_DAY = datetime.timedelta(days=1)


# Raw SQL because the last activity must be computed once per row: the ORM inlines an
# annotation wherever it is used, and this one is a subquery used five times.
# `OFFSET 0` keeps each LATERAL step from being folded back into its users.
_IDLE_SQL = """
SELECT i.patient_id, i.last_activity, i.last_day, i.nudged, i.alerted
FROM (
    SELECT rx.patient_id, la.last_activity, ld.last_day,
        EXISTS (
            SELECT 1 FROM {notification} n
            WHERE n.source = 'nudge:' || rx.patient_id || ':' || ld.last_day
        ) AS nudged,
        EXISTS (
            SELECT 1 FROM {notification} n
            WHERE n.source = 'inactive:' || rx.patient_id || ':' || ld.last_day
        ) AS alerted,
        (pa.consent_email AND pa.email <> '')
            OR (pa.consent_sms AND pa.phone <> '')
            OR (pa.consent_push AND EXISTS (
                SELECT 1 FROM {device} d WHERE d.patient_id = pa.id
            )) AS reachable,
        EXISTS (
            SELECT 1 FROM {staff} st JOIN {user} u ON u.id = st.user_id
            WHERE st.id = pa.primary_therapist_id AND u.is_active AND u.email <> ''
        ) AS therapist_reachable
    FROM {prescription} rx
    JOIN {patient} pa ON pa.id = rx.patient_id
    CROSS JOIN LATERAL (
        SELECT GREATEST(
            (
                SELECT s.performed_at FROM {session} s WHERE s.patient_id = rx.patient_id
                ORDER BY s.performed_at DESC LIMIT 1
            ),
            rx.start_date::timestamp AT TIME ZONE pa.time_zone
        ) AS last_activity
        OFFSET 0
    ) la
    CROSS JOIN LATERAL (
        SELECT to_char(la.last_activity AT TIME ZONE pa.time_zone, 'YYYY-MM-DD') AS last_day
        OFFSET 0
    ) ld
    WHERE rx.status = %(active)s
        AND rx.start_date <= %(start_cutoff)s
        AND rx.patient_id = ANY(%(ids)s)
        AND pa.status = %(active)s
        AND pa.medical_hold_since IS NULL
        AND pa.referral_hold_since IS NULL
) i
WHERE i.last_activity > %(nudge_cutoff)s
    OR (NOT i.nudged AND i.reachable)
    OR (NOT i.alerted AND i.therapist_reachable AND i.last_activity <= %(alert_cutoff)s)
"""


def _idle_sql() -> str:
    return _IDLE_SQL.format(
        notification=Notification._meta.db_table,
        device=Device._meta.db_table,
        staff=StaffMember._meta.db_table,
        user=StaffMember._meta.get_field("user").related_model._meta.db_table,
        prescription=Prescription._meta.db_table,
        patient=Patient._meta.db_table,
        session=ExerciseSession._meta.db_table,
    )


def _idle_rows_portable(
    *, params: dict[str, Any], zones: Zones
) -> Iterator[tuple[int, datetime.datetime, str, bool, bool]]:
    """What `_IDLE_SQL` selects (a superset is fine: the caller decides per row)."""
    programs = Prescription.objects.filter(
        patient_id__in=params["ids"],
        status=Prescription.Status.ACTIVE,
        start_date__lte=params["start_cutoff"],
        patient__status=Patient.Status.ACTIVE,
        patient__medical_hold_since__isnull=True,
        patient__referral_hold_since__isnull=True,
    ).select_related("patient")
    for program in programs:
        tz = zones.of(program.patient)
        if tz is None:
            continue
        started = local_midnight(program.start_date, tz)
        last_session = (
            ExerciseSession.objects.filter(patient_id=program.patient_id)
            .order_by("-performed_at")
            .values_list("performed_at", flat=True)
            .first()
        )
        last = max(started, last_session) if last_session else started
        day = local_date(last, tz)
        sources = set(
            Notification.objects.filter(
                source__in=[
                    rules.nudge_source(program.patient_id, day),
                    rules.inactive_source(program.patient_id, day),
                ]
            ).values_list("source", flat=True)
        )
        yield (
            program.patient_id,
            last,
            day.isoformat(),
            rules.nudge_source(program.patient_id, day) in sources,
            rules.inactive_source(program.patient_id, day) in sources,
        )


def plan_inactivity(
    *, now: datetime.datetime, config: ClinicConfig, zones: Zones, writer: Writer
) -> None:
    """A nudge to a patient `nudge_after_days` without a session, and an email to their
    therapist after `therapist_alert_after_days`; each once per streak.

    Last activity is the latest session, or the program's start (local midnight) when
    that is later: a new program does not inherit the silence before it. Its local date
    is in the source, so a streak's rows exist once; streaks already handled are skipped
    in SQL.

    Only patients idle by `PlannerDue.idle_from` are read (an index range). That
    instant is a lower bound: a session logged since moves the true one later without
    telling the planner, so the SQL returns such a patient with their real last
    activity, and their instants are worked out again (`due.store`): each is read once
    per session logged, when the old streak would have begun, and not again.
    """
    all_settings = config.all_settings()
    nudge_after = datetime.timedelta(days=min(s.nudge_after_days for s in all_settings))
    alert_after = datetime.timedelta(days=min(s.therapist_alert_after_days for s in all_settings))
    nudge_cutoff = now - min(nudge_after, alert_after)
    candidates = (
        PlannerDue.objects.filter(idle_from__lte=nudge_cutoff)
        .order_by("patient_id")
        .values_list("patient_id", "patient__time_zone")
    )
    # Only zones that resolve: PostgreSQL refuses the query over a name it does not
    # know, and the patient is skipped anyway (`Zones`).
    ids = [patient_id for patient_id, name in candidates if zones.get(name) is not None]
    for batch in chunks(ids, BATCH_SIZE):
        _plan_idle_batch(
            batch,
            now=now,
            nudge_cutoff=nudge_cutoff,
            alert_after=alert_after,
            config=config,
            zones=zones,
            writer=writer,
        )


def _plan_idle_batch(
    ids: list[int],
    *,
    now: datetime.datetime,
    nudge_cutoff: datetime.datetime,
    alert_after: datetime.timedelta,
    config: ClinicConfig,
    zones: Zones,
    writer: Writer,
) -> None:
    params = {
        "ids": ids,
        "active": Patient.Status.ACTIVE.value,
        "nudge_cutoff": nudge_cutoff,
        "alert_cutoff": now - alert_after,
        # A cheap first cut: a program starting later than this (a day of margin for
        # the zones) began after the cutoff, so its patient cannot be idle yet.
        "start_cutoff": nudge_cutoff.date() + _DAY,
    }
    portable = partial(_idle_rows_portable, params=params, zones=zones)
    for batch in row_batches(_idle_sql(), params, portable):
        # Active since their instants were worked out: not idle, worked out again.
        active_since = sorted({row[0] for row in batch if row[1] > nudge_cutoff})
        if active_since:
            due.store(active_since, now=now, zones=zones)
        rows = [row for row in batch if row[1] <= nudge_cutoff]
        patients = (
            Patient.objects.filter(pk__in=[row[0] for row in rows])
            .annotate(has_device=has_device("pk"))
            .select_related("primary_therapist__user")
            .only(*PATIENT_FIELDS, "primary_therapist__user")
            .order_by()
            .in_bulk()
        )
        for patient_id, last_activity, last_day, nudged, alerted in rows:
            patient = patients.get(patient_id)
            if patient is None:
                continue
            clinic = config.for_clinic(patient.clinic_id)
            idle = now - last_activity
            day = datetime.date.fromisoformat(last_day)
            if not nudged and idle >= datetime.timedelta(days=clinic.nudge_after_days):
                tz = zones.of(patient)
                if tz is not None:
                    _add_nudge(patient, tz=tz, day=day, now=now, writer=writer)
            therapist = patient.primary_therapist
            if (
                not alerted
                and idle >= datetime.timedelta(days=clinic.therapist_alert_after_days)
                and therapist is not None
                and therapist.user.is_active
                and therapist.user.email
            ):
                writer.add(
                    Notification(
                        clinic_id=patient.clinic_id,
                        staff=therapist,
                        kind=Kind.INACTIVITY_ALERT,
                        channel=Channel.EMAIL,
                        source=rules.inactive_source(patient.pk, day),
                        scheduled_for=now,
                    ),
                    new=True,
                )


def _add_nudge(
    patient: Patient, *, tz: ZoneInfo, day: datetime.date, now: datetime.datetime, writer: Writer
) -> None:
    """Now on the channel allowed now; when nothing is (SMS only, at night), at the end
    of the patient's quiet hours on the channel allowed then."""
    at = now
    device = annotation(patient, "has_device")
    if rules.patient_channel(patient, local_dt=now.astimezone(tz), has_device=device) is None:
        at = rules.next_quiet_end(patient, tz, now)
    add_reminder(
        writer,
        patient,
        kind=Kind.NUDGE,
        source=rules.nudge_source(patient.pk, day),
        at=at,
        tz=tz,
        has_device=device,
        new=True,
    )
