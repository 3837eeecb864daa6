"""The plan-of-care deadlines and remote monitoring in the "needs attention" list
(workspace.attention): why a patient needs the therapist before a deadline passes.

- recertification: the certification's last covered day is within
  visits.watch.RECERTIFICATION_NOTICE_DAYS, or it has lapsed;
- progress note: due at the next visit (the 10th treatment day since the last
  report), or overdue;
- remote monitoring: the current period risks ending short of its data days.

Each read only for a user allowed to read what it is about (plans of care, RTM
episodes): the front desk sees none of it. A fixed number of queries whatever the
number of patients: three for the plans, four for the monitoring (visits.bulk_status).
The same conditions raise the therapist's alerts (visits.watch); these lines follow
the record as it stands now, so they go as soon as the matter is dealt with.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from core.localtime import local_today
from patients.models import Patient
from practice.models import User
from visits.bulk_status import plan_statuses, rtm_current_periods
from visits.plan_status import PlanStatus
from visits.watch import RECERTIFICATION_NOTICE_DAYS

SEE_PLANS = "visits.view_planofcare"
SEE_RTM = "visits.view_rtmepisode"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _recertification(status: PlanStatus) -> str | None:
    covered, left = status.covered_until, status.days_to_recertification
    if covered is None or left is None:
        return None
    if status.lapsed:
        return f"Certification lapsed after {covered:%Y-%m-%d}: recertify the plan of care"
    if left > RECERTIFICATION_NOTICE_DAYS:
        return None
    when = "today is its last day" if left == 0 else f"in {_days(left)}"
    return f"Recertification due: the plan's certification ends {covered:%Y-%m-%d} ({when})"


def _progress_note(status: PlanStatus) -> str | None:
    if status.last_report_on is None or status.progress_report_due_in != 0:
        return None
    done = f"{status.treatment_days_since_report} treatment days since the last report"
    if status.progress_report_overdue:
        return f"Progress note overdue ({done})"
    return f"Progress note due at the next visit ({done})"


def care_deadline_texts(
    *, patients: QuerySet[Patient], user: User, zone: datetime.tzinfo
) -> dict[int, list[str]]:
    """patient id -> why each of `patients` (active, scoped to the user) needs attention
    for a plan-of-care deadline or remote monitoring; `zone` is the clinic's."""
    found: dict[int, list[str]] = {}
    if user.has_perm(SEE_PLANS):
        statuses = plan_statuses(patients=patients, zone=zone, today=local_today(zone))
        for patient_id, status in statuses.items():
            texts = [t for t in (_recertification(status), _progress_note(status)) if t]
            if texts:
                found.setdefault(patient_id, []).extend(texts)
    if user.has_perm(SEE_RTM):
        for patient_id, current in rtm_current_periods(patients=patients).items():
            # A held patient was told to stop exercising: the data days wait for them.
            if current.period.at_risk and not current.patient.on_hold:
                text = f"Remote monitoring short of data days: {current.describe()}"
                found.setdefault(patient_id, []).append(text)
    return found
