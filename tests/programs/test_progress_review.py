"""The no-improvement review's boundaries: which follow-up counts, and bad stored dates."""

from __future__ import annotations

import datetime

import pytest

from patients.models import ClinicalAlert
from programs import safety
from programs.models import Prescription
from tests.programs.test_safety import _answer, _review, _six_weeks

pytestmark = pytest.mark.django_db


def test_the_follow_up_window_opens_on_day_35_of_the_program():
    assert datetime.timedelta(days=35) == safety.FOLLOW_UP_FROM


def test_a_follow_up_on_the_first_day_of_the_sixth_week_counts(patient, diagnosis, therapist):
    _six_weeks(patient, diagnosis, therapist)
    _answer(patient, "nprs", 7, 35)  # Monday 7 April 2025: start + FOLLOW_UP_FROM

    alert = _review(patient, 42)

    assert alert is not None
    assert alert.kind == ClinicalAlert.Kind.NO_IMPROVEMENT
    assert "NPRS from 7 to 7" in alert.message


def test_a_follow_up_the_day_before_the_sixth_week_does_not_count(patient, diagnosis, therapist):
    _six_weeks(patient, diagnosis, therapist)
    _answer(patient, "nprs", 7, 34)

    assert _review(patient, 42) is None
    assert not ClinicalAlert.objects.filter(kind=ClinicalAlert.Kind.NO_IMPROVEMENT).exists()


def test_a_start_date_stored_at_the_end_of_the_calendar_does_not_break_the_review(
    patient, diagnosis, therapist
):
    program = _six_weeks(patient, diagnosis, therapist)
    _answer(patient, "nprs", 7, 40)
    Prescription.objects.filter(pk=program.pk).update(start_date=datetime.date(9999, 12, 31))

    assert _review(patient, 42) is None
