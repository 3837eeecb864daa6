"""The patient's own profile says which hold they are on, the referral hold included:
an app reading /me/ alone must not tell a patient waiting for a doctor's check that
nothing stops their exercises."""

from __future__ import annotations

import pytest

from patients import services
from tests.clients import bearer
from tests.factories import make_patient_user

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def _profile(patient) -> dict:
    return bearer(make_patient_user(patient).user).get(ME).json()


def test_a_serious_pathology_flag_shows_as_a_referral_hold_on_the_profile(patient, therapist):
    services.red_flag_screen(
        patient=patient, flags={"history_of_cancer": True}, screened_by=therapist
    )

    body = _profile(patient)

    assert body["on_referral_hold"] is True
    assert body["on_medical_hold"] is False


def test_an_emergency_flag_shows_as_a_medical_hold_only(patient):
    services.red_flag_screen(patient=patient, flags={"foot_drop": True})

    body = _profile(patient)

    assert body["on_medical_hold"] is True
    assert body["on_referral_hold"] is False


def test_no_hold_shows_as_neither(patient):
    body = _profile(patient)

    assert (body["on_medical_hold"], body["on_referral_hold"]) == (False, False)


def test_the_hold_cannot_be_lifted_through_the_profile(patient, therapist):
    services.red_flag_screen(
        patient=patient, flags={"history_of_cancer": True}, screened_by=therapist
    )
    api = bearer(make_patient_user(patient).user)

    response = api.patch(ME, {"on_referral_hold": False}, format="json")

    assert response.status_code == 200
    assert response.json()["on_referral_hold"] is True
    patient.refresh_from_db()
    assert patient.on_referral_hold
