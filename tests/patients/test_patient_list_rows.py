"""The staff patient list's rows (plain dicts, patients.api.rows) are exactly what
PatientSerializer answers for the same patient, whatever the record holds."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from patients.api.rows import patient_row
from patients.api.serializers import PatientSerializer
from patients.models import Patient, Side
from tests.factories import (
    make_diagnosis,
    make_patient,
    make_patient_user,
    make_record_invalid,
    make_referral_outcome,
    make_screening,
)

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients/"


@pytest.fixture
def varied_patients(clinic, therapist) -> list[Patient]:
    """Patients whose records fill every field differently."""
    full = make_patient(
        clinic=clinic,
        primary_therapist=therapist,
        last_name="Adams",
        referral=Patient.Referral.PHYSICIAN,
        referring_physician="Dr. Okafor",
        referral_date=datetime.date(2025, 1, 2),
        consent_sms=True,
    )
    make_patient_user(full, username="patient.adams")
    make_diagnosis(patient=full, diagnosed_by=therapist, onset_days_ago=3)
    make_diagnosis(
        patient=full,
        diagnosed_by=therapist,
        side=Side.BILATERAL,
        icd10_code="M54.32",
        secondary_icd10_codes=["M54.31"],
        onset_days_ago=200,
    )
    bare = make_patient(clinic=clinic, last_name="Baker", phone="")
    held = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Chen")
    make_screening(patient=held, screened_by=therapist, flags={"saddle_numbness": True})
    referred = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Diaz")
    make_referral_outcome(patient=referred, recorded_by=therapist)
    legacy = make_record_invalid(
        make_patient(clinic=clinic, primary_therapist=therapist, last_name="Evans")
    )
    return [full, bare, held, referred, legacy]


def _list_and_details(api) -> tuple[list[dict], list[dict]]:
    response = api.get(PATIENTS, {"page_size": 100})
    assert response.status_code == 200, response.json()
    rows = response.json()["results"]
    details = [api.get(f"{PATIENTS}{row['id']}/").json() for row in rows]
    return rows, details


def test_each_list_row_is_what_the_serializer_answers_for_the_patient(
    therapist_api, varied_patients
):
    rows, details = _list_and_details(therapist_api)

    assert [row["id"] for row in rows] == [p.pk for p in varied_patients]
    assert rows == details
    latest = rows[0]["latest_diagnosis"]
    assert (latest["secondary_icd10_codes"], latest["chronicity"]) == (["M54.31"], "chronic")
    assert rows[1]["latest_diagnosis"] is None
    assert rows[2]["on_medical_hold"] is True
    assert rows[3]["on_referral_hold"] is True


def test_rows_for_a_role_that_reads_no_diagnosis_leave_it_out_as_the_serializer_does(
    front_desk_api, varied_patients
):
    rows, details = _list_and_details(front_desk_api)

    assert rows == details
    assert all("latest_diagnosis" not in row for row in rows)


def test_a_row_equals_the_serializer_for_a_patient_read_without_the_lists_prefetch(
    therapist, varied_patients
):
    request = APIRequestFactory().get(PATIENTS)
    force_authenticate(request, user=therapist.user)
    context = {"request": Request(request)}
    for patient in Patient.objects.filter(pk__in=[p.pk for p in varied_patients]):
        expected = PatientSerializer(patient, context=context).data

        assert patient_row(patient, with_diagnosis=True) == expected


def test_list_rows_keep_the_serializers_key_order(therapist_api, varied_patients):
    # Clients that compare answers as text see no change.
    response = therapist_api.get(PATIENTS, {"page_size": 1})

    row = response.json()["results"][0]
    assert list(row) == list(PatientSerializer().fields)
