"""Condition: the diagnosis's ICD-10-CM code, side, onset and clinical status."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.condition import Condition

from interop.fhir.resources import condition as condition_resource
from patients.models import Cause, Diagnosis, Patient, Side
from tests.factories.patients import make_diagnosis

pytestmark = pytest.mark.django_db

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"


def _render(diagnosis: Diagnosis) -> dict:
    row = condition_resource.rows(diagnosis.patient.clinic).get(pk=diagnosis.pk)
    resource = condition_resource.render(row)
    Condition.model_validate(resource)
    return resource


def test_condition_is_coded_in_icd10cm_with_the_tabular_title(diagnosis):
    resource = _render(diagnosis)

    assert resource["id"] == str(diagnosis.pk)
    assert resource["code"]["coding"] == [
        {
            "system": ICD10CM,
            "code": "M51.16",
            "display": "Intervertebral disc disorders with radiculopathy, lumbar region",
        }
    ]
    assert resource["code"]["text"] == "Sciatica: herniated disc"
    assert resource["subject"] == {"reference": f"Patient/{diagnosis.patient_id}"}


def test_condition_is_a_confirmed_encounter_diagnosis_recorded_by_the_clinician(diagnosis):
    resource = _render(diagnosis)

    assert resource["verificationStatus"]["coding"][0]["code"] == "confirmed"
    assert resource["category"][0]["coding"][0] == {
        "system": "http://terminology.hl7.org/CodeSystem/condition-category",
        "code": "encounter-diagnosis",
        "display": "Encounter Diagnosis",
    }
    assert resource["recorder"] == {"display": "Sam One, PT, DPT"}
    assert resource["onsetDateTime"] == diagnosis.onset_date.isoformat()
    assert resource["recordedDate"] == diagnosis.diagnosed_on.isoformat()
    assert "note" not in resource


@pytest.mark.parametrize(
    ("side", "code"),
    [(Side.LEFT, "7771000"), (Side.RIGHT, "24028007"), (Side.BILATERAL, "51440002")],
)
def test_side_is_a_snomed_laterality_body_site(patient, therapist, side, code):
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist, side=side)

    [site] = _render(diagnosis)["bodySite"]

    assert site["coding"][0]["system"] == SNOMED
    assert site["coding"][0]["code"] == code


@pytest.mark.parametrize(
    ("status", "clinical"),
    [
        (Patient.Status.ACTIVE, "active"),
        (Patient.Status.DISCHARGED, "resolved"),
        (Patient.Status.ARCHIVED, "resolved"),
    ],
)
def test_clinical_status_follows_whether_the_patient_is_in_care(diagnosis, status, clinical):
    Patient.objects.filter(pk=diagnosis.patient_id).update(status=status)

    coding = _render(diagnosis)["clinicalStatus"]["coding"][0]

    assert coding["system"] == "http://terminology.hl7.org/CodeSystem/condition-clinical"
    assert coding["code"] == clinical


def test_secondary_codes_are_a_note_not_further_codings(patient, therapist):
    diagnosis = make_diagnosis(
        patient=patient,
        diagnosed_by=therapist,
        cause=Cause.SPINAL_STENOSIS,
        side=Side.BILATERAL,
        icd10_code="M48.062",
        secondary_icd10_codes=["M54.31", "M54.32"],
    )

    resource = _render(diagnosis)

    assert [c["code"] for c in resource["code"]["coding"]] == ["M48.062"]
    assert resource["note"] == [
        {
            "text": "Secondary ICD-10-CM codes: M54.31 (Sciatica, right side); "
            "M54.32 (Sciatica, left side)."
        }
    ]


def test_a_code_the_practice_no_longer_lists_keeps_its_code_without_a_display(diagnosis):
    Diagnosis.objects.filter(pk=diagnosis.pk).update(
        icd10_code="M54.5", cause=Cause.OTHER, notes="Coded before 2021."
    )

    resource = _render(diagnosis)

    assert resource["code"]["coding"] == [{"system": ICD10CM, "code": "M54.5"}]
    assert resource["code"]["text"] == "Sciatica: other"
    assert resource["note"] == [{"text": "Coded before 2021."}]


def test_rendering_costs_the_same_queries_for_one_diagnosis_as_for_five(patient, therapist):
    make_diagnosis(patient=patient, diagnosed_by=therapist)
    clinic = patient.clinic
    with CaptureQueriesContext(connection) as one:
        [condition_resource.render(row) for row in condition_resource.rows(clinic)]
    for days in range(4):
        make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=20 + days)
    with CaptureQueriesContext(connection) as five:
        rendered = [condition_resource.render(row) for row in condition_resource.rows(clinic)]

    assert len(rendered) == 5
    assert len(five) == len(one) == 1
