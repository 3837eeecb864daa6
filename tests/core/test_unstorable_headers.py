"""The 400 for text PostgreSQL cannot store goes out with the headers every other answer
carries: it is made after the security middlewares have had the request."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unstorable_text_refusal_in_the_api_carries_the_security_headers(therapist_api):
    response = therapist_api.get("/api/v1/patients/?search=a%00")

    assert response.status_code == 400
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"] == response.json()["request_id"]


def test_an_unstorable_text_refusal_outside_the_api_carries_the_security_headers(settings):
    settings.SMS_AUTH_TOKEN = "test-token"

    response = Client().post("/webhooks/sms/", {"MessageSid": "SM1", "Body": "hi\x00there"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
