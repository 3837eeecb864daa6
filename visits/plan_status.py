"""Where a patient's plan of care stands: how long its certification covers, and how
many treatment days remain before Medicare's next progress report (visits.deadlines).

Treatment days are the clinic-local days of attended visits; the day of the evaluation,
re-evaluation or progress note counts as the first of the ten.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from appointments.models import Appointment
from core.localtime import local_date, local_today, zone_of
from patients.models import Patient

from . import deadlines
from .note_models import REPORTING_KINDS, VisitNote
from .plan_models import PlanOfCare
from .plans import current_plan


@dataclass(frozen=True)
class PlanStatus:
    plan: PlanOfCare | None
    today: datetime.date
    last_report_on: datetime.date | None
    # Attended days since the last report, that day included; 0 with no report yet.
    treatment_days_since_report: int

    @property
    def covered_until(self) -> datetime.date | None:
        return self.plan.covered_until if self.plan else None

    @property
    def days_to_recertification(self) -> int | None:
        """Calendar days left in the certification; negative once it lapsed."""
        if self.covered_until is None:
            return None
        return (self.covered_until - self.today).days

    @property
    def lapsed(self) -> bool:
        return self.covered_until is not None and self.covered_until < self.today

    @property
    def progress_report_due_in(self) -> int | None:
        """Treatment days that may pass before one needs the report: 0 means the next."""
        if self.last_report_on is None:
            return None
        return deadlines.treatment_days_before_progress_report(
            treatment_days_since_report=max(self.treatment_days_since_report, 1)
        )

    @property
    def progress_report_overdue(self) -> bool:
        """The 10th treatment day since the last report has passed without a new one."""
        return self.treatment_days_since_report >= deadlines.PROGRESS_REPORT_EVERY_TREATMENT_DAYS


def treatment_days(
    *, patient: Patient, since: datetime.date, until: datetime.date | None = None
) -> list[datetime.date]:
    """The clinic-local days from `since` on (to `until`) with an attended visit."""
    zone = zone_of(patient.clinic.time_zone)
    starts = Appointment.objects.filter(
        patient=patient,
        status=Appointment.Status.ATTENDED,
        starts_at__gte=datetime.datetime.combine(since, datetime.time(), zone)
        - datetime.timedelta(days=1),
    ).values_list("starts_at", flat=True)
    days = {local_date(moment, zone) for moment in starts}
    return sorted(d for d in days if d >= since and (until is None or d <= until))


def last_report_on(*, patient: Patient, until: datetime.date | None = None) -> datetime.date | None:
    # A report counts once signed: an abandoned draft must not silence the deadline.
    notes = VisitNote.objects.filter(
        patient=patient, kind__in=REPORTING_KINDS, signed_at__isnull=False
    )
    if until is not None:
        notes = notes.filter(visit_on__lte=until)
    return notes.order_by("-visit_on").values_list("visit_on", flat=True).first()


def plan_status(*, patient: Patient, today: datetime.date | None = None) -> PlanStatus:
    today = today or local_today(zone_of(patient.clinic.time_zone))
    report_on = last_report_on(patient=patient, until=today)
    days = treatment_days(patient=patient, since=report_on, until=today) if report_on else []
    return PlanStatus(
        plan=current_plan(patient=patient),
        today=today,
        last_report_on=report_on,
        treatment_days_since_report=len(days),
    )


def certification_problem(*, patient: Patient, day: datetime.date) -> str:
    """Why a visit on `day` falls outside a certified plan of care; "" when it does not.

    The plan that covers a day is the latest one begun by then."""
    plan = (
        PlanOfCare.objects.filter(patient=patient, starts_on__lte=day)
        .order_by("-starts_on", "-id")
        .first()
    )
    return plan_certification_problem(plan=plan, day=day)


def plan_certification_problem(*, plan: PlanOfCare | None, day: datetime.date) -> str:
    """Why a visit on `day` under `plan` (the plan covering that day, None when there is
    none) falls outside a certified plan of care; "" when it does not. For callers that
    loaded the plans already (the billing export)."""
    if plan is None:
        return "No plan of care covers this visit."
    if plan.covered_until is None:
        return "The plan of care is not certified yet."
    if deadlines.certification_lapsed(visit_on=day, covered_until=plan.covered_until):
        return f"The plan's certification lapsed after {plan.covered_until.isoformat()}."
    return ""
