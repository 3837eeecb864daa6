"""The booking form offers the patients in care and, saved, shows the day's calendar."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from appointments.models import Appointment
from episodes.services import patient_discharge
from tests.factories import make_patient

pytestmark = pytest.mark.django_db

ADD = reverse("admin:appointments_appointment_add")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 15, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def desk_client(client, front_desk):
    client.force_login(front_desk.user)
    return client


def _booking(patient, therapist, **extra) -> dict:
    return {
        "patient": patient.pk,
        "therapist": therapist.pk,
        "starts_at_0": "2026-12-03",
        "starts_at_1": "21:30",  # New York: 02:30 UTC on the 4th
        "duration_minutes": 45,
        "kind": "follow_up",
        "notes": "",
        **extra,
    }


def test_saving_a_booking_shows_the_calendar_of_its_day_in_clinic_time(
    desk_client, patient, therapist
):
    response = desk_client.post(ADD, {**_booking(patient, therapist), "_save": "Save"})

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('admin:appointments_appointment_calendar')}?day=2026-12-03"
    )
    assert Appointment.objects.get().patient == patient


def test_save_and_add_another_stays_on_the_form(desk_client, patient, therapist):
    response = desk_client.post(ADD, {**_booking(patient, therapist), "_addanother": "1"})

    assert response.status_code == 302
    assert response["Location"] == ADD


def test_a_discharged_patient_is_not_offered_for_booking(desk_client, clinic, therapist, patient):
    gone = make_patient(clinic=clinic, last_name="Departed")
    patient_discharge(patient=gone, actor=therapist.user)

    offered = desk_client.get(ADD).context["adminform"].form.fields["patient"].queryset

    assert patient in offered
    assert gone not in offered
