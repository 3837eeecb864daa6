"""A clinic admin sets the escalation window and working hours of their clinic."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from practice.models import Role
from reminders.models import ClinicReminderSettings
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

ADD = reverse("admin:reminders_clinicremindersettings_add")


@pytest.fixture
def clinic_admin(clinic):
    return make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")


def _form(clinic, **fields):
    return {
        "clinic": clinic.pk,
        "exercise_reminders": "on",
        "appointment_reminders": "on",
        "appointment_lead_hours": "[]",
        "nudge_after_days": 3,
        "therapist_alert_after_days": 7,
        "escalation_minutes": 10,
        "working_days": ["0", "1", "2", "3", "5"],
        "opens_at": "07:30",
        "closes_at": "16:00",
        **fields,
    }


def test_a_clinic_admin_sets_the_window_and_the_working_week(client, clinic, clinic_admin):
    client.force_login(clinic_admin.user)

    response = client.post(ADD, _form(clinic))

    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = ClinicReminderSettings.objects.get(clinic=clinic)
    assert (saved.escalation_minutes, saved.working_days) == (10, [0, 1, 2, 3, 5])
    assert (saved.opens_at, saved.closes_at) == (datetime.time(7, 30), datetime.time(16, 0))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"opens_at": "18:00", "closes_at": "08:00"}, "The clinic must open before it closes."),
        ({"escalation_minutes": 0}, "Ensure this value is greater than or equal to 1."),
        ({"working_days": ["7"]}, "Select a valid choice. 7 is not one of the available choices."),
        ({"working_days": []}, "Tick at least one working day: routine alerts wait for one."),
    ],
)
def test_implausible_settings_are_a_form_error(client, clinic, clinic_admin, fields, message):
    client.force_login(clinic_admin.user)

    response = client.post(ADD, _form(clinic, **fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ClinicReminderSettings.objects.exists()


def test_the_add_form_starts_from_monday_to_friday(client, clinic_admin):
    client.force_login(clinic_admin.user)

    form = client.get(ADD).context["adminform"].form

    assert form["working_days"].value() == [0, 1, 2, 3, 4]


def test_another_clinics_settings_are_not_offered(client, clinic_admin, other_clinic):
    client.force_login(clinic_admin.user)

    response = client.post(ADD, _form(other_clinic))

    assert response.status_code == 200
    assert not ClinicReminderSettings.objects.exists()
