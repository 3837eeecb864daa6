"""A program starts today on the patient's calendar unless the therapist picks a date:
one rule (programs.schedule.default_start_date) for the service, the API and the admin,
also in the hours when the server's UTC date is already tomorrow."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from programs.models import Prescription, ProgramTemplate
from programs.schedule import default_start_date
from programs.services import program_prescribe
from tests.clients import bearer
from tests.config.test_admin_workflows import _prescribe_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/prescriptions/"


def _late_evening() -> tuple[datetime.datetime, datetime.date]:
    """02:00 UTC tomorrow, and the date then in New York (the patients' zone): still
    today, 21:00 or 22:00 in the evening."""
    today = timezone.now().date()
    moment = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(2))
    return moment.replace(tzinfo=datetime.UTC), today


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def test_the_default_start_is_the_patients_today_not_the_servers(patient):
    moment, new_york_today = _late_evening()
    with time_machine.travel(moment, tick=False):
        assert timezone.localdate() == new_york_today + datetime.timedelta(days=1)
        assert default_start_date(patient) == new_york_today


def test_the_service_starts_a_program_on_the_patients_today(patient, diagnosis, therapist):
    moment, new_york_today = _late_evening()
    with time_machine.travel(moment, tick=False):
        prescription = program_prescribe(
            patient=patient,
            diagnosis=diagnosis,
            prescribed_by=therapist,
            template=ProgramTemplate.objects.get(slug="mckenzie-extension"),
            weekdays=[0, 2, 4],
            reminder_times=["08:00"],
        )
    assert prescription.start_date == new_york_today


def test_the_api_starts_a_program_on_the_patients_today(therapist, patient, diagnosis):
    moment, new_york_today = _late_evening()
    body = {
        "patient": patient.pk,
        "diagnosis": diagnosis.pk,
        "template": "mckenzie-extension",
        "reminder_times": ["08:00"],
    }
    with time_machine.travel(moment, tick=False):
        response = bearer(therapist.user).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["start_date"] == new_york_today.isoformat()


def test_the_admin_offers_the_patients_today_as_the_start(client, therapist, patient):
    moment, new_york_today = _late_evening()
    url = reverse("admin:programs_prescription_add") + f"?patient={patient.pk}"
    with time_machine.travel(moment, tick=False):
        client.force_login(therapist.user)  # then: an admin login lasts 12 idle hours
        response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form["start_date"].value() == new_york_today


def test_without_a_patient_the_admin_offers_no_start_date(therapist_client):
    response = therapist_client.get(reverse("admin:programs_prescription_add"))
    assert response.status_code == 200
    assert response.context["adminform"].form["start_date"].value() is None


def test_a_blank_start_date_in_the_admin_is_the_patients_today(
    client, therapist, patient, diagnosis
):
    moment, new_york_today = _late_evening()
    data = _prescribe_data(patient, diagnosis, "mckenzie-extension", start_date="")
    with time_machine.travel(moment, tick=False):
        client.force_login(therapist.user)  # then: an admin login lasts 12 idle hours
        response = client.post(reverse("admin:programs_prescription_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response.url.startswith("/admin/patients/patient/")
    assert Prescription.objects.get(patient=patient).start_date == new_york_today
