"""The therapist's alerts before a plan of care's deadlines and when remote monitoring
falls short of its data days; the daily tasks (visits.tasks) run these.

Deadlines (visits.deadlines, Medicare Benefit Policy Manual chapter 15, 220.1.2 and
220.3), in each clinic's own calendar days:
- recertification due: once the certification's last covered day is within
  `RECERTIFICATION_NOTICE_DAYS` (that day included), one alert per plan;
- certification lapsed: the day after the last covered day, one alert per plan;
- not certified yet: from `CERTIFICATION_NOTICE_DAYS` before the 30 days in which a
  signature is timely run out, one alert per plan;
- progress note due: when the next treatment day is the 10th since the last report (or
  that day has passed without one), one alert per report.
Remote monitoring (visits.rtm), in the patient's own days: a current period at risk of
ending short of 16 days with data, one alert per period. The patient's nudge is the
reminders planner's (reminders.planner.rtm), which follows that alert.

All of them are routine: paperwork and billing, not the patient's safety, so they go
to the therapist in working hours (reminders.planner.routine), never by the urgent path.

Once each, however often the tasks run: an alert of the same kind for the patient
raised since the window opened (the plan made, the notice period begun, the day after
the last report, the period's first day) means it was raised; the check runs again
under the patient's row lock before writing, so two overlapping runs raise it once.

Queries: one for the clinics, then per clinic three for the plans' status
(visits.bulk_status) and one for the alerts already raised; for monitoring four for
the periods and one for the alerts, whatever the number of patients. Each alert
written costs its own few (lock, check, insert with its history row).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.localtime import local_midnight, local_today, patient_zone, zone_of
from patients.models import ClinicalAlert, Patient
from patients.services import alert_raise
from practice.models import Clinic

from .bulk_status import RtmNow, plan_statuses, rtm_current_periods
from .deadlines import TIMELY_CERTIFICATION_DAYS
from .plan_models import PlanOfCare
from .plan_status import PlanStatus

logger = logging.getLogger(__name__)

Kind = ClinicalAlert.Kind
RECERTIFICATION_NOTICE_DAYS = 7
# The days before the timely-certification window closes that an unsigned plan is raised.
CERTIFICATION_NOTICE_DAYS = 9
_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Due:
    """An alert to raise unless one of its kind was raised since `since`."""

    patient: Patient
    kind: str
    since: datetime.datetime
    message: str


def _in_days(days: int) -> str:
    if days == 0:
        return "today is the last day it covers"
    return f"in {days} day{'s' if days != 1 else ''}"


def _recertification(status: PlanStatus, zone: datetime.tzinfo) -> Due | None:
    plan, covered = status.plan, status.covered_until
    days = status.days_to_recertification
    if plan is None:
        return None
    if covered is None or days is None:
        return _certification(plan, status.today, zone)
    name = plan.patient.full_name
    if status.lapsed:
        return Due(
            patient=plan.patient,
            kind=Kind.RECERTIFICATION_DUE,
            since=max(plan.created_at, local_midnight(covered + _DAY, zone)),
            message=f"The plan of care of {name} is no longer certified: its certification "
            f"lapsed after {covered.isoformat()}. Visits are not covered until the "
            "physician recertifies it.",
        )
    if days > RECERTIFICATION_NOTICE_DAYS:
        return None
    notice_from = covered - datetime.timedelta(days=RECERTIFICATION_NOTICE_DAYS)
    return Due(
        patient=plan.patient,
        kind=Kind.RECERTIFICATION_DUE,
        since=max(plan.created_at, local_midnight(notice_from, zone)),
        message=f"Recertify the plan of care of {name}: its certification covers visits "
        f"until {covered.isoformat()} ({_in_days(days)}).",
    )


def _certification(plan: PlanOfCare, today: datetime.date, zone: datetime.tzinfo) -> Due | None:
    """A plan still unsigned near the end of the 30 days in which its certification is
    timely (visits.deadlines): the physician is chased while it can still be."""
    notice_from = plan.starts_on + datetime.timedelta(
        days=TIMELY_CERTIFICATION_DAYS - CERTIFICATION_NOTICE_DAYS
    )
    if today < notice_from:
        return None
    timely_until = plan.starts_on + datetime.timedelta(days=TIMELY_CERTIFICATION_DAYS)
    return Due(
        patient=plan.patient,
        kind=Kind.RECERTIFICATION_DUE,
        since=max(plan.created_at, local_midnight(notice_from, zone)),
        message=f"The plan of care of {plan.patient.full_name} is not certified yet "
        f"({plan.get_signature_status_display().lower()}): a physician's signature is "
        f"timely until {timely_until.isoformat()}, and visits bill only under a certified plan.",
    )


def _progress_note(status: PlanStatus, zone: datetime.tzinfo) -> Due | None:
    plan, report_on = status.plan, status.last_report_on
    if plan is None or report_on is None or status.progress_report_due_in != 0:
        return None
    name = plan.patient.full_name
    done = status.treatment_days_since_report
    since_report = f"{done} treatment days since the last report on {report_on.isoformat()}"
    if status.progress_report_overdue:
        message = (
            f"Progress note overdue for {name}: {since_report}, and Medicare asks for one "
            "by the 10th."
        )
    else:
        message = (
            f"Progress note due at the next visit of {name}, the 10th treatment day: "
            f"{since_report}."
        )
    return Due(
        patient=plan.patient,
        kind=Kind.PROGRESS_NOTE_DUE,
        # A report opens a new count; an alert of the report's own day was the old one's.
        since=local_midnight(report_on + _DAY, zone),
        message=message,
    )


def plan_deadlines_due(
    *, patients: QuerySet[Patient], zone: datetime.tzinfo, today: datetime.date
) -> list[Due]:
    """The deadline alerts `patients` (of one clinic, in its `zone`) call for today,
    raised already or not."""
    found = []
    for status in plan_statuses(patients=patients, zone=zone, today=today).values():
        for due in (_recertification(status, zone), _progress_note(status, zone)):
            if due is not None:
                found.append(due)
    return found


def rtm_shortfall_due(period: RtmNow) -> Due | None:
    if not period.period.at_risk:
        return None
    patient = period.patient
    return Due(
        patient=patient,
        kind=Kind.RTM_DATA_SHORT,
        since=local_midnight(period.period.starts_on, patient_zone(patient)),
        message=f"Remote monitoring of {patient.full_name} may fall short: {period.describe()}.",
    )


def _not_raised(dues: list[Due]) -> list[Due]:
    """Those with no alert of their kind raised in their window: one query."""
    if not dues:
        return []
    raised: dict[tuple[int, str], list[datetime.datetime]] = {}
    rows = ClinicalAlert.objects.filter(
        patient_id__in={due.patient.pk for due in dues},
        kind__in={due.kind for due in dues},
        created_at__gte=min(due.since for due in dues),
    ).values_list("patient_id", "kind", "created_at")
    for patient_id, kind, created_at in rows:
        raised.setdefault((patient_id, kind), []).append(created_at)
    return [
        due
        for due in dues
        if not any(at >= due.since for at in raised.get((due.patient.pk, due.kind), []))
    ]


@transaction.atomic
def _raise_once(due: Due) -> ClinicalAlert | None:
    # The patient's row lock makes the check and the insert one step for a second run.
    Patient.objects.select_for_update().filter(pk=due.patient.pk).first()
    if ClinicalAlert.objects.filter(
        patient=due.patient, kind=due.kind, created_at__gte=due.since
    ).exists():
        return None
    return alert_raise(
        patient=due.patient,
        kind=due.kind,
        severity=ClinicalAlert.Severity.ROUTINE,
        message=due.message,
    )


def _raise_all(dues: list[Due]) -> int:
    raised = 0
    for due in _not_raised(dues):
        try:
            if _raise_once(due) is not None:
                raised += 1
        except Exception:  # one patient's bad data must not stop the others' alerts
            logger.exception("Raising a %s alert failed for patient %s", due.kind, due.patient.pk)
    return raised


def deadline_alerts_raise(*, now: datetime.datetime | None = None) -> int:
    """Raise the plan-of-care deadline alerts each clinic's today calls for, once each;
    how many were raised. Safe to run as often as you like."""
    now = now or timezone.now()
    raised = 0
    for clinic in Clinic.objects.order_by("pk"):
        zone = zone_of(clinic.time_zone)
        patients = Patient.objects.for_clinic(clinic).filter(status=Patient.Status.ACTIVE)
        try:
            dues = plan_deadlines_due(patients=patients, zone=zone, today=local_today(zone, now))
        except Exception:  # one clinic's bad data must not stop the others' alerts
            logger.exception("The deadline watch failed for clinic %s", clinic.pk)
            continue
        raised += _raise_all(dues)
    return raised


def rtm_watched_patients() -> QuerySet[Patient]:
    """Patients whose monitoring is watched: in care and not told to stop exercising."""
    return Patient.objects.filter(
        status=Patient.Status.ACTIVE,
        medical_hold_since__isnull=True,
        referral_hold_since__isnull=True,
    )


def rtm_alerts_raise(*, now: datetime.datetime | None = None) -> int:
    """Raise an alert for each monitored patient whose current period risks ending short
    of its data days, once per period; how many were raised."""
    periods = rtm_current_periods(patients=rtm_watched_patients(), now=now)
    dues = [due for period in periods.values() if (due := rtm_shortfall_due(period))]
    return _raise_all(dues)
