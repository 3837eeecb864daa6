"""Text PostgreSQL cannot store, in a query string or a form post, is a 400 naming the
parameter on every kind of endpoint, before any filter, search or form reads it."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

NUL = "Must not contain a NUL character (\\u0000)."


def test_a_nul_in_an_api_list_filter_is_a_400_naming_the_filter(therapist_api):
    response = therapist_api.get("/api/v1/patients/?status=%00&page=1")

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["detail"]) == ("invalid", f"status: {NUL}")
    assert body["errors"] == {"status": [NUL]}
    assert body["request_id"] == response["X-Request-ID"]


def test_a_nul_in_a_parameter_name_is_named_without_echoing_it(patient_api):
    response = patient_api.get("/api/v1/me/sessions/?per%00formed=1")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["per\ufffdformed"]


def test_a_nul_in_a_later_value_of_a_repeated_parameter_is_refused(therapist_api):
    response = therapist_api.get("/api/v1/patients/?search=ok&search=b%00d")

    assert response.json()["errors"] == {"search": [NUL]}


def test_ordinary_parameters_pass(therapist_api, patient):
    response = therapist_api.get("/api/v1/patients/", {"search": "Überweisung ✓"})

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/webhooks/sms/", "/webhooks/sms/status/"])
def test_a_webhook_field_with_a_nul_is_a_400_naming_the_field(settings, path):
    settings.SMS_AUTH_TOKEN = "test-token"
    client = Client()
    form = "MessageSid=SM1&Body=hi%00there"

    as_twilio_posts = client.post(path, form, content_type="application/x-www-form-urlencoded")
    as_multipart = client.post(path, {"MessageSid": "SM1", "Body": "hi\x00there"})

    for response in (as_twilio_posts, as_multipart):
        assert response.status_code == 400
        assert response.content.decode() == f"Body: {NUL}"


def test_a_malformed_multipart_form_is_a_400(client):
    response = client.generic(
        "POST", "/webhooks/sms/", b"--x\r\nnot a part", content_type="multipart/form-data"
    )

    assert response.status_code == 400


def test_a_form_sent_to_the_api_is_still_refused_as_unsupported(therapist_api):
    response = therapist_api.post("/api/v1/patients/", {"mrn": "E-\x00"}, format="multipart")

    assert response.status_code == 415
