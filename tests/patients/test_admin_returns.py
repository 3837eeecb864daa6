"""Saving a diagnosis or a red-flag screen in the admin returns to the patient's page,
unless the user asked to keep editing or to add another."""

from __future__ import annotations

import pytest
from django.urls import reverse

from patients.models import Diagnosis, RedFlagScreening
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def patient_page(patient) -> str:
    return reverse("admin:patients_patient_change", args=[patient.pk])


def diagnosis_form(patient, therapist, **extra) -> dict:
    return {
        "patient": patient.pk,
        "cause": "spinal_stenosis",
        "side": "bilateral",
        "icd10_code": "M48.062",
        "secondary_icd10_codes": "",
        "onset_date": "2026-10-01",
        "diagnosed_on": "2026-11-20",
        "diagnosed_by": therapist.pk,
        "notes": "",
        **extra,
    }


def test_adding_a_diagnosis_returns_to_the_patients_page(therapist_client, patient, therapist):
    response = therapist_client.post(
        reverse("admin:patients_diagnosis_add"), diagnosis_form(patient, therapist)
    )
    assert response.status_code == 302
    assert response.url == patient_page(patient)
    assert Diagnosis.objects.filter(patient=patient).exists()


def test_changing_a_diagnosis_returns_to_the_patients_page(therapist_client, diagnosis, patient):
    url = reverse("admin:patients_diagnosis_change", args=[diagnosis.pk])
    data = {**change_form_data(therapist_client.get(url)), "notes": "Better on extension."}
    response = therapist_client.post(url, data)
    assert response.status_code == 302
    assert response.url == patient_page(patient)
    diagnosis.refresh_from_db()
    assert diagnosis.notes == "Better on extension."


def test_save_and_continue_or_add_another_keeps_djangos_destination(
    therapist_client, patient, therapist
):
    add = reverse("admin:patients_diagnosis_add")
    kept = therapist_client.post(add, {**diagnosis_form(patient, therapist), "_continue": "1"})
    diagnosis = Diagnosis.objects.get(patient=patient)
    assert kept.url == reverse("admin:patients_diagnosis_change", args=[diagnosis.pk])
    another = therapist_client.post(add, {**diagnosis_form(patient, therapist), "_addanother": "1"})
    assert another.url == add


def test_a_red_flag_screen_returns_to_the_patients_page_unless_adding_another(
    therapist_client, patient
):
    add = reverse("admin:patients_redflagscreening_add")
    response = therapist_client.post(add, {"patient": patient.pk})
    assert response.status_code == 302
    assert response.url == patient_page(patient)
    another = therapist_client.post(add, {"patient": patient.pk, "_addanother": "1"})
    assert another.url == add
    assert RedFlagScreening.objects.filter(patient=patient).count() == 2
