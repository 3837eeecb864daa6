"""The patient's language setting on /me/ and in the patient admin."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.clients import error_of

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_the_profile_shows_the_language_blank_by_default(patient_api):
    assert patient_api.get(ME).json()["language"] == ""


def test_a_patient_chooses_spanish(patient, patient_api):
    response = patient_api.patch(ME, {"language": "es"}, format="json")

    assert response.status_code == 200
    assert response.json()["language"] == "es"
    patient.refresh_from_db()
    assert patient.language == "es"
    assert patient.history.first().history_user.username == "patient.one"


def test_a_patient_goes_back_to_the_phones_language(patient, patient_api):
    patient_api.patch(ME, {"language": "es"}, format="json")

    response = patient_api.patch(ME, {"language": ""}, format="json")

    assert response.status_code == 200
    patient.refresh_from_db()
    assert patient.language == ""


@pytest.mark.parametrize("code", ["fr", "ES", "english", 7])
def test_a_language_the_app_does_not_offer_is_a_400(patient, patient_api, code):
    response = patient_api.patch(ME, {"language": code}, format="json")

    assert response.status_code == 400
    assert error_of(response)["errors"] == {"language": [f'"{code}" is not a valid choice.']}
    patient.refresh_from_db()
    assert patient.language == ""


def test_staff_set_the_language_on_the_patient_page(patient, therapist):
    client = Client()
    client.force_login(therapist.user)
    url = f"/admin/patients/patient/{patient.pk}/change/"
    page = client.get(url)
    assert 'name="language"' in page.content.decode()
