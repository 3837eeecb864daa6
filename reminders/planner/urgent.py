"""Urgent clinical alerts: every channel of the primary therapist at once, then the rest
of the clinic each escalation window until someone acknowledges (or resolves) the alert.

The timeline of an alert raised at t, with the clinic's window w (15 minutes unless the
clinic says otherwise):

- t: the primary therapist, on every channel they can be reached by (email; SMS and
  push with their consent, see `reminders.staff`). Nobody to reach there (no primary
  therapist, or none of their channels works): every clinician of the clinic instead.
- t + w, t + 2w, ...: round n of the escalation, to every clinician and clinic admin of
  the clinic, the primary therapist included (the alarm rings again for them too), each
  on every channel they can be reached by.

Only the rounds already due are planned, and each row is due at its round's time: a
tick that ran late sends round 0 and the latest round, not every round it missed. An
acknowledged or resolved alert plans nothing more, its pending rows are cancelled here,
and the delivery task asks `cancel_rules.cancel_reason` again for any row already claimed.
Runs every minute from the tick, and in every planning pass.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.utils import timezone

from patients.alerts import OPEN_ALERT
from patients.models import ClinicalAlert
from practice.models import StaffMember

from .. import rules, selectors
from .. import staff as staff_reach
from ..clinics import ClinicConfig
from ..models import Kind, Notification
from .writer import PlanResult, Writer

logger = logging.getLogger(__name__)

# Urgent alerts older than this are the clinic's to chase, not the outbox's.
URGENT_ALERT_WINDOW = datetime.timedelta(hours=24)
ESCALATION_ROLES = staff_reach.ALERT_ROLES
ALERT_KINDS = (Kind.URGENT_ALERT, Kind.ESCALATION, Kind.ROUTINE_ALERT)


def plan_urgent_alerts(*, now: datetime.datetime, config: ClinicConfig, writer: Writer) -> None:
    alerts = selectors.open_alerts_raised(
        severity=ClinicalAlert.Severity.URGENT, after=now - URGENT_ALERT_WINDOW, until=now
    )
    if not alerts:
        return
    clinic_ids = {alert.patient.clinic_id for alert in alerts}
    # Each clinician and clinic admin of these clinics with at least one channel, and
    # those channels. A primary therapist elsewhere, or no longer a clinician, is not here.
    reach: dict[int, tuple[StaffMember, list[str]]] = {}
    clinic_staff: dict[int, list[int]] = defaultdict(list)
    for staff in staff_reach.reachable_staff(clinic_ids=clinic_ids, roles=ESCALATION_ROLES):
        channels = staff_reach.channels(staff)
        if not channels:
            continue
        reach[staff.pk] = (staff, channels)
        clinic_staff[staff.clinic_id].append(staff.pk)

    for alert in alerts:
        clinic_id = alert.patient.clinic_id
        primary = _primary(alert, reach)
        if primary is not None:
            first = [primary]
        else:
            first = [pk for pk in clinic_staff[clinic_id] if reach[pk][0].is_clinician]
        if not first:
            logger.error("Urgent alert %s has nobody to tell in its clinic.", alert.pk)
        for pk in first:
            source = rules.alert_source(alert.pk, pk)
            _add(writer, alert, *reach[pk], kind=Kind.URGENT_ALERT, source=source)

        # At least a minute: a zero stored by hand must not stop every clinic's alerts.
        minutes = max(config.for_clinic(clinic_id).escalation_minutes, 1)
        window = datetime.timedelta(minutes=minutes)
        round_ = (now - alert.created_at) // window
        if round_ < 1:
            continue
        at = alert.created_at + round_ * window
        # The primary therapist is one of them: the alarm rings again for them too.
        for pk in clinic_staff[clinic_id]:
            source = rules.escalation_source(alert.pk, round_, pk)
            _add(writer, alert, *reach[pk], kind=Kind.ESCALATION, source=source, at=at)


def _primary(alert: ClinicalAlert, reach: dict[int, tuple[StaffMember, list[str]]]) -> int | None:
    """The patient's primary therapist, when reachable and a clinician of their clinic."""
    pk = alert.patient.primary_therapist_id
    if pk not in reach:
        return None
    staff = reach[pk][0]
    return pk if staff.is_clinician and staff.clinic_id == alert.patient.clinic_id else None


def _add(
    writer: Writer,
    alert: ClinicalAlert,
    staff: StaffMember,
    channels: list[str],
    *,
    kind: str,
    source: str,
    at: datetime.datetime | None = None,
) -> None:
    for channel in channels:
        writer.add(
            Notification(
                clinic_id=alert.patient.clinic_id,
                staff=staff,
                kind=kind,
                channel=channel,
                source=source,
                scheduled_for=at or alert.created_at,
            )
        )


def cancel_for_closed_alerts(*, result: PlanResult) -> None:
    """Pending messages about alerts since acknowledged or resolved: cancelled, with the
    reason. One read of the pending alert messages, one of their alerts, one update per
    reason."""
    pending = list(
        Notification.objects.filter(status=Notification.Status.PENDING, kind__in=ALERT_KINDS)
        .order_by()
        .values_list("pk", "kind", "source")
    )
    if not pending:
        return
    about: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, kind, source in pending:
        parsed = rules.parse_source(source)
        if parsed is not None and parsed.prefix in rules.ALERT_PREFIXES:
            about[parsed.object_id].append((pk, kind))
    closed = ClinicalAlert.objects.filter(pk__in=about).exclude(OPEN_ALERT)
    reasons: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for alert_id, resolved_at in closed.values_list("pk", "resolved_at"):
        reason = (
            "The alert has been resolved." if resolved_at else "The alert has been acknowledged."
        )
        reasons[reason].extend(about[alert_id])
    for reason, rows in reasons.items():
        Notification.objects.filter(
            pk__in=[pk for pk, _ in rows], status=Notification.Status.PENDING
        ).update(status=Notification.Status.CANCELLED, last_error=reason, updated_at=timezone.now())
        result.cancelled_by_kind.update(kind for _, kind in rows)
