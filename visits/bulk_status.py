"""Where many patients' plans of care and remote monitoring stand, in a fixed number of
queries whatever their number: the reads behind the deadline watch (visits.watch) and
the Today page's "needs attention" list.

They agree with the one-patient reads (visits.plan_status.plan_status and
visits.rtm.rtm_status): the same current plan, the same last report, the same
treatment days in the clinic's calendar, the same data days in each patient's own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from appointments.models import Appointment
from core.localtime import local_midnight, local_today, patient_zone
from patients.models import Patient

from . import rtm_codes
from .note_models import REPORTING_KINDS, VisitNote
from .plan_models import PlanOfCare
from .plan_status import PlanStatus
from .rtm import RtmPeriod, data_days, period_bounds
from .rtm_models import RtmEpisode

_DAY = datetime.timedelta(days=1)


def _current_plans(patients: QuerySet[Patient]) -> dict[int, PlanOfCare]:
    """Each patient's plan in force (visits.plans.current_plan): the latest one not
    replaced, with its patient."""
    plans = (
        PlanOfCare.objects.filter(patient__in=patients.values("pk"), superseded_by__isnull=True)
        .select_related("patient")
        .order_by("patient_id", "-starts_on", "-id")
    )
    current: dict[int, PlanOfCare] = {}
    for plan in plans:
        current.setdefault(plan.patient_id, plan)
    return current


def plan_statuses(
    *, patients: QuerySet[Patient], zone: datetime.tzinfo, today: datetime.date
) -> dict[int, PlanStatus]:
    """patient id -> PlanStatus (as visits.plan_status.plan_status) of each of
    `patients` with a plan of care; `zone` and `today` are their clinic's. Three
    queries: the plans, the last reports, the treatment days since them."""
    plans = _current_plans(patients)
    if not plans:
        return {}
    reports = dict(
        VisitNote.objects.filter(
            patient_id__in=plans,
            kind__in=REPORTING_KINDS,
            signed_at__isnull=False,
            visit_on__lte=today,
        )
        .order_by()
        .values("patient_id")
        .annotate(last=Max("visit_on"))
        .values_list("patient_id", "last")
    )
    days: dict[int, int] = {}
    if reports:
        last_report = (
            VisitNote.objects.filter(
                patient_id=OuterRef("patient_id"),
                kind__in=REPORTING_KINDS,
                signed_at__isnull=False,
                visit_on__lte=today,
            )
            .order_by()
            .values("patient_id")
            .annotate(last=Max("visit_on"))
            .values("last")
        )
        days = dict(
            Appointment.objects.filter(
                patient_id__in=reports,
                status=Appointment.Status.ATTENDED,
                starts_at__gte=local_midnight(min(reports.values()), zone),
                starts_at__lt=local_midnight(today + _DAY, zone),
            )
            .annotate(day=TruncDate("starts_at", tzinfo=zone), report=Subquery(last_report))
            .filter(day__gte=F("report"))
            .order_by()
            .values("patient_id")
            .annotate(n=Count("day", distinct=True))
            .values_list("patient_id", "n")
        )
    return {
        patient_id: PlanStatus(
            plan=plan,
            today=today,
            last_report_on=reports.get(patient_id),
            treatment_days_since_report=days.get(patient_id, 0),
        )
        for patient_id, plan in plans.items()
    }


@dataclass(frozen=True)
class RtmNow:
    """An open episode's current 30-day period, in its patient's days."""

    episode: RtmEpisode
    today: datetime.date
    period: RtmPeriod

    @property
    def patient(self) -> Patient:
        return self.episode.patient

    def describe(self) -> str:
        period = self.period
        left = f"{period.days_left} day{'s' if period.days_left != 1 else ''} left"
        wanted = rtm_codes.FULL_SUPPLY_DAYS
        return (
            f"{period.days_with_data} of {wanted} days with data, {left} in the period "
            f"ending {period.ends_on.isoformat()}"
        )


def rtm_current_periods(
    *, patients: QuerySet[Patient], now: datetime.datetime | None = None
) -> dict[int, RtmNow]:
    """patient id -> the current period of each of `patients` with an open episode
    begun by their today. Four queries: the episodes, then the data days (visits.rtm)."""
    now = now or timezone.now()
    episodes = list(
        RtmEpisode.objects.filter(patient__in=patients.values("pk"), ended_on__isnull=True)
        .select_related("patient")
        .order_by("patient_id")
    )
    bounds: dict[int, tuple[RtmEpisode, datetime.date, datetime.date, datetime.date]] = {}
    for episode in episodes:
        today = local_today(patient_zone(episode.patient), now)
        if episode.starts_on > today:
            continue
        first, last = period_bounds(starts_on=episode.starts_on, day=today)
        bounds[episode.patient_id] = (episode, today, first, last)
    if not bounds:
        return {}
    found = data_days(
        patients=[episode.patient for episode, *_ in bounds.values()],
        since=min(first for _, _, first, _ in bounds.values()),
        until=max(today for _, today, _, _ in bounds.values()),
    )
    current = {}
    for patient_id, (episode, today, first, last) in bounds.items():
        count = sum(1 for day in found[patient_id] if first <= day <= today)
        period = RtmPeriod(
            starts_on=first,
            ends_on=last,
            days_with_data=count,
            days_left=max((last - today).days, 0),
            billed=None,  # what it bills is rtm_status's; the watch needs only the count
        )
        current[patient_id] = RtmNow(episode=episode, today=today, period=period)
    return current
