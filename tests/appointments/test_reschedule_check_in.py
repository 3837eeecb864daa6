"""A checked-in visit that is moved: to another day it is no longer arrived for, within
its day the patient is still in the waiting room."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from appointments import arrivals
from appointments.models import Appointment
from appointments.services import appointment_reschedule, appointment_set_status
from tests.factories.appointments import make_appointment

pytestmark = pytest.mark.django_db

NINE = datetime.datetime(2026, 5, 4, 13, 0, tzinfo=datetime.UTC)  # 09:00 in New York
ARRIVED = NINE - datetime.timedelta(minutes=10)


@pytest.fixture
def checked_in(patient, therapist):
    with time_machine.travel(NINE - datetime.timedelta(days=3), tick=False):
        visit = make_appointment(patient=patient, therapist=therapist, starts_at=NINE)
    with time_machine.travel(ARRIVED, tick=False):
        arrivals.appointment_check_in(appointment=visit, actor=therapist.user)
    return Appointment.objects.get(pk=visit.pk)


def test_a_checked_in_visit_moved_to_next_week_is_no_longer_checked_in(checked_in, therapist):
    next_week = NINE + datetime.timedelta(weeks=1)
    with time_machine.travel(ARRIVED, tick=False):
        appointment_reschedule(appointment=checked_in, starts_at=next_week, actor=therapist.user)

    stored = Appointment.objects.get(pk=checked_in.pk)
    assert (stored.starts_at, stored.checked_in_at) == (next_week, None)
    # Next week the patient does not come: that is a no-show, not a refusal.
    with time_machine.travel(next_week + datetime.timedelta(minutes=20), tick=False):
        appointment_set_status(appointment=stored, status=Appointment.Status.NO_SHOW)
    assert Appointment.objects.get(pk=checked_in.pk).status == Appointment.Status.NO_SHOW


def test_a_checked_in_visit_moved_later_the_same_day_stays_checked_in(checked_in):
    later = NINE + datetime.timedelta(minutes=30)
    with time_machine.travel(ARRIVED, tick=False):
        appointment_reschedule(appointment=checked_in, starts_at=later)

    stored = Appointment.objects.get(pk=checked_in.pk)
    assert (stored.starts_at, stored.checked_in_at) == (later, ARRIVED)
    with (
        time_machine.travel(later + datetime.timedelta(minutes=20), tick=False),
        pytest.raises(ValidationError, match="checked in"),
    ):
        appointment_set_status(appointment=stored, status=Appointment.Status.NO_SHOW)


def test_moving_a_visit_loaded_before_its_check_in_keeps_the_check_in(patient, therapist):
    with time_machine.travel(NINE - datetime.timedelta(days=3), tick=False):
        loaded_early = make_appointment(patient=patient, therapist=therapist, starts_at=NINE)
    with time_machine.travel(ARRIVED, tick=False):
        arrivals.appointment_check_in(
            appointment=Appointment.objects.get(pk=loaded_early.pk), actor=therapist.user
        )
        appointment_reschedule(
            appointment=loaded_early, starts_at=NINE + datetime.timedelta(minutes=15)
        )
    assert Appointment.objects.get(pk=loaded_early.pk).checked_in_at == ARRIVED
