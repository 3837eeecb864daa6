"""GET /me/program/ while the patient is on hold: the app says so, with the guidance,
and today is no exercise day and lists no exercises."""

from __future__ import annotations

import pytest

from patients import services as patient_services
from patients.models import ReferralOutcome
from patients.services import EMERGENCY_GUIDANCE, REFERRAL_GUIDANCE
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/program/"


@pytest.fixture
def program(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)  # every day


def _hold_fields(body: dict) -> tuple:
    return (body["on_hold"], body["hold_kind"], body["hold_guidance"])


def test_my_program_is_an_exercise_day_without_a_hold(patient_api, program):
    body = patient_api.get(URL).json()

    assert _hold_fields(body) == (False, None, None)
    assert _hold_fields(body["today"]) == (False, None, None)
    assert body["today"]["is_exercise_day"] is True
    assert body["today"]["exercises"]


def test_my_program_under_a_medical_hold_says_so_and_plans_no_exercise(
    patient_api, patient, program
):
    patient_services.red_flag_screen(patient=patient, flags={"saddle_numbness": True})

    body = patient_api.get(URL).json()

    assert _hold_fields(body) == (True, "medical", EMERGENCY_GUIDANCE)
    assert _hold_fields(body["today"]) == (True, "medical", EMERGENCY_GUIDANCE)
    assert body["today"]["is_scheduled_day"] is True
    assert body["today"]["is_exercise_day"] is False
    assert body["today"]["exercises"] == []
    assert body["exercises"]  # the program itself is still shown


def test_my_program_under_a_referral_hold_says_see_a_physician(patient_api, patient, program):
    patient_services.red_flag_screen(patient=patient, flags={"unexplained_weight_loss": True})

    body = patient_api.get(URL).json()

    assert _hold_fields(body["today"]) == (True, "referral", REFERRAL_GUIDANCE)
    assert _hold_fields(body) == (True, "referral", REFERRAL_GUIDANCE)
    assert body["today"]["is_exercise_day"] is False
    assert body["today"]["exercises"] == []


def test_both_holds_show_the_medical_one(patient_api, patient, program):
    patient_services.red_flag_screen(
        patient=patient, flags={"foot_drop": True, "history_of_cancer": True}
    )

    assert _hold_fields(patient_api.get(URL).json()["today"])[1] == "medical"


def test_a_lifted_hold_brings_today_back(patient_api, patient, program, therapist):
    patient_services.red_flag_screen(patient=patient, flags={"constant_night_pain": True})
    patient_services.referral_outcome_record(
        patient=patient,
        recorded_by=therapist,
        outcome=ReferralOutcome.Outcome.CLEARED_TO_TREAT,
        physician_name="Dr Okafor",
        note="Mechanical back pain; treat.",
    )

    today = patient_api.get(URL).json()["today"]

    assert _hold_fields(today) == (False, None, None)
    assert today["is_exercise_day"] is True
    assert today["exercises"]
