"""The no-improvement review: after six weeks of a program done on most of its days, no
outcome measure improved by its minimal clinically important difference; which
follow-up counts, the daily task, and bad stored dates."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from outcomes import progress_review
from outcomes.services import questionnaire_submit
from outcomes.tasks import review_progress
from patients.models import ClinicalAlert
from programs.models import Prescription
from tests.outcomes import course

pytestmark = pytest.mark.django_db

Kind = ClinicalAlert.Kind


def _alerts(patient, kind):
    return list(ClinicalAlert.objects.filter(patient=patient, kind=kind))


def _moment(day: int, hour: int = 16) -> datetime.datetime:
    """Noon in New York (16:00 UTC) `day` days after Monday 3 March 2025."""
    return course.at(day, hour)


def _six_weeks(patient, diagnosis, therapist, *, sessions_per_week: int = 3):
    """A Mon/Wed/Fri program from 3 March 2025, done `sessions_per_week` times a week for
    six weeks; NPRS 7 -> 7 -> 6 and ODI 40 -> 38 at the two- and four-week follow-ups."""
    program = course.prescribe(patient=patient, diagnosis=diagnosis, therapist=therapist)
    for week in range(6):
        for day in (0, 2, 4)[:sessions_per_week]:
            course.log_session(program, _moment(7 * week + day), 6, 5)
    course.answer(patient, "nprs", 7, 0, "baseline")
    course.answer(patient, "odi", 40, 0, "baseline")
    course.answer(patient, "nprs", 7, 14)
    course.answer(patient, "nprs", 6, 28)
    course.answer(patient, "odi", 38, 28)
    return program


def _review(patient, day: int):
    with time_machine.travel(_moment(day), tick=False):
        return progress_review.progress_review(patient=patient)


def test_no_improvement_after_six_weeks_of_good_adherence_alerts_once_when_answered(
    patient, diagnosis, therapist
):
    program = _six_weeks(patient, diagnosis, therapist)
    assert _review(patient, 42) is None  # the last follow-up is from week 5: no conclusion yet

    with time_machine.travel(_moment(42), tick=False):
        questionnaire_submit(patient=patient, code="nprs", answers={"pain": 6})

    (alert,) = _alerts(patient, Kind.NO_IMPROVEMENT)
    assert alert.severity == ClinicalAlert.Severity.ROUTINE
    assert "after 6 weeks" in alert.message
    # 18 of 19 days: today, Monday of week 7, is scheduled and not done yet.
    assert "95% of the scheduled days" in alert.message
    assert "NPRS from 7 to 6" in alert.message
    assert "spine specialist" in alert.message
    program.refresh_from_db()
    assert program.no_improvement_alerted_at is not None
    # Once per program: neither the review nor the daily task raises it again.
    assert _review(patient, 43) is None
    with time_machine.travel(_moment(44), tick=False):
        assert review_progress() == 0
    assert len(_alerts(patient, Kind.NO_IMPROVEMENT)) == 1


def test_no_improvement_is_not_concluded_before_six_weeks(patient, diagnosis, therapist):
    _six_weeks(patient, diagnosis, therapist)
    course.answer(patient, "nprs", 6, 38)  # in the sixth week

    assert _review(patient, 41) is None
    assert _alerts(patient, Kind.NO_IMPROVEMENT) == []
    assert _review(patient, 42) is not None


def test_no_improvement_with_poor_adherence_does_not_alert(patient, diagnosis, therapist):
    _six_weeks(patient, diagnosis, therapist, sessions_per_week=2)  # 67%
    course.answer(patient, "nprs", 7, 40)

    assert _review(patient, 42) is None
    with time_machine.travel(_moment(45), tick=False):
        assert review_progress() == 0
    assert _alerts(patient, Kind.NO_IMPROVEMENT) == []


def test_a_meaningful_improvement_on_any_measure_does_not_alert(patient, diagnosis, therapist):
    _six_weeks(patient, diagnosis, therapist)
    course.answer(patient, "odi", 39, 40)  # ODI 40 -> 39: no
    course.answer(patient, "nprs", 5, 40)  # NPRS 7 -> 5: 2 points, meaningful

    assert _review(patient, 42) is None
    assert _alerts(patient, Kind.NO_IMPROVEMENT) == []


def test_the_daily_task_raises_the_no_improvement_alert_once(patient, diagnosis, therapist):
    _six_weeks(patient, diagnosis, therapist)
    course.answer(patient, "nprs", 7, 39)
    course.answer(patient, "odi", 40, 39)

    with time_machine.travel(_moment(42, 2), tick=False):  # 22:00 in New York: still day 41
        assert review_progress() == 0
    with time_machine.travel(_moment(42, 20), tick=False):
        assert review_progress() == 1
    with time_machine.travel(_moment(43, 20), tick=False):
        assert review_progress() == 0
    (alert,) = _alerts(patient, Kind.NO_IMPROVEMENT)
    assert "ODI from 40 to 40" in alert.message


def test_the_follow_up_window_opens_on_day_35_of_the_program():
    assert datetime.timedelta(days=35) == progress_review.FOLLOW_UP_FROM


def test_a_follow_up_on_the_first_day_of_the_sixth_week_counts(patient, diagnosis, therapist):
    _six_weeks(patient, diagnosis, therapist)
    course.answer(patient, "nprs", 7, 35)  # Monday 7 April 2025: start + FOLLOW_UP_FROM

    alert = _review(patient, 42)

    assert alert is not None
    assert alert.kind == ClinicalAlert.Kind.NO_IMPROVEMENT
    assert "NPRS from 7 to 7" in alert.message


def test_a_follow_up_the_day_before_the_sixth_week_does_not_count(patient, diagnosis, therapist):
    _six_weeks(patient, diagnosis, therapist)
    course.answer(patient, "nprs", 7, 34)

    assert _review(patient, 42) is None
    assert not ClinicalAlert.objects.filter(kind=ClinicalAlert.Kind.NO_IMPROVEMENT).exists()


def test_a_start_date_stored_at_the_end_of_the_calendar_does_not_break_the_review(
    patient, diagnosis, therapist
):
    program = _six_weeks(patient, diagnosis, therapist)
    course.answer(patient, "nprs", 7, 40)
    Prescription.objects.filter(pk=program.pk).update(start_date=datetime.date(9999, 12, 31))

    assert _review(patient, 42) is None
