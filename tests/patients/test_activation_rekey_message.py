"""Re-activating an existing login never tells the code's bearer its username."""

from __future__ import annotations

import pytest

from patients import services as patient_services
from tests.factories import make_patient_user

pytestmark = pytest.mark.django_db

ACTIVATE = "/api/v1/auth/activate/"


def test_re_activating_under_another_username_answers_without_naming_the_login(
    anon, patient, therapist
):
    make_patient_user(patient, username="alex.rivera")
    code = patient_services.patient_invite(patient=patient, invited_by=therapist).code

    response = anon.post(
        ACTIVATE,
        {"code": code, "username": "someone.else", "password": "a-long-fresh-password"},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["username"] == [
        "This invitation is for an existing login; use its username."
    ]
    assert "alex.rivera" not in response.content.decode().lower()
