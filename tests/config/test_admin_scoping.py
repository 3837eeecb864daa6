"""The admin shows a staff member their own clinic only; other clinics' rows are 404."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients import services as patient_services
from tests.factories import make_diagnosis, make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def test_patient_list_shows_only_the_own_clinics_patients(therapist_client, patient, other_patient):
    response = therapist_client.get(reverse("admin:patients_patient_changelist"))
    assert response.status_code == 200
    assert patient.mrn in response.text
    assert other_patient.mrn not in response.text


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:patients_patient_change",
        "admin:patients_patient_history",
        "admin:patients_patient_clear_hold",
    ],
)
def test_another_clinics_patient_is_not_found_by_url(therapist_client, other_patient, url_name):
    response = therapist_client.get(reverse(url_name, args=[other_patient.pk]))
    assert response.status_code == 404


def test_another_clinics_diagnosis_is_not_found_by_url(
    therapist_client, other_patient, other_therapist
):
    diagnosis = make_diagnosis(patient=other_patient, diagnosed_by=other_therapist)
    url = reverse("admin:patients_diagnosis_change", args=[diagnosis.pk])
    assert therapist_client.get(url).status_code == 404


def test_own_patient_page_shows_the_clinical_record(therapist_client, patient, diagnosis):
    response = therapist_client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert response.status_code == 200
    assert "M51.16" in response.text
    assert "Prescribe program" in response.text


def test_drop_downs_offer_only_the_own_clinics_staff(therapist_client, therapist, other_therapist):
    response = therapist_client.get(reverse("admin:patients_patient_add"))
    assert response.status_code == 200
    assert str(therapist) in response.text
    assert str(other_therapist) not in response.text


def test_patients_are_never_deleted_from_the_admin(therapist_client, patient):
    response = therapist_client.get(reverse("admin:patients_patient_delete", args=[patient.pk]))
    assert response.status_code == 403
    assert patient.__class__.objects.filter(pk=patient.pk).exists()


def test_patient_search_finds_by_mrn_and_name(therapist_client, clinic, patient):
    make_patient(clinic=clinic, first_name="Jordan", last_name="Okafor")
    url = reverse("admin:patients_patient_changelist")
    by_mrn = therapist_client.get(url, {"q": patient.mrn})
    assert patient.mrn in by_mrn.text
    assert "Okafor" not in by_mrn.text
    by_name = therapist_client.get(url, {"q": "okafor"})
    assert "Okafor" in by_name.text
    assert patient.mrn not in by_name.text


def test_patient_filters_by_cause_and_medical_hold(therapist_client, clinic, therapist, patient):
    make_diagnosis(patient=patient, diagnosed_by=therapist)
    held = make_patient(clinic=clinic, last_name="Heldman")
    patient_services.red_flag_screen(patient=held, flags={"foot_drop": True}, screened_by=therapist)
    url = reverse("admin:patients_patient_changelist")

    herniated = therapist_client.get(url, {"cause": "herniated_disc"})
    assert patient.mrn in herniated.text
    assert held.mrn not in herniated.text
    on_hold = therapist_client.get(url, {"on_hold": "yes"})
    assert held.mrn in on_hold.text
    assert patient.mrn not in on_hold.text
    # A warning beside the held patient, never the admin's green "yes" tick.
    assert "icon-alert.svg" in on_hold.text
    assert "Medical hold" in on_hold.text
    assert "icon-yes.svg" not in on_hold.text
    everyone = therapist_client.get(url).text
    assert everyone.count("icon-alert.svg") == 1


def test_patient_list_runs_the_same_queries_for_one_patient_as_for_twenty(
    therapist_client, clinic, therapist
):
    url = reverse("admin:patients_patient_changelist")
    make_diagnosis(
        patient=make_patient(clinic=clinic, primary_therapist=therapist), diagnosed_by=therapist
    )
    therapist_client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        therapist_client.get(url)
    for _ in range(19):
        make_diagnosis(
            patient=make_patient(clinic=clinic, primary_therapist=therapist), diagnosed_by=therapist
        )
    with CaptureQueriesContext(connection) as twenty:
        response = therapist_client.get(url)
    assert response.context["cl"].result_count == 20
    assert len(twenty) == len(one)
