"""The referral hold through the API: serious-pathology flags in staff screenings and the
patient's own report, and the referral outcome as an action on the patient."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import RecordAccess
from patients.models import ClinicalAlert, Patient, RedFlagScreening, ReferralOutcome
from patients.services import EMERGENCY_GUIDANCE, REFERRAL_GUIDANCE, red_flag_screen
from practice.models import Role
from tests.clients import bearer
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db

SCREENINGS = "/api/v1/screenings/"
SYMPTOMS = "/api/v1/me/symptoms/"
NO_FLAGS = dict.fromkeys([field for field, _ in RedFlagScreening.FLAGS], False)
SERIOUS = [field for field, _ in RedFlagScreening.SERIOUS_FLAGS]
OUTCOME = {"outcome": "cleared_to_treat", "physician_name": "Dr. Priya Shah", "note": "MRI clear."}


def outcome_url(patient) -> str:
    return f"/api/v1/patients/{patient.pk}/referral-outcome/"


def refer(patient, therapist, flag="history_of_cancer"):
    return red_flag_screen(patient=patient, flags={flag: True}, screened_by=therapist)


def fresh(patient) -> Patient:
    return Patient.objects.get(pk=patient.pk)


# Staff screenings


def test_a_staff_screen_with_a_serious_flag_starts_the_referral_hold(therapist_api, patient):
    body = {**NO_FLAGS, "patient": patient.pk, "significant_trauma": True}
    response = therapist_api.post(SCREENINGS, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["significant_trauma"] is True
    assert data["positive"] is False
    assert data["needs_referral"] is True
    assert data["positive_serious_flags"] == ["Significant trauma"]
    assert data["on_referral_hold"] is True
    assert data["on_medical_hold"] is False
    alert = ClinicalAlert.objects.get(patient=patient)
    assert alert.kind == ClinicalAlert.Kind.REFERRAL_NEEDED
    assert alert.severity == ClinicalAlert.Severity.ROUTINE


def test_a_staff_screen_without_the_serious_flags_records_them_as_no(therapist_api, patient):
    response = therapist_api.post(SCREENINGS, {**NO_FLAGS, "patient": patient.pk})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert all(data[flag] is False for flag in SERIOUS)
    assert data["needs_referral"] is False
    assert not fresh(patient).on_referral_hold


@pytest.mark.parametrize(("born", "over"), [("1960-01-01", True), ("1990-01-01", False)])
def test_a_screening_says_whether_the_patient_is_over_50(
    therapist_api, clinic, therapist, born, over
):
    patient = make_patient(clinic=clinic, date_of_birth=datetime.date.fromisoformat(born))
    response = therapist_api.post(SCREENINGS, {**NO_FLAGS, "patient": patient.pk})
    assert response.json()["patient_over_50"] is over
    assert response.json()["over_50_with_new_episode"] is False  # the clinician answers


def test_a_serious_flag_that_is_not_a_boolean_is_a_400(therapist_api, patient):
    body = {**NO_FLAGS, "patient": patient.pk, "history_of_cancer": "perhaps"}
    response = therapist_api.post(SCREENINGS, body)
    assert response.status_code == 400
    assert "history_of_cancer" in response.json()["errors"]
    assert not RedFlagScreening.objects.exists()


def test_the_patient_list_shows_and_filters_the_referral_hold(therapist_api, patient, therapist):
    refer(patient, therapist)
    free = make_patient(clinic=patient.clinic, first_name="Free")
    body = therapist_api.get(f"/api/v1/patients/{patient.pk}/").json()
    assert body["on_referral_hold"] is True
    assert body["referral_hold_since"] is not None
    assert body["on_medical_hold"] is False
    held = therapist_api.get("/api/v1/patients/", {"on_referral_hold": "true"}).json()
    assert [row["id"] for row in held["results"]] == [patient.pk]
    others = therapist_api.get("/api/v1/patients/", {"on_referral_hold": "false"}).json()
    assert [row["id"] for row in others["results"]] == [free.pk]


# The patient's own report


def test_a_serious_answer_in_the_app_gets_no_emergency_text(patient_api, patient):
    response = patient_api.post(SYMPTOMS, {**NO_FLAGS, "unexplained_weight_loss": True})
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "positive": False,
        "emergency_guidance": None,
        "on_medical_hold": False,
        "needs_referral": True,
        "referral_guidance": REFERRAL_GUIDANCE,
        "on_referral_hold": True,
    }
    assert str(EMERGENCY_GUIDANCE) not in response.text
    patient = fresh(patient)
    assert patient.on_referral_hold
    assert not patient.on_medical_hold
    alert = ClinicalAlert.objects.get(patient=patient)
    assert alert.kind == ClinicalAlert.Kind.REFERRAL_NEEDED
    assert alert.severity == ClinicalAlert.Severity.ROUTINE


def test_an_emergency_answer_with_a_serious_one_gets_only_the_emergency_text(patient_api, patient):
    body = {**NO_FLAGS, "foot_drop": True, "fever_or_recent_infection": True}
    data = patient_api.post(SYMPTOMS, body).json()
    assert data["emergency_guidance"] == EMERGENCY_GUIDANCE
    assert data["referral_guidance"] is None
    assert data["needs_referral"] is True
    assert data["on_medical_hold"] is True
    assert data["on_referral_hold"] is True


def test_an_app_that_does_not_ask_the_serious_questions_still_reports(patient_api, patient):
    response = patient_api.post(SYMPTOMS, NO_FLAGS)
    assert response.status_code == 201
    screening = RedFlagScreening.objects.get(patient=patient)
    assert not screening.needs_referral


def test_a_bad_serious_answer_in_the_app_is_a_400(patient_api, patient):
    response = patient_api.post(SYMPTOMS, {**NO_FLAGS, "constant_night_pain": "often"})
    assert response.status_code == 400
    assert "constant_night_pain" in response.json()["errors"]
    assert not RedFlagScreening.objects.exists()


# The referral outcome


def test_cleared_to_treat_lifts_the_hold(therapist_api, patient, therapist):
    screening = refer(patient, therapist)
    response = therapist_api.post(outcome_url(patient), OUTCOME)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["patient"] == patient.pk
    assert body["screening"] == screening.pk
    assert body["outcome"] == "cleared_to_treat"
    assert body["physician_name"] == "Dr. Priya Shah"
    assert body["note"] == "MRI clear."
    assert body["recorded_by"] == therapist.pk
    assert body["recorded_by_name"] == str(therapist)
    assert body["on_referral_hold"] is False
    assert not fresh(patient).on_referral_hold
    alert = ClinicalAlert.objects.get(patient=patient)
    assert alert.resolution_note == "MRI clear."
    assert RecordAccess.objects.filter(
        patient_id=patient.pk, user=therapist.user, action=RecordAccess.Action.CHANGE
    ).exists()


def test_not_cleared_is_recorded_and_keeps_the_hold(therapist_api, patient, therapist):
    refer(patient, therapist)
    response = therapist_api.post(outcome_url(patient), {**OUTCOME, "outcome": "not_cleared"})
    assert response.status_code == 201, response.json()
    assert response.json()["on_referral_hold"] is True
    assert fresh(patient).on_referral_hold
    assert ReferralOutcome.objects.get().outcome == ReferralOutcome.Outcome.NOT_CLEARED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**OUTCOME, "outcome": "maybe"}, "outcome"),
        ({**OUTCOME, "note": "   "}, "note"),
        ({k: v for k, v in OUTCOME.items() if k != "physician_name"}, "physician_name"),
        ({**OUTCOME, "physician_name": "x" * 201}, "physician_name"),
    ],
)
def test_a_bad_outcome_is_a_400_naming_the_field(therapist_api, patient, therapist, body, field):
    refer(patient, therapist)
    response = therapist_api.post(outcome_url(patient), body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ReferralOutcome.objects.exists()
    assert fresh(patient).on_referral_hold


def test_an_outcome_for_a_patient_not_on_referral_hold_is_a_400(therapist_api, patient):
    response = therapist_api.post(outcome_url(patient), OUTCOME)
    assert response.status_code == 400
    assert "not on a referral hold" in str(response.json())


def test_another_clinics_patient_answers_404(other_therapist_api, patient, therapist):
    refer(patient, therapist)
    response = other_therapist_api.post(outcome_url(patient), OUTCOME)
    assert response.status_code == 404
    assert "Rivera" not in response.text
    assert fresh(patient).on_referral_hold
    assert not ReferralOutcome.objects.exists()


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.ATHLETIC_TRAINER, Role.CLINIC_ADMIN])
def test_roles_that_cannot_clear_holds_get_403(clinic, patient, therapist, role):
    refer(patient, therapist)
    staff = make_staff(clinic=clinic, role=role)
    response = bearer(staff.user).post(outcome_url(patient), OUTCOME)
    assert response.status_code == 403
    assert fresh(patient).on_referral_hold
    assert not ReferralOutcome.objects.exists()


def test_a_patient_gets_403(patient_api, patient, therapist):
    refer(patient, therapist)
    assert patient_api.post(outcome_url(patient), OUTCOME).status_code == 403


def test_the_schema_documents_the_referral_outcome_action(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/patients/{id}/referral-outcome/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/ReferralOutcomeRequest")
    assert "201" in operation["responses"]
    request = schema["components"]["schemas"]["ReferralOutcomeRequest"]
    assert set(request["required"]) == {"outcome", "physician_name", "note"}


def test_the_screening_list_costs_the_same_queries_for_one_or_fifty(
    therapist_api, patient, therapist, clinic
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert therapist_api.get(SCREENINGS, {"page_size": 100}).status_code == 200
        return len(captured.captured_queries)

    refer(patient, therapist)
    one = queries()
    for _ in range(49):
        refer(make_patient(clinic=clinic), therapist, "constant_night_pain")
    assert queries() == one
