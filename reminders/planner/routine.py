"""Routine clinical alerts (pain rise, peripheralization, no improvement, exercised
during a hold, referral needed) reach staff, in the clinic's working hours.

- Each alert, once, to the primary therapist (or, with none to reach, to every
  clinician of the clinic): push where they agreed to it and have a device, else email.
  Raised while the clinic is open, it is due at once (the planner runs every few
  minutes, well within the hour); raised after hours, at the next opening.
- The morning digest: one message per staff member with something still open, due at
  the opening of each working day, listing what is open when it is sent (a digest with
  nothing left is cancelled then).

Texts and pushes say only that something is waiting, with a link; the details are in
the admin, behind a login.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.db.models import Q

from core.localtime import local_date
from patients.models import ClinicalAlert
from practice.models import CLINICIAN_ROLES, StaffMember

from .. import rules, selectors
from .. import staff as staff_reach
from ..clinics import ClinicConfig
from ..models import Kind, Notification
from .writer import Writer

logger = logging.getLogger(__name__)

# Alerts raised longer ago than this are not announced any more (the digest lists them).
ROUTINE_ALERT_WINDOW = datetime.timedelta(days=7)
# A digest whose opening passed this long ago (the planner was down) is not sent late.
DIGEST_CATCH_UP = datetime.timedelta(hours=1)


def _recipients(
    alerts: list[ClinicalAlert], *, cover_unreachable: bool = True
) -> dict[int, list[tuple[StaffMember, str]]]:
    """Per alert, who hears of it and on which one channel: the primary therapist, or
    every clinician of the clinic when the patient has none there (none, one who moved
    clinic, changed role or can no longer log in). With `cover_unreachable`, also when
    the primary agreed to no channel that reaches them. One query."""
    clinic_ids = {alert.patient.clinic_id for alert in alerts}
    members: dict[int, StaffMember] = {}
    reach: dict[int, tuple[StaffMember, str]] = {}
    clinicians: dict[int, list[int]] = defaultdict(list)
    for staff in staff_reach.reachable_staff(clinic_ids=clinic_ids, roles=CLINICIAN_ROLES):
        members[staff.pk] = staff
        channel = staff_reach.first_channel(staff)
        if channel is None:
            continue
        reach[staff.pk] = (staff, channel)
        clinicians[staff.clinic_id].append(staff.pk)
    result: dict[int, list[tuple[StaffMember, str]]] = {}
    for alert in alerts:
        clinic_id = alert.patient.clinic_id
        primary_id = alert.patient.primary_therapist_id
        primary = members.get(primary_id) if primary_id is not None else None
        if primary is None or primary.clinic_id != clinic_id:
            ids = clinicians[clinic_id]
        elif primary.pk in reach or not cover_unreachable:
            ids = [primary.pk] if primary.pk in reach else []
        else:
            ids = clinicians[clinic_id]
        result[alert.pk] = [reach[pk] for pk in ids]
    return result


def plan_routine_alerts(*, now: datetime.datetime, config: ClinicConfig, writer: Writer) -> None:
    alerts = selectors.open_alerts_raised(
        severity=ClinicalAlert.Severity.ROUTINE,
        kinds=selectors.ROUTINE_KINDS,
        after=now - ROUTINE_ALERT_WINDOW,
        until=now,
    )
    if not alerts:
        return
    recipients = _recipients(alerts)
    # Once each: a source planned before is not planned again, even if the clinic's
    # hours changed since (which would change the row's time, and so its unique key).
    planned = set(
        Notification.objects.filter(
            source__in=[
                rules.routine_source(alert.pk, staff.pk)
                for alert in alerts
                for staff, _ in recipients[alert.pk]
            ]
        ).values_list("source", flat=True)
    )
    for alert in alerts:
        clinic_id = alert.patient.clinic_id
        at = config.hours(clinic_id).next_opening(alert.created_at)
        if at is None:
            logger.warning("Clinic %s has no working days: routine alerts wait.", clinic_id)
            continue
        for staff, channel in recipients[alert.pk]:
            if rules.routine_source(alert.pk, staff.pk) in planned:
                continue
            writer.add(
                Notification(
                    clinic_id=clinic_id,
                    staff=staff,
                    kind=Kind.ROUTINE_ALERT,
                    channel=channel,
                    source=rules.routine_source(alert.pk, staff.pk),
                    scheduled_for=at,
                ),
                new=True,
            )


def plan_digests(
    *, now: datetime.datetime, end: datetime.datetime, config: ClinicConfig, writer: Writer
) -> None:
    """A digest row for each staff member with open alerts, in each clinic whose working
    day opens in [now - DIGEST_CATCH_UP, end): planned ahead like any reminder, and
    caught up within the hour after a planner outage. Its text is composed when sent."""
    openings: dict[int, tuple[datetime.datetime, datetime.date]] = {}
    for clinic_id in config.clinic_ids():
        hours = config.hours(clinic_id)
        first = local_date(now - DIGEST_CATCH_UP, hours.tz)
        for offset in range((local_date(end, hours.tz) - first).days + 1):
            day = first + datetime.timedelta(days=offset)
            span = hours.span(day)
            if span is not None and now - DIGEST_CATCH_UP <= span[0] < end:
                openings[clinic_id] = (span[0], day)
                break  # the earliest: a later one is planned by a later pass
    if not openings:
        return
    alerts = list(
        selectors.open_alerts()
        .filter(patient__clinic_id__in=openings)
        .filter(Q(severity=ClinicalAlert.Severity.URGENT) | Q(kind__in=selectors.ROUTINE_KINDS))
        .select_related("patient")
        .only(*selectors.PLANNED_ALERT_FIELDS)
        .order_by()
    )
    if not alerts:
        return
    # An alert raised after the opening waits for the next day's digest.
    alerts = [a for a in alerts if a.created_at < openings[a.patient.clinic_id][0]]
    if not alerts:
        return
    staff_by_pk: dict[int, tuple[StaffMember, str]] = {}
    # The same people `selectors.open_alerts_by_staff` lists each alert for.
    for told in _recipients(alerts, cover_unreachable=False).values():
        for staff, channel in told:
            staff_by_pk[staff.pk] = (staff, channel)
    sources = {
        pk: rules.digest_source(pk, openings[staff.clinic_id][1])
        for pk, (staff, _) in staff_by_pk.items()
    }
    planned = set(
        Notification.objects.filter(source__in=sources.values()).values_list("source", flat=True)
    )
    for pk, (staff, channel) in staff_by_pk.items():
        if sources[pk] in planned:
            continue
        writer.add(
            Notification(
                clinic_id=staff.clinic_id,
                staff=staff,
                kind=Kind.DIGEST,
                channel=channel,
                source=sources[pk],
                scheduled_for=openings[staff.clinic_id][0],
            ),
            new=True,
        )
