"""The admin shows and reads times in the clinic's zone, across a change of daylight
saving time; the API keeps answering ISO 8601 with offsets."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from appointments.models import Appointment
from appointments.services import appointment_book
from tests.clients import bearer

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
ADD = reverse("admin:appointments_appointment_add")
CHANGELIST = reverse("admin:appointments_appointment_changelist")
CALENDAR = reverse("admin:appointments_appointment_calendar")
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


@override_settings(TIME_ZONE="Asia/Tokyo")
def test_a_clinics_zone_ends_with_its_request_and_an_operator_reads_the_servers(
    desk_client, admin_client
):
    # Both clients run in this thread: a zone left active by the desk's page would be
    # the operator's next.
    assert "Times in America/New_York" in desk_client.get(CHANGELIST).text
    assert "Times in Asia/Tokyo" in admin_client.get(CHANGELIST).text


@pytest.mark.parametrize(("day", "utc_hour"), [(BEFORE_CHANGE, 14), (AFTER_CHANGE, 15)])
def test_the_today_page_and_the_calendar_show_ten_oclock_on_both_sides_of_the_change(
    client, front_desk, patient, therapist, day, utc_hour
):
    visit = appointment_book(
        patient=patient,
        therapist=therapist,
        starts_at=datetime.datetime.combine(day, datetime.time(utc_hour), tzinfo=UTC),
    )
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(8), tzinfo=NEW_YORK), tick=False
    ):
        client.force_login(front_desk.user)
        today = client.get(reverse("admin:index")).text
        calendar = client.get(CALENDAR, {"day": day.isoformat()}).text

    assert f'id="appointment-{visit.pk}"' in today
    assert "10:00&ndash;10:45" in today
    assert "10:00-10:45 Alex Rivera" in calendar


def test_the_api_keeps_iso_times_with_their_offset(therapist, patient):
    visit = appointment_book(
        patient=patient,
        therapist=therapist,
        starts_at=datetime.datetime.combine(AFTER_CHANGE, datetime.time(15), tzinfo=UTC),
    )
    body = bearer(therapist.user).get(f"/api/v1/appointments/{visit.pk}/").json()
    assert datetime.datetime.fromisoformat(body["starts_at"]) == visit.starts_at


def test_the_clinics_zone_follows_the_admin_to_another_address(desk_client, settings):
    assert "Times in America/New_York" in desk_client.get(CHANGELIST).text

    settings.ROOT_URLCONF = "tests.practice.office_urls"
    page = desk_client.get("/office/appointments/appointment/")

    assert page.status_code == 200
    assert "Times in America/New_York" in page.text
