"""Patient: MRN, name, birth date, telecom, language, primary therapist."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.patient import Patient as FhirPatient

from interop.fhir import systems
from interop.fhir.resources import patient as patient_resource
from patients.models import Patient
from practice.models import StaffMember
from tests.factories.patients import LEGACY_PHONE, make_patient

pytestmark = pytest.mark.django_db

NPI = "1234567893"  # passes the NPI check digit


def _render(patient: Patient) -> dict:
    row = patient_resource.rows(patient.clinic).get(pk=patient.pk)
    resource = patient_resource.render(row)
    FhirPatient.model_validate(resource)
    return resource


def test_patient_carries_the_mrn_in_the_clinics_system_typed_mr(patient):
    resource = _render(patient)

    assert resource["id"] == str(patient.pk)
    [identifier] = resource["identifier"]
    assert identifier["system"] == systems.mrn_system(patient.clinic)
    assert identifier["system"].endswith("/clinic/demo-spine/mrn")
    assert identifier["value"] == patient.mrn
    assert identifier["type"]["coding"] == [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
            "code": "MR",
            "display": "Medical record number",
        }
    ]


def test_patient_has_name_birth_date_phone_and_email(patient):
    resource = _render(patient)

    assert resource["name"][0]["family"] == "Rivera"
    assert resource["name"][0]["given"] == ["Alex"]
    assert resource["birthDate"] == "1980-05-17"
    assert resource["telecom"] == [
        {"system": "phone", "value": "+12025550123"},
        {"system": "email", "value": "alex@example.com"},
    ]
    assert resource["active"] is True
    assert "meta" not in resource


def test_patient_language_is_a_preferred_bcp47_communication(clinic):
    patient = make_patient(clinic=clinic, language="es")

    [communication] = _render(patient)["communication"]

    assert communication["preferred"] is True
    assert communication["language"]["coding"] == [
        {"system": "urn:ietf:bcp:47", "code": "es", "display": "Spanish"}
    ]


def test_primary_therapist_is_a_display_reference_with_the_npi(patient, therapist):
    StaffMember.objects.filter(pk=therapist.pk).update(npi=NPI)

    [practitioner] = _render(patient)["generalPractitioner"]

    assert "reference" not in practitioner
    assert practitioner["display"] == "Sam One, PT, DPT"
    assert practitioner["identifier"] == {"system": "http://hl7.org/fhir/sid/us-npi", "value": NPI}


def test_primary_therapist_without_an_npi_has_only_a_display(patient):
    [practitioner] = _render(patient)["generalPractitioner"]

    assert practitioner == {"display": "Sam One, PT, DPT"}


def test_a_patient_without_contact_language_or_therapist_leaves_them_out(clinic):
    patient = make_patient(clinic=clinic, email="", phone="")

    resource = _render(patient)

    assert "telecom" not in resource
    assert "communication" not in resource
    assert "generalPractitioner" not in resource


def test_a_phone_stored_before_validation_goes_out_as_stored(patient):
    Patient.objects.filter(pk=patient.pk).update(phone=LEGACY_PHONE)

    assert _render(patient)["telecom"][0] == {"system": "phone", "value": LEGACY_PHONE}


@pytest.mark.parametrize(
    ("status", "active"),
    [
        (Patient.Status.ACTIVE, True),
        (Patient.Status.DISCHARGED, True),
        (Patient.Status.ARCHIVED, False),
    ],
)
def test_only_an_archived_record_is_inactive(patient, status, active):
    Patient.objects.filter(pk=patient.pk).update(status=status)

    assert _render(patient)["active"] is active


def test_rendering_a_page_costs_the_same_queries_for_one_patient_as_for_five(clinic, therapist):
    make_patient(clinic=clinic, primary_therapist=therapist)
    with CaptureQueriesContext(connection) as one:
        [patient_resource.render(row) for row in patient_resource.rows(clinic)]
    for _ in range(4):
        make_patient(clinic=clinic, primary_therapist=therapist)
    with CaptureQueriesContext(connection) as five:
        rendered = [patient_resource.render(row) for row in patient_resource.rows(clinic)]

    assert len(rendered) == 5
    assert len(five) == len(one) == 1
