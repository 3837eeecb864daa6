"""A visit opened from the calendar: moving it on its page replans its reminders, and
the list and the page give the patient's own time where their zone reads otherwise."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from reminders import planner
from reminders.models import Notification
from tests.factories import make_patient
from tests.factories.appointments import make_appointment

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime.datetime(2026, 10, 20, 12, 0, tzinfo=datetime.UTC)
CALENDAR = reverse("admin:appointments_appointment_calendar")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk_client(client, front_desk):
    client.force_login(front_desk.user)
    return client


def change_url(visit) -> str:
    return reverse("admin:appointments_appointment_change", args=[visit.pk])


def _moved(visit, starts_at: datetime.datetime) -> dict:
    when = starts_at.astimezone(NEW_YORK)
    return {
        "therapist": visit.therapist_id,
        "starts_at_0": when.strftime("%Y-%m-%d"),
        "starts_at_1": when.strftime("%H:%M:%S"),
        "duration_minutes": visit.duration_minutes,
        "kind": visit.kind,
        "location": "",
        "telehealth_url": "",
        "notes": "",
    }


def _reminders(patient) -> list[tuple[str, datetime.datetime, str]]:
    rows = Notification.objects.filter(patient=patient, source__startswith="appointment:")
    return sorted(rows.values_list("source", "scheduled_for", "status"))


def test_moving_a_visit_from_the_calendar_replans_its_reminders(desk_client, patient, therapist):
    patient.consent_email = True
    patient.save()
    # 09:00 tomorrow in New York: its 24-hour reminder falls in this planning window.
    visit = make_appointment(
        patient=patient, therapist=therapist, starts_at=NOW + datetime.timedelta(hours=25)
    )
    planner.plan(now=NOW)
    old = NOW + datetime.timedelta(hours=1)
    assert _reminders(patient) == [(f"appointment:{visit.pk}:24h", old, "pending")]
    page = desk_client.get(CALENDAR, {"day": "2026-10-21"})
    assert f'href="{change_url(visit)}"' in page.text

    later = visit.starts_at + datetime.timedelta(minutes=30)
    response = desk_client.post(change_url(visit), _moved(visit, later))

    assert response.status_code == 302, response.context["adminform"].form.errors
    visit.refresh_from_db()
    assert visit.starts_at == later
    planner.plan(now=NOW)
    new = old + datetime.timedelta(minutes=30)
    assert _reminders(patient) == [
        (f"appointment:{visit.pk}:24h", old, "cancelled"),
        (f"appointment:{visit.pk}:24h", new, "pending"),
    ]


def test_the_list_and_the_page_show_the_patients_own_time_where_it_reads_otherwise(
    desk_client, clinic, patient, therapist
):
    away = make_patient(clinic=clinic, first_name="Casey", time_zone="America/Chicago")
    starts_at = datetime.datetime(2026, 10, 21, 10, 0, tzinfo=NEW_YORK)
    theirs = make_appointment(patient=away, therapist=therapist, starts_at=starts_at)
    here = make_appointment(
        patient=patient, therapist=therapist, starts_at=starts_at + datetime.timedelta(hours=2)
    )

    listing = desk_client.get(reverse("admin:appointments_appointment_changelist"))
    assert "Patient&#x27;s own time" in listing.text
    cells = re.findall(r'<td class="field-patient_time">([^<]*)</td>', listing.text)
    assert cells == ["2026-10-21 09:00 (America/Chicago)", "-"]  # by start: theirs, then here

    own_time = re.compile(r"own time:</label>\s*<div class=\"readonly\">([^<]*)</div>")
    assert own_time.findall(desk_client.get(change_url(theirs)).text) == [
        "2026-10-21 09:00 (America/Chicago)"
    ]
    assert own_time.findall(desk_client.get(change_url(here)).text) == ["-"]
    page = desk_client.get(change_url(theirs)).text
    # Beside the clinic's time, not at the foot of the form.
    assert page.index("field-starts_at") < page.index("field-patient_time")
    assert page.index("field-patient_time") < page.index("field-duration_minutes")
