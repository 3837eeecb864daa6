"""seed_demo on an empty database: each test seeds (or refuses to) from nothing, so
they cannot share test_seed_demo's seeded world."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from patients.models import Patient
from programs.models import Prescription

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not Patient.objects.exists()


def test_seed_demo_dates_programs_by_each_patients_today_after_utc_midnight():
    # 03:30 UTC on the 10th: still the evening of the 9th in New York, the 10th in London.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 3, 30, tzinfo=datetime.UTC)):
        call_command("seed_demo", "--force", "--password", "demo-pass-123", stdout=StringIO())

    def start(username: str) -> datetime.date:
        return Prescription.objects.get(patient__user__username=username).start_date

    # The demo patient's program began six weeks before the 9th, their today.
    assert start("demo.patient") == datetime.date(2026, 3, 9) - datetime.timedelta(weeks=6)
    assert start("other.patient") == datetime.date(2026, 3, 10)
    demo = Patient.objects.get(user__username="demo.patient")
    assert demo.diagnoses.get().onset_date == datetime.date(2026, 1, 6)  # 20 days before
    # Bookings begin on the clinic's tomorrow: Tuesday the 10th in New York.
    first = demo.appointments.filter(status="scheduled").order_by("starts_at").first()
    assert first.starts_at == datetime.datetime(2026, 3, 10, 13, 0, tzinfo=datetime.UTC)
