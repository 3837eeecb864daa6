"""Staff /patients/: what other clinics, patients and roles are refused, and bad input."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from patients.models import Patient, PatientInvite
from tests.patients.patients_api import PATIENTS, detail, new_patient, put_on_hold

pytestmark = pytest.mark.django_db

ACTIVATE = "/api/v1/auth/activate/"
TOKEN = "/api/v1/auth/token/"


# Roles and tenancy


def test_front_desk_may_not_clear_a_hold(front_desk_api, patient):
    put_on_hold(patient)
    response = front_desk_api.post(f"{detail(patient)}clear-hold/", {"note": "ok"})
    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.on_medical_hold


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"first_name": "Hijacked"}),
        ("put", "", new_patient()),
        ("delete", "", None),
        ("post", "status/", {"status": "archived"}),
        ("post", "invite/", None),
        ("post", "clear-hold/", {"note": "cleared"}),
    ],
)
def test_another_clinic_gets_404_on_every_patient_endpoint(
    other_therapist_api, patient, method, suffix, body
):
    put_on_hold(patient)
    response = getattr(other_therapist_api, method)(f"{detail(patient)}{suffix}", body)
    assert response.status_code == 404
    patient.refresh_from_db()
    assert patient.first_name == "Alex"
    assert patient.status == Patient.Status.ACTIVE
    assert patient.on_medical_hold
    assert not PatientInvite.objects.filter(patient=patient).exists()


def test_another_clinics_patients_never_appear_in_the_list(other_therapist_api, patient):
    body = other_therapist_api.get(PATIENTS, {"search": patient.last_name}).json()
    assert body["count"] == 0


def test_another_clinics_therapist_id_is_a_400_does_not_exist(therapist_api, other_therapist):
    response = therapist_api.post(PATIENTS, new_patient(primary_therapist=other_therapist.pk))
    assert response.status_code == 400
    assert "does not exist" in response.json()["errors"]["primary_therapist"][0]
    assert not Patient.objects.filter(mrn="MRN-7001").exists()


def test_another_clinics_therapist_is_refused_as_a_list_filter(therapist_api, other_therapist):
    response = therapist_api.get(PATIENTS, {"primary_therapist": other_therapist.pk})
    assert response.status_code == 400
    assert "primary_therapist" in response.json()["errors"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("post", ""), ("get", "{id}/"), ("patch", "{id}/"), ("post", "{id}/invite/")],
)
def test_a_patient_gets_403_on_staff_patient_endpoints(patient_api, patient, method, path):
    response = getattr(patient_api, method)(PATIENTS + path.format(id=patient.pk), {})
    assert response.status_code == 403


# Bad input


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": "1975-02-30"}, "date_of_birth"),
        ({"date_of_birth": "next tuesday"}, "date_of_birth"),
        ({"date_of_birth": 19750302}, "date_of_birth"),
        (
            {"date_of_birth": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
            "date_of_birth",
        ),
        ({"phone": "2025550143"}, "phone"),
        ({"phone": "+1 not a number"}, "phone"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"first_name": "Da\x00na"}, "first_name"),
        ({"mrn": ["a", "list"]}, "mrn"),
        ({"consent_sms": "perhaps"}, "consent_sms"),
        ({"quiet_hours_start": "25:00"}, "quiet_hours_start"),
        ({"primary_therapist": "abc"}, "primary_therapist"),
        ({"primary_therapist": 999999}, "primary_therapist"),
        ({"primary_therapist": 99999999999999999999}, "primary_therapist"),
        ({"primary_therapist": "99999999999999999999"}, "primary_therapist"),
        ({"primary_therapist": True}, "primary_therapist"),
        ({"primary_therapist": 1.0}, "primary_therapist"),
        ({"primary_therapist": {"id": 1}}, "primary_therapist"),
        ({"referral": "self"}, "referral"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(therapist_api, overrides, field):
    response = therapist_api.post(PATIENTS, new_patient(**overrides))
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Patient.objects.filter(mrn=new_patient(**overrides).get("mrn")).exists()


def test_a_duplicate_mrn_is_a_400_on_mrn(therapist_api, patient):
    response = therapist_api.post(PATIENTS, new_patient(mrn=patient.mrn))
    assert response.status_code == 400
    assert "mrn" in response.json()["errors"]
    assert Patient.objects.filter(mrn=patient.mrn).count() == 1


def test_the_same_mrn_is_fine_in_another_clinic(therapist_api, other_patient):
    response = therapist_api.post(PATIENTS, new_patient(mrn=other_patient.mrn))
    assert response.status_code == 201


@pytest.mark.parametrize(
    "params",
    [
        {"search": "a\x00b"},
        {"status": "gone"},
        {"cause": "\x00"},
        {"primary_therapist": "x"},
        {"primary_therapist": "99999999999999999999"},
    ],
)
def test_bad_list_parameters_are_a_400(therapist_api, params):
    assert therapist_api.get(PATIENTS, params).status_code == 400


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_an_out_of_range_id_is_a_404(therapist_api, pk):
    assert therapist_api.get(f"{PATIENTS}{pk}/").status_code == 404
