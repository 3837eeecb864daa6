"""The admin shows and reads times in the clinic's zone, across a change of daylight
saving time; the API keeps answering ISO 8601 with offsets."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from appointments.models import Appointment
from appointments.services import appointment_book
from tests.clients import bearer

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
ADD = reverse("admin:appointments_appointment_add")
CHANGELIST = reverse("admin:appointments_appointment_changelist")
# New York leaves daylight saving time on Sunday 2026-11-01 at 02:00 local.
BEFORE_CHANGE = datetime.date(2026, 10, 30)
AFTER_CHANGE = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime.datetime(2026, 10, 20, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def desk_client(client, front_desk):
    client.force_login(front_desk.user)
    return client


def _book(client, patient, therapist, day: datetime.date, clock: str):
    return client.post(
        ADD,
        {
            "patient": patient.pk,
            "therapist": therapist.pk,
            "starts_at_0": day.isoformat(),
            "starts_at_1": clock,
            "duration_minutes": 45,
            "kind": "follow_up",
            "notes": "",
        },
    )


@pytest.mark.parametrize(
    ("day", "stored_utc"),
    [(BEFORE_CHANGE, datetime.time(14, 0)), (AFTER_CHANGE, datetime.time(15, 0))],
)
def test_ten_oclock_typed_at_a_new_york_clinic_is_ten_in_new_york(
    desk_client, patient, therapist, day, stored_utc
):
    response = _book(desk_client, patient, therapist, day, "10:00")
    assert response.status_code == 302, response.context["adminform"].form.errors
    visit = Appointment.objects.get()
    assert visit.starts_at == datetime.datetime.combine(day, stored_utc, tzinfo=UTC)

    page = desk_client.get(reverse("admin:appointments_appointment_change", args=[visit.pk]))
    assert 'value="10:00:00"' in page.text


def test_the_list_shows_both_sides_of_the_change_at_the_hour_booked(
    desk_client, patient, therapist
):
    for day in (BEFORE_CHANGE, AFTER_CHANGE):
        start = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=NEW_YORK)
        appointment_book(patient=patient, therapist=therapist, starts_at=start)
    page = desk_client.get(CHANGELIST)
    assert page.text.count("9:30 a.m.") == 2, "both visits at 9:30 New York time"


def test_every_admin_page_names_the_zone_and_each_time_field_says_it(desk_client):
    page = desk_client.get(ADD)
    assert "Times in America/New_York" in page.text
    starts_at = page.context["adminform"].form.fields["starts_at"]
    assert "Time in America/New_York." in starts_at.help_text


def test_an_operator_at_no_clinic_reads_utc(admin_client):
    assert "Times in UTC" in admin_client.get(CHANGELIST).text


def test_the_api_keeps_iso_times_with_their_offset(therapist, patient):
    visit = appointment_book(
        patient=patient,
        therapist=therapist,
        starts_at=datetime.datetime.combine(AFTER_CHANGE, datetime.time(15), tzinfo=UTC),
    )
    body = bearer(therapist.user).get(f"/api/v1/appointments/{visit.pk}/").json()
    assert datetime.datetime.fromisoformat(body["starts_at"]) == visit.starts_at
