"""/me/symptoms/: a patient reports red-flag symptoms from the app."""

from __future__ import annotations

import pytest

from patients.models import ClinicalAlert, RedFlagScreening
from patients.services import EMERGENCY_GUIDANCE

pytestmark = pytest.mark.django_db

SYMPTOMS = "/api/v1/me/symptoms/"
NO_FLAGS = {
    "progressive_weakness": False,
    "foot_drop": False,
    "bowel_bladder_dysfunction": False,
    "saddle_numbness": False,
    "bilateral_symptoms": False,
}


def test_a_positive_report_holds_the_patient_and_raises_one_urgent_alert(patient_api, patient):
    response = patient_api.post(SYMPTOMS, {**NO_FLAGS, "saddle_numbness": True, "notes": "since"})

    assert response.status_code == 201
    assert response.json() == {
        "positive": True,
        "emergency_guidance": EMERGENCY_GUIDANCE,
        "on_medical_hold": True,
        "needs_referral": False,
        "referral_guidance": None,
        "on_referral_hold": False,
    }
    patient.refresh_from_db()
    assert patient.on_medical_hold
    alert = ClinicalAlert.objects.get(patient=patient)
    assert alert.severity == ClinicalAlert.Severity.URGENT
    assert alert.kind == ClinicalAlert.Kind.RED_FLAG
    screening = RedFlagScreening.objects.get(patient=patient)
    assert screening.source == RedFlagScreening.Source.PATIENT_REPORT
    assert screening.screened_by is None
    assert screening.history.first().history_user.username == "patient.one"


def test_a_negative_report_gives_no_guidance_and_no_hold(patient_api, patient):
    response = patient_api.post(SYMPTOMS, NO_FLAGS)
    assert response.status_code == 201
    assert response.json() == {
        "positive": False,
        "emergency_guidance": None,
        "on_medical_hold": False,
        "needs_referral": False,
        "referral_guidance": None,
        "on_referral_hold": False,
    }
    assert not ClinicalAlert.objects.exists()
    assert RedFlagScreening.objects.filter(patient=patient).count() == 1


def test_a_report_only_touches_the_callers_record(same_clinic_patient_api, patient):
    same_clinic_patient_api.post(SYMPTOMS, {**NO_FLAGS, "foot_drop": True})
    patient.refresh_from_db()
    assert not patient.on_medical_hold
    assert not RedFlagScreening.objects.filter(patient=patient).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NO_FLAGS, "foot_drop": "sometimes"}, "foot_drop"),
        ({**NO_FLAGS, "saddle_numbness": None}, "saddle_numbness"),
        ({**NO_FLAGS, "notes": "a\x00b"}, "notes"),
    ],
)
def test_a_bad_symptom_report_is_a_400_and_records_nothing(patient_api, body, field):
    response = patient_api.post(SYMPTOMS, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not RedFlagScreening.objects.exists()


def test_foot_drop_reported_alone_holds_the_patient(patient_api, patient):
    # The app may send only the answer the patient gave: a yes is never lost to a 400.
    response = patient_api.post(SYMPTOMS, {"foot_drop": True}, format="json")

    assert response.status_code == 201
    assert response.json()["emergency_guidance"] == EMERGENCY_GUIDANCE
    patient.refresh_from_db()
    assert patient.on_medical_hold
    screening = RedFlagScreening.objects.get(patient=patient)
    assert screening.foot_drop
    assert not screening.saddle_numbness


@pytest.mark.parametrize("body", [{}, {"notes": "my back hurts"}, {"unknown": True}])
def test_a_symptom_report_that_answers_nothing_is_a_400(patient_api, body):
    response = patient_api.post(SYMPTOMS, body, format="json")

    assert response.status_code == 400
    assert "Answer at least one question" in str(response.json())
    assert not RedFlagScreening.objects.exists()


def test_a_malformed_body_is_a_400(patient_api):
    response = patient_api.generic("POST", SYMPTOMS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert not RedFlagScreening.objects.exists()
