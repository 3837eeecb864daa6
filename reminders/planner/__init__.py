"""The planner: turns schedules into outbox rows for the coming window.

`plan(now=...)` fills [now, now + horizon) with `Notification` rows from every source;
it runs every few minutes from beat. `plan_urgent(now=...)` runs every minute on its
own, for what cannot wait: holds, and urgent alerts with their escalation. One module
per source, each with a `plan_*` function this package calls in turn:

- `exercise`: exercise reminders at the prescriptions' local reminder times.
- `appointments`: appointment reminders, one per clinic lead time, and the
  cancellation of those whose appointment changed since they were planned.
- `inactivity`: the nudge to an idle patient and the alert to their therapist.
- `rtm`: the nudge to a patient whose remote-monitoring period is short of data days.
- `questionnaires`: a reminder for each outcome questionnaire due.
- `routine`: routine clinical alerts to staff, and the morning digest.
- `holds`: a held patient's messages cancelled, and a medical hold's emergency guidance.
- `urgent`: urgent clinical alerts and their escalation rounds, and the cancellation
  of messages about alerts acknowledged or resolved since.

Shared by all of them: `due` (each patient's next due instants, kept up to date at
the start of every pass), `writer` (the outbox insert, batched: `Writer`, `PlanResult`)
and `base` (what a source reads of a patient, zones resolved once per pass, the row it
builds). The rules a row is planned by, and checked again by at delivery, are in
`reminders.rules`; the source strings that key the rows in `reminders.sources`.

Why it is safe to run as often as you like: each row's (source, scheduled_for, channel)
is unique, so planning a window twice inserts nothing new. Nudges, inactivity alerts and
questionnaire reminders are scheduled "now" (or at the end of the quiet hours), so for
them the planner also skips a source that already has a row.

Why it scales: each pass reads what is due, not what exists. `due.refresh` first works
out again the instants of the patients whose schedule changed since the last pass (a
queue the services fill) and of those whose exercise reminder has passed; then the
exercise and questionnaire sources read only the patients whose instant falls in their
window (an index range on `PlannerDue`). What they read is joined or annotated in
chunks (no per-row queries) and written in batches: one existence check and one
`bulk_create` per batch. The number of queries depends on the number of rows read, in
steps of `BATCH_SIZE`, never on a per-row basis.

The inactivity scan does not follow what is due yet: it costs one index probe per
active program started before its cutoff. The figures are in docs/benchmarks.md
(planner scale).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from .. import consent
from ..clinics import ClinicConfig
from ..models import Kind
from . import appointments, due, exercise, holds, inactivity, questionnaires, routine, rtm, urgent
from .base import Zones
from .writer import BATCH_SIZE, PlanResult, Writer

__all__ = [
    "BATCH_SIZE",
    "DEFAULT_HORIZON",
    "PlanResult",
    "plan",
    "plan_urgent",
    "plan_urgent_alerts",
]

logger = logging.getLogger(__name__)

DEFAULT_HORIZON = datetime.timedelta(hours=2)


def plan(*, now: datetime.datetime, horizon: datetime.timedelta | None = None) -> PlanResult:
    """Plan every reminder due in [now, now + horizon); safe to repeat."""
    _check_aware(now)
    if horizon is None:
        horizon = getattr(settings, "REMINDERS_PLAN_HORIZON", DEFAULT_HORIZON)
    end = now + horizon
    result = PlanResult()
    config = ClinicConfig.load()
    writer = Writer(result, now=now)
    zones = Zones()
    due.refresh(now=now, zones=zones)
    exercise.plan_exercise(now=now, end=end, config=config, zones=zones, writer=writer)
    writer.flush()
    appointments.cancel_changed_appointments(result=result)
    # Consent withdrawn in the app, the admin or the staff API since the last pass.
    consent.notifications_cancel_unconsented(now=now)
    appointments.plan_appointments(now=now, end=end, config=config, zones=zones, writer=writer)
    writer.flush()
    inactivity.plan_inactivity(now=now, config=config, zones=zones, writer=writer)
    writer.flush()
    rtm.plan_rtm_nudges(now=now, zones=zones, writer=writer)
    writer.flush()
    questionnaires.plan_questionnaires(now=now, zones=zones, writer=writer)
    writer.flush()
    routine.plan_routine_alerts(now=now, config=config, writer=writer)
    routine.plan_digests(now=now, end=end, config=config, writer=writer)
    writer.flush()
    _plan_urgent(now=now, config=config, writer=writer)
    logger.info("Reminders planned up to %s: %s", end.isoformat(), result.as_dict())
    return result


def plan_urgent(*, now: datetime.datetime) -> PlanResult:
    """What cannot wait for the next planning pass: held patients' messages cancelled and
    their emergency guidance, urgent alerts and their escalation, messages about alerts
    acknowledged since cancelled. Safe to repeat, and to run beside `plan`."""
    _check_aware(now)
    result = PlanResult()
    _plan_urgent(now=now, config=ClinicConfig.load(), writer=Writer(result, now=now))
    return result


def plan_urgent_alerts(*, now: datetime.datetime) -> int:
    """`plan_urgent`; how many new urgent-alert rows (first messages, not escalations)."""
    return plan_urgent(now=now).created_by_kind[Kind.URGENT_ALERT]


def _plan_urgent(*, now: datetime.datetime, config: ClinicConfig, writer: Writer) -> None:
    holds.plan_holds(now=now, writer=writer)
    urgent.cancel_for_closed_alerts(result=writer.result)
    urgent.plan_urgent_alerts(now=now, config=config, writer=writer)
    writer.flush()


def _check_aware(now: datetime.datetime) -> None:
    if timezone.is_naive(now):
        raise ValueError("The planner needs an aware `now` (UTC).")
