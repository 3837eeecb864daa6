"""A record's name prints its time in the zone of the page that shows it: the clinic's in
the admin, UTC elsewhere, and always says which."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment
from appointments.services import appointment_book
from core.localtime import zone_of

pytestmark = pytest.mark.django_db

NOON_IN_NEW_YORK = datetime.datetime(2026, 12, 3, 17, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False):
        yield


def test_booking_in_the_admin_names_the_visit_at_the_clinics_hour(
    client, front_desk, patient, therapist
):
    client.force_login(front_desk.user)
    response = client.post(
        reverse("admin:appointments_appointment_add"),
        {
            "patient": patient.pk,
            "therapist": therapist.pk,
            "starts_at_0": "2026-12-03",
            "starts_at_1": "12:00",
            "duration_minutes": 45,
            "kind": "follow_up",
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.get().starts_at == NOON_IN_NEW_YORK
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Follow-up 2026-12-03 12:00 EST" in message
    assert "UTC" not in message


def test_outside_a_clinics_page_a_visit_is_named_in_utc(patient, therapist):
    visit = appointment_book(patient=patient, therapist=therapist, starts_at=NOON_IN_NEW_YORK)
    assert str(Appointment.objects.get(pk=visit.pk)) == "Follow-up 2026-12-03 17:00 UTC"
    with timezone.override(zone_of("America/New_York")):
        assert str(visit) == "Follow-up 2026-12-03 12:00 EST"
