"""Questionnaire reminders: each outcome questionnaire due, once, at most one a day per
patient."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Max, Min, OuterRef, Subquery

from core.localtime import local_today
from outcomes import schedule as questionnaire_schedule
from outcomes.models import QuestionnaireResponse
from patients.models import Diagnosis, Patient
from programs.models import Prescription

from .. import retention, rules
from ..models import Device, Kind, Notification, PlannerDue
from .base import PATIENT_FIELDS, Zones, add_reminder, annotation, has_device, row_batches
from .writer import Writer

# At most one questionnaire reminder per patient in this long, however many are due.
QUESTIONNAIRE_REMINDER_GAP = datetime.timedelta(hours=24)


def _questionnaire_rows_portable(*, params: dict[str, Any]) -> Iterator[tuple[int]]:
    """A superset of what `_QUESTIONNAIRE_SQL` selects; `outcomes.schedule` decides."""
    reminded = Notification.objects.filter(
        kind=Kind.QUESTIONNAIRE, scheduled_for__gt=params["reminded_before"]
    ).values("patient_id")
    patients = (
        Patient.objects.filter(
            planner_due__questionnaire_at__lte=params["now"],
            status=Patient.Status.ACTIVE,
            medical_hold_since__isnull=True,
            referral_hold_since__isnull=True,
        )
        .exclude(pk__in=reminded)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for patient_id in patients:
        yield (patient_id,)


# Patients with a questionnaire due since before now (`PlannerDue.questionnaire_at`, an
# index range: only they are read), reachable, and not sent a questionnaire reminder
# lately. The rows it returns are decided again in Python by `outcomes.schedule.due`.
# The "reminded lately" test is a scalar subquery on purpose: as NOT EXISTS, PostgreSQL
# turned it into an anti-join whose plan, on stale outbox statistics, was far slower
# (docs/benchmarks.md, planner scale); a subquery with LIMIT 1 is one index probe per
# patient due.
_QUESTIONNAIRE_SQL = """
SELECT pa.id
FROM {due} pd
JOIN {patient} pa ON pa.id = pd.patient_id
WHERE pd.questionnaire_at <= %(now)s
    AND pa.status = %(active)s
    AND pa.medical_hold_since IS NULL
    AND pa.referral_hold_since IS NULL
    AND (
        (pa.consent_email AND pa.email <> '')
        OR (pa.consent_sms AND pa.phone <> '')
        OR (pa.consent_push AND EXISTS (SELECT 1 FROM {device} d WHERE d.patient_id = pa.id))
    )
    AND coalesce((
        SELECT n.scheduled_for FROM {notification} n
        WHERE n.patient_id = pa.id AND n.kind = %(kind)s
        ORDER BY n.scheduled_for DESC LIMIT 1
    ) <= %(reminded_before)s, true)
"""


def _questionnaire_sql() -> str:
    return _QUESTIONNAIRE_SQL.format(
        due=PlannerDue._meta.db_table,
        patient=Patient._meta.db_table,
        device=Device._meta.db_table,
        notification=Notification._meta.db_table,
    )


def due_batches(*, now: datetime.datetime) -> Iterator[list[tuple[Any, ...]]]:
    """The patients the pass reads, as rows of one id, in batches: those with a
    questionnaire due (`PlannerDue`), reachable, not on hold, not reminded lately.

    Patients whose zone no longer resolves are read and skipped (`Zones`): nothing here
    converts times in SQL, and listing the zones that resolve would read every patient.
    """
    params = {
        "now": now,
        "active": Patient.Status.ACTIVE.value,
        "kind": Kind.QUESTIONNAIRE.value,
        "reminded_before": now - QUESTIONNAIRE_REMINDER_GAP,
    }
    portable = partial(_questionnaire_rows_portable, params=params)
    return row_batches(_questionnaire_sql(), params, portable)


def plan_questionnaires(*, now: datetime.datetime, zones: Zones, writer: Writer) -> None:
    """A reminder for each outcome questionnaire due (`outcomes.schedule`), once each,
    and at most one a day per patient: questionnaires due together (four at a baseline,
    three at a follow-up) cost the patient one message, not a burst; one still
    unanswered a day later gets its own. Sent now, or at the end of the patient's quiet
    hours when now is inside them (nothing here is urgent), on the channel allowed then.

    The SQL above reads only patients with something due (`PlannerDue`, kept by
    `planner.due`) and returns those not reminded lately, so a pass costs what is due,
    not what exists. Per batch of them: one query for the patients, one for their
    answers so far, one for the sources already planned.

    A first pass over patients none of whom has been reminded spends nearly all its
    time writing their rows; the figures are in docs/benchmarks.md (planner scale).
    """
    first_diagnosis = (
        Diagnosis.objects.filter(patient_id=OuterRef("pk"))
        .order_by("diagnosed_on")
        .values("diagnosed_on")[:1]
    )
    first_program = (
        Prescription.objects.filter(patient_id=OuterRef("pk"), status=Prescription.Status.ACTIVE)
        .order_by("start_date")
        .values("start_date")[:1]
    )
    for rows in due_batches(now=now):
        ids = [row[0] for row in rows]
        patients = (
            Patient.objects.filter(pk__in=ids)
            .annotate(
                has_device=has_device("pk"),
                first_diagnosis=Subquery(first_diagnosis),
                first_program=Subquery(first_program),
            )
            .only(*PATIENT_FIELDS)
            .order_by("pk")
        )
        _plan_questionnaire_batch(list(patients), now=now, zones=zones, writer=writer)


def _plan_questionnaire_batch(
    patients: list[Patient], *, now: datetime.datetime, zones: Zones, writer: Writer
) -> None:
    answered: dict[int, dict[str, tuple[datetime.datetime, datetime.datetime]]]
    answered = defaultdict(dict)
    responses = (
        QuestionnaireResponse.objects.filter(patient_id__in=[p.pk for p in patients])
        .order_by()
        .values("patient_id", "code")
        .annotate(first=Min("answered_at"), last=Max("answered_at"))
    )
    for row in responses:
        answered[row["patient_id"]][row["code"]] = (row["first"], row["last"])
    due: list[tuple[Patient, ZoneInfo, list[str]]] = []
    for patient in patients:
        tz = zones.of(patient)
        if tz is None:
            continue
        firsts = (annotation(patient, "first_diagnosis"), annotation(patient, "first_program"))
        starts = [d for d in firsts if d]
        facts = questionnaire_schedule.Facts.build(
            status=patient.status,
            evaluated_on=min(starts) if starts else None,
            answered=answered[patient.pk],
            tz=tz,
        )
        sources = [
            rules.questionnaire_source(patient.pk, item.code, item.due_on)
            for item in questionnaire_schedule.due(facts, local_today(tz, now))
        ]
        if sources:
            due.append((patient, tz, sources))
    if not due:
        return
    due_sources = [src for *_, srcs in due for src in srcs]
    planned = set(
        Notification.objects.filter(source__in=due_sources)
        .order_by()
        .values_list("source", flat=True)
    )
    # One reminded so long ago that its row is archived was reminded: the next one goes.
    planned |= retention.archived_sources(sources=due_sources)
    for patient, tz, sources in due:
        source = next((src for src in sources if src not in planned), None)
        if source is not None:
            _add_questionnaire(patient, tz=tz, source=source, now=now, writer=writer)


def _add_questionnaire(
    patient: Patient, *, tz: ZoneInfo, source: str, now: datetime.datetime, writer: Writer
) -> None:
    at = now
    if rules.quiet(patient, now.astimezone(tz)):
        at = rules.next_quiet_end(patient, tz, now)
    add_reminder(
        writer,
        patient,
        kind=Kind.QUESTIONNAIRE,
        source=source,
        at=at,
        tz=tz,
        has_device=annotation(patient, "has_device"),
        new=True,
    )
