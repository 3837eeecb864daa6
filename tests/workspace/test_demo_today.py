"""The demo data gives the Today page visits of the clinic's today, at whatever hour it is
seeded: those before the hour attended, those after it still to come."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from appointments.models import Appointment
from practice.models import User

from .clinic_day import DAY, at, signed_in

pytestmark = pytest.mark.django_db


def _todays_visits() -> list[Appointment]:
    start, end = at(0), at(0, day=DAY + datetime.timedelta(days=1))
    return list(
        Appointment.objects.filter(
            patient__clinic__slug="demo-spine", starts_at__gte=start, starts_at__lt=end
        )
    )


@pytest.mark.parametrize(
    ("hour", "minute", "over", "to_come"),
    [(16, 30, True, True), (0, 10, False, True), (23, 50, True, False)],
)
def test_the_demo_has_visits_of_the_clinics_today_at_any_hour(hour, minute, over, to_come):
    now = at(hour, minute)
    with time_machine.travel(now, tick=False):
        call_command("seed_demo", "--force", "--password", "demo-pass-123", stdout=StringIO())

    visits = _todays_visits()
    attended = [v for v in visits if v.status == Appointment.Status.ATTENDED]
    booked = [v for v in visits if v.status == Appointment.Status.SCHEDULED]
    assert len(attended) + len(booked) == len(visits) >= 4
    assert all(v.ends_at <= now for v in attended)
    assert all(v.starts_at > now for v in booked)
    assert bool(attended) is over
    assert bool(booked) is to_come


def test_the_front_desk_opens_a_demo_day_with_visits_to_check_in():
    with time_machine.travel(at(10), tick=False):
        call_command("seed_demo", "--force", "--password", "demo-pass-123", stdout=StringIO())
        response = signed_in(User.objects.get(username="demo.frontdesk")).get("/admin/")

    today = response.context["today"]
    assert today.counts.attended > 0
    assert today.counts.to_come > 0
    assert "Check in" in response.text
