"""Staff /diagnoses/: a primary and up to three secondary ICD-10-CM codes, checked together."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from patients.models import Cause, Diagnosis, Side

pytestmark = pytest.mark.django_db

DIAGNOSES = "/api/v1/diagnoses/"


def new_diagnosis(patient, **overrides) -> dict:
    return {
        "patient": patient.pk,
        "cause": "spinal_stenosis",
        "side": "bilateral",
        "icd10_code": "M48.062",
        "secondary_icd10_codes": ["M54.41", "M54.42"],
        "onset_date": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
        **overrides,
    }


def test_secondary_codes_round_trip_normalized(therapist_api, patient):
    body = new_diagnosis(patient, secondary_icd10_codes=["m5441", " M54.42 "])
    response = therapist_api.post(DIAGNOSES, body)

    assert response.status_code == 201, response.json()
    assert response.json()["secondary_icd10_codes"] == ["M54.41", "M54.42"]
    diagnosis = Diagnosis.objects.get(pk=response.json()["id"])
    assert diagnosis.secondary_icd10_codes == ["M54.41", "M54.42"]
    detail = therapist_api.get(f"{DIAGNOSES}{diagnosis.pk}/").json()
    assert (detail["icd10_code"], detail["secondary_icd10_codes"]) == (
        "M48.062",
        ["M54.41", "M54.42"],
    )
    listed = therapist_api.get(DIAGNOSES).json()["results"]
    assert [row["secondary_icd10_codes"] for row in listed] == [["M54.41", "M54.42"]]


def test_the_patient_list_shows_the_latest_diagnosis_with_its_secondary_codes(
    therapist_api, patient
):
    assert therapist_api.post(DIAGNOSES, new_diagnosis(patient)).status_code == 201
    row = therapist_api.get(f"/api/v1/patients/{patient.pk}/").json()
    assert row["latest_diagnosis"]["secondary_icd10_codes"] == ["M54.41", "M54.42"]


def test_leaving_the_secondary_codes_out_records_the_primary_alone(therapist_api, patient):
    body = new_diagnosis(patient, side="left", icd10_code="M48.061")
    del body["secondary_icd10_codes"]
    response = therapist_api.post(DIAGNOSES, body)
    assert response.status_code == 201, response.json()
    assert response.json()["secondary_icd10_codes"] == []


def test_an_excludes1_pair_is_a_400_naming_the_code_to_use(therapist_api, patient):
    body = new_diagnosis(
        patient,
        cause="herniated_disc",
        side="right",
        icd10_code="M54.41",
        secondary_icd10_codes=["M51.16"],
    )
    response = therapist_api.post(DIAGNOSES, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "secondary_icd10_codes": [
            "M54.41 is not coded with M51.16 (Excludes1): the disc disorder with radiculopathy "
            "already includes the sciatica; code M51.16 alone."
        ]
    }
    assert not Diagnosis.objects.exists()


def test_bilateral_sciatica_needs_both_sides(therapist_api, patient):
    body = new_diagnosis(patient, cause="other", icd10_code="M54.32", secondary_icd10_codes=[])
    response = therapist_api.post(DIAGNOSES, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "secondary_icd10_codes": ["Bilateral sciatica is coded as M54.31 with M54.32; add M54.31."]
    }


def test_unspecified_side_sciatica_for_both_legs_is_a_400_on_the_primary(therapist_api, patient):
    body = new_diagnosis(patient, cause="other", icd10_code="M54.30", secondary_icd10_codes=[])
    response = therapist_api.post(DIAGNOSES, body)
    assert response.status_code == 400
    assert "coded as M54.31 with M54.32" in response.json()["errors"]["icd10_code"][0]


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ("M54.41", 'Expected a list of items but got type "str".'),
        ({"code": "M54.41"}, 'Expected a list of items but got type "dict".'),
        (None, "This field may not be null."),
        (
            ["M54.41", "M54.42", "M54.16", "M54.17"],
            "Ensure this field has no more than 3 elements.",
        ),
    ],
)
def test_secondary_codes_of_the_wrong_shape_are_a_400(therapist_api, patient, codes, message):
    response = therapist_api.post(DIAGNOSES, new_diagnosis(patient, secondary_icd10_codes=codes))
    assert response.status_code == 400
    assert response.json()["errors"] == {"secondary_icd10_codes": [message]}
    assert not Diagnosis.objects.exists()


@pytest.mark.parametrize("item", [5441, 54.41, True, None, ["M54.41"], {"code": "M54.41"}])
def test_a_secondary_code_that_is_not_a_string_is_a_400(therapist_api, patient, item):
    body = new_diagnosis(patient, secondary_icd10_codes=[item, "M54.42"])
    response = therapist_api.post(DIAGNOSES, body)
    assert response.status_code == 400
    errors = response.json()["errors"]["secondary_icd10_codes"]
    not_a_string = 'Send each code as a string, e.g. "M54.32".'
    assert errors["0"] == ["This field may not be null." if item is None else not_a_string]
    assert not Diagnosis.objects.exists()


@pytest.mark.parametrize("item", ["", "M54.41\x00", "M" * 17])
def test_a_blank_or_malformed_secondary_code_is_a_400(therapist_api, patient, item):
    response = therapist_api.post(DIAGNOSES, new_diagnosis(patient, secondary_icd10_codes=[item]))
    assert response.status_code == 400
    assert "secondary_icd10_codes" in response.json()["errors"]
    assert not Diagnosis.objects.exists()


def test_the_schema_documents_secondary_codes_as_up_to_three_strings(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    components = response.json()["components"]["schemas"]
    for name in ("Diagnosis", "DiagnosisRequest"):
        field = components[name]["properties"]["secondary_icd10_codes"]
        assert field["type"] == "array"
        assert field["items"]["type"] == "string"
        assert field["maxItems"] == 3
        assert "M54.31 with M54.32" in field["description"]
    summary = components["DiagnosisSummary"]["properties"]["secondary_icd10_codes"]
    assert summary["type"] == "array"


def test_diagnoses_stored_under_older_rules_still_display(therapist_api, patient, therapist):
    """Rows from before these checks: refused codes and secondary codes in odd shapes."""
    onset = datetime.date(2025, 1, 6)
    stored = [
        Diagnosis.objects.create(
            patient=patient,
            cause=Cause.OTHER,
            side=Side.BILATERAL,
            icd10_code="M54.30",
            secondary_icd10_codes="M54.40",
            onset_date=onset,
            diagnosed_by=therapist,
        ),
        Diagnosis.objects.create(
            patient=patient,
            cause=Cause.DEGENERATIVE_DISC_DISEASE,
            side=Side.RIGHT,
            icd10_code="M51.36",
            secondary_icd10_codes=["M54.41", 5116, None],
            onset_date=onset,
            diagnosed_by=therapist,
        ),
    ]
    listed = therapist_api.get(DIAGNOSES)
    assert listed.status_code == 200
    by_id = {row["id"]: row for row in listed.json()["results"]}
    assert by_id[stored[0].pk]["secondary_icd10_codes"] == ["M54.40"]
    assert by_id[stored[1].pk]["secondary_icd10_codes"] == ["M54.41", "5116"]
    for diagnosis in stored:
        detail = therapist_api.get(f"{DIAGNOSES}{diagnosis.pk}/")
        assert detail.status_code == 200
        assert detail.json()["icd10_code"] == diagnosis.icd10_code
    assert therapist_api.get("/api/v1/patients/").status_code == 200
    assert therapist_api.get(f"/api/v1/patients/{patient.pk}/").status_code == 200
