"""An archived patient's app login is closed: no new tokens, and the old ones refused."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from episodes.services import patient_archive, patient_discharge, patient_reactivate
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
ME = "/api/v1/me/"


def login(username: str = "patient.one"):
    return APIClient().post(TOKEN, {"username": username, "password": PASSWORD})


def me(access: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get(ME)


def test_an_archived_patient_cannot_log_in(patient, patient_user, therapist):
    patient_archive(patient=patient, actor=therapist.user)

    refused = login()
    assert refused.status_code == 401
    assert refused.json()["code"] == "no_active_account"
    assert "access" not in refused.json()


def test_an_archived_patients_tokens_stop_working(patient, patient_user, therapist):
    tokens = login().json()

    patient_archive(patient=patient, actor=therapist.user)

    refused = me(tokens["access"])
    assert refused.status_code == 401
    assert refused.json()["code"] == "user_inactive"
    refreshed = APIClient().post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert refreshed.status_code == 401
    assert "inactive" in refreshed.json()["detail"]


def test_a_discharged_patient_keeps_the_login(patient, patient_user, therapist):
    tokens = login().json()
    patient_discharge(patient=patient, actor=therapist.user)
    # Authenticated still: the patient endpoints answer a discharged patient 403.
    assert me(tokens["access"]).status_code == 403
    assert login().status_code == 200


def test_a_reactivated_patient_logs_in_again(patient, patient_user, therapist):
    patient_archive(patient=patient, actor=therapist.user)
    patient_reactivate(patient=patient, actor=therapist.user)

    tokens = login()
    assert tokens.status_code == 200
    assert me(tokens.json()["access"]).status_code == 200
