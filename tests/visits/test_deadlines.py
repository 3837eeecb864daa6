"""Recertification at 90 days or the plan's end; a progress report every 10 treatment days."""

from __future__ import annotations

import datetime

import pytest

from visits.deadlines import (
    certification_delayed,
    certification_lapsed,
    recertification_due,
    treatment_days_before_progress_report,
)

D = datetime.date


def test_a_plan_is_certified_for_ninety_days_from_its_first_treatment():
    # First treated on 1 October: the 90th day is 29 December.
    assert recertification_due(starts_on=D(2026, 10, 1), plan_ends_on=D(2027, 3, 1)) == D(
        2026, 12, 29
    )


def test_a_plan_ending_first_ends_the_certification():
    assert recertification_due(starts_on=D(2026, 10, 1), plan_ends_on=D(2026, 11, 12)) == D(
        2026, 11, 12
    )


def test_a_signature_after_thirty_days_is_a_delayed_certification():
    assert not certification_delayed(starts_on=D(2026, 10, 1), certified_on=D(2026, 10, 31))
    assert certification_delayed(starts_on=D(2026, 10, 1), certified_on=D(2026, 11, 1))


def test_a_visit_the_day_after_the_last_covered_day_is_flagged():
    covered = D(2026, 12, 29)
    assert not certification_lapsed(visit_on=covered, covered_until=covered)
    assert certification_lapsed(
        visit_on=covered + datetime.timedelta(days=1), covered_until=covered
    )


@pytest.mark.parametrize(("since", "left"), [(1, 8), (8, 1), (9, 0), (10, 0), (14, 0)])
def test_the_tenth_treatment_day_needs_the_progress_report(since, left):
    # `since` treatment days so far, the evaluation's day the first: the next one is the
    # (since + 1)th, and the 10th must carry the report.
    assert treatment_days_before_progress_report(treatment_days_since_report=since) == left


def test_the_evaluation_day_counts_as_the_first_treatment_day():
    with pytest.raises(ValueError, match="counts as the first"):
        treatment_days_before_progress_report(treatment_days_since_report=0)
