"""The plan of care's deadlines, in the clinic's calendar days.

Medicare (Medicare Benefit Policy Manual, Pub. 100-02, chapter 15):
- section 220.1.2: the plan of care is certified by the physician or NPP and
  recertified at least every 90 calendar days, or sooner when the plan's own duration
  ends first; a visit after the certification lapsed is not covered until it is
  recertified.
- section 220.3: a progress report is written at least once every 10 treatment days;
  the day of the evaluation or of the last progress report counts as the first.
"""

from __future__ import annotations

import datetime

RECERTIFY_WITHIN_DAYS = 90
PROGRESS_REPORT_EVERY_TREATMENT_DAYS = 10


def recertification_due(
    *, certified_on: datetime.date, plan_ends_on: datetime.date
) -> datetime.date:
    """The last day the certification covers: 90 days from it, or the plan's end if
    that comes first."""
    return min(certified_on + datetime.timedelta(days=RECERTIFY_WITHIN_DAYS - 1), plan_ends_on)


def certification_lapsed(*, visit_on: datetime.date, covered_until: datetime.date) -> bool:
    """Whether a visit falls after the certification stopped covering it."""
    return visit_on > covered_until


def treatment_days_before_progress_report(*, treatment_days_since_report: int) -> int:
    """How many more treatment days may pass before one needs a progress report: 0 means
    the next treatment day (the 10th since the last report) needs it. The day of the
    evaluation or last report is the first of the ten."""
    if treatment_days_since_report < 1:
        raise ValueError("The day of the evaluation or last report counts as the first.")
    return max(PROGRESS_REPORT_EVERY_TREATMENT_DAYS - 1 - treatment_days_since_report, 0)
