"""A session dated at the ends of the calendar is refused with its date written out in
full (a year before 1000 included), and one stored anyway is named the same way."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from programs.models import ExerciseSession
from tests.factories import make_prescription
from tests.programs.test_session_dates import NOW, _refusal

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def program(diagnosis, therapist):
    return make_prescription(
        diagnosis=diagnosis, prescribed_by=therapist, start_date=datetime.date(2025, 1, 15)
    )


def test_a_session_in_year_1_names_its_date_in_full(patient, program):
    assert _refusal(patient, program, datetime.datetime(1, 1, 2, 12, 0, tzinfo=UTC)) == (
        "The session is dated 0001-01-02, more than 2 years ago; check the date."
    )


def test_a_session_in_year_9999_names_its_date_in_full(patient, program):
    assert _refusal(patient, program, datetime.datetime(9999, 12, 31, 12, 0, tzinfo=UTC)) == (
        "The session is dated 9999-12-31, more than a day ahead; check the phone's date and time."
    )


def test_a_stored_session_of_year_1_is_named_with_a_full_date():
    session = ExerciseSession(performed_at=datetime.datetime(1, 1, 1, 0, 30, tzinfo=UTC))

    assert str(session) == "Session 0001-01-01 00:30 UTC"
