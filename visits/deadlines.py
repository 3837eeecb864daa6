"""The plan of care's deadlines, in the clinic's calendar days.

Medicare (Medicare Benefit Policy Manual, Pub. 100-02, chapter 15):
- section 220.1.2: a plan's duration is at most 90 calendar days from the initial
  treatment (the evaluation that made the plan counts as treatment), or less when the
  plan is shorter; section 220.1.3: the physician's or NPP's dated signature certifies
  it, and its date matters only for whether the certification was timely (within 30
  days of the first treatment) or delayed. Treatment past the certified interval needs
  a recertified plan; a visit after it is not covered until then.
- section 220.3: a progress report is written at least once every 10 treatment days;
  the day of the evaluation or of the last progress report counts as the first.
"""

from __future__ import annotations

import datetime

RECERTIFY_WITHIN_DAYS = 90
TIMELY_CERTIFICATION_DAYS = 30
PROGRESS_REPORT_EVERY_TREATMENT_DAYS = 10


def recertification_due(*, starts_on: datetime.date, plan_ends_on: datetime.date) -> datetime.date:
    """The last day a certified plan covers: the 90th day from its first treatment, or
    the plan's end if that comes first. A late signature does not lengthen it."""
    return min(starts_on + datetime.timedelta(days=RECERTIFY_WITHIN_DAYS - 1), plan_ends_on)


def certification_delayed(*, starts_on: datetime.date, certified_on: datetime.date) -> bool:
    """Whether the signature came after the 30 days that make it timely; a delayed
    certification is still accepted with the reason for the delay in the record."""
    return certified_on > starts_on + datetime.timedelta(days=TIMELY_CERTIFICATION_DAYS)


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
