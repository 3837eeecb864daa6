"""Remote monitoring: a nudge to a patient whose 30-day period risks too few days with
data, once per period.

It follows the therapist's alert (visits.watch raises one per period at risk): each
such alert raised within `RTM_NUDGE_WINDOW` is a nudge to plan, whether or not staff
have acknowledged it yet, since the nudge is about the patient's days, not the alert.
The text is the inactivity nudge's (kind `nudge`, reminders.messages): generic, in the
patient's language, with nothing about their health or the monitoring; its source
names the period (`rtm:<patient_id>:<first day>`), so a period is nudged once.

As for the inactivity nudge: sent now on the channel the patient's consent and quiet
hours allow now, else at the end of their quiet hours; the delivery checks consent,
quiet hours, holds and the program again, and drops it once a session is logged
(reminders.cancel_rules). A patient with a nudge of any source due within
`RTM_NUDGE_WINDOW` (before or after now) is not nudged again for the period: the other
nudge asks for the same. Three queries whatever the number of alerts.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from core.localtime import local_date
from patients.models import ClinicalAlert, Patient
from programs.models import Prescription
from visits.rtm import period_bounds
from visits.rtm_models import RtmEpisode

from .. import rules
from ..models import Kind, Notification
from ..sources import rtm_nudge_source
from .base import Zones, add_reminder, annotation, has_device, patient_only
from .writer import Writer

# A nudge planned later than this after the alert (the planner was down) is not sent.
RTM_NUDGE_WINDOW = datetime.timedelta(days=1)


def plan_rtm_nudges(*, now: datetime.datetime, zones: Zones, writer: Writer) -> None:
    alerts = list(
        ClinicalAlert.objects.filter(
            kind=ClinicalAlert.Kind.RTM_DATA_SHORT,
            created_at__gt=now - RTM_NUDGE_WINDOW,
            created_at__lte=now,
            patient__status=Patient.Status.ACTIVE,
            patient__medical_hold_since__isnull=True,
            patient__referral_hold_since__isnull=True,
        )
        .annotate(
            has_device=has_device(),
            # The nudge points at the next session: without a program it has none.
            has_program=Exists(
                Prescription.objects.filter(
                    patient_id=OuterRef("patient_id"), status=Prescription.Status.ACTIVE
                )
            ),
        )
        .select_related("patient")
        .only("created_at", *patient_only())
        .order_by("created_at", "pk")
    )
    alerts = [alert for alert in alerts if annotation(alert, "has_program")]
    if not alerts:
        return
    starts = dict(
        RtmEpisode.objects.filter(
            patient_id__in={alert.patient_id for alert in alerts}, ended_on__isnull=True
        ).values_list("patient_id", "starts_on")
    )
    wanted: dict[str, ClinicalAlert] = {}
    for alert in alerts:
        tz = zones.of(alert.patient)
        if tz is None or alert.patient_id not in starts:
            continue  # a zone that no longer resolves, or monitoring ended since
        first, _ = period_bounds(
            starts_on=starts[alert.patient_id], day=local_date(alert.created_at, tz)
        )
        wanted.setdefault(rtm_nudge_source(alert.patient_id, first), alert)
    if not wanted:
        return
    planned = list(
        Notification.objects.filter(
            Q(source__in=wanted)
            | Q(
                patient_id__in={alert.patient_id for alert in wanted.values()},
                staff__isnull=True,
                kind=Kind.NUDGE,
                scheduled_for__gt=now - RTM_NUDGE_WINDOW,
            )
        ).values_list("patient_id", "source")
    )
    done_sources = {source for _, source in planned}
    nudged = {patient_id for patient_id, _ in planned}
    for source, raised in wanted.items():
        if source in done_sources or raised.patient_id in nudged:
            continue
        _add_nudge(
            raised.patient,
            source=source,
            now=now,
            zones=zones,
            has_phone=bool(annotation(raised, "has_device")),
            writer=writer,
        )


def _add_nudge(
    patient: Patient,
    *,
    source: str,
    now: datetime.datetime,
    zones: Zones,
    has_phone: bool,
    writer: Writer,
) -> None:
    """Now on the channel allowed now; when none is (SMS only, at night), at the end of
    the patient's quiet hours on the channel allowed then."""
    tz = zones.of(patient)
    if tz is None:
        return
    at = now
    if rules.patient_channel(patient, local_dt=now.astimezone(tz), has_device=has_phone) is None:
        at = rules.next_quiet_end(patient, tz, now)
    add_reminder(
        writer,
        patient,
        kind=Kind.NUDGE,
        source=source,
        at=at,
        tz=tz,
        has_device=has_phone,
        new=True,
    )
