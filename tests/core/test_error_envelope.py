"""Every API answer that is not a success has one shape, whoever raised it: a serializer,
a service, the router, the JWT library, the throttle or an unhandled error."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from practice.api.auth import LoginIPThrottle
from tests.factories import make_patient

pytestmark = pytest.mark.django_db

ENVELOPE_KEYS = {"status", "code", "detail", "errors", "request_id"}
NEW_PATIENT = {
    "mrn": "E-1",
    "first_name": "Jo",
    "last_name": "Park",
    "date_of_birth": "1970-01-02",
    "time_zone": "America/Chicago",
}


def assert_envelope(response, status: int, code: str) -> dict:
    body = response.json()
    assert set(body) == ENVELOPE_KEYS
    assert body["status"] == response.status_code == status
    assert body["code"] == code
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_a_field_error_names_the_field_in_errors_and_in_the_one_line_detail(therapist_api):
    response = therapist_api.post("/api/v1/patients/", {**NEW_PATIENT, "mrn": ""})
    body = assert_envelope(response, 400, "invalid")
    assert list(body["errors"]) == ["mrn"]
    assert body["detail"] == f"mrn: {body['errors']['mrn'][0]}"


def test_a_service_refusal_is_the_same_400_keyed_by_field(therapist_api, clinic):
    make_patient(clinic=clinic, mrn="E-1")
    response = therapist_api.post("/api/v1/patients/", NEW_PATIENT)
    body = assert_envelope(response, 400, "invalid")
    assert body["errors"] == {"mrn": ["Another patient of this clinic has this MRN."]}
    assert body["detail"] == "mrn: Another patient of this clinic has this MRN."


def test_an_unrouted_api_url_is_the_envelope_with_not_found(therapist_api):
    body = assert_envelope(therapist_api.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert body == {**body, "detail": "Not found.", "errors": {}}


def test_another_clinics_record_is_a_404_envelope(therapist_api, other_clinic):
    other = make_patient(clinic=other_clinic)
    body = assert_envelope(therapist_api.get(f"/api/v1/patients/{other.pk}/"), 404, "not_found")
    assert body["errors"] == {}


def test_a_bad_access_token_is_the_jwt_librarys_code_in_the_envelope():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    body = assert_envelope(client.get("/api/v1/me/"), 401, "token_not_valid")
    assert body["detail"]
    assert "messages" not in body


def test_no_credentials_is_a_401_envelope():
    assert_envelope(APIClient().get("/api/v1/patients/"), 401, "not_authenticated")


def test_a_refused_delete_is_a_405_envelope_that_says_why(therapist_api, clinic):
    patient = make_patient(clinic=clinic)
    body = assert_envelope(
        therapist_api.delete(f"/api/v1/patients/{patient.pk}/"), 405, "method_not_allowed"
    )
    assert "never deleted" in body["detail"]


def test_a_throttled_login_is_a_429_envelope(monkeypatch):
    # DRF reads the rates once, into the class.
    monkeypatch.setitem(LoginIPThrottle.THROTTLE_RATES, "login_ip", "1/min")
    client = APIClient()
    credentials = {"username": "nobody", "password": "wrong"}
    client.post("/api/v1/auth/token/", credentials)
    response = client.post("/api/v1/auth/token/", credentials)
    assert_envelope(response, 429, "throttled")


def behind_one_proxy(settings) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def test_an_unhandled_error_is_a_json_500_with_the_request_id_and_no_trace(settings, caplog):
    settings.ROOT_URLCONF = "tests.core.crashing_urls"
    behind_one_proxy(settings)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/crash/", headers={"X-Request-ID": "req-from-proxy-1"})
    body = assert_envelope(response, 500, "server_error")
    assert response["Content-Type"] == "application/json"
    assert body["request_id"] == "req-from-proxy-1"
    assert "secret detail" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    # The log has what the body hides, under the same id.
    logged = [r for r in caplog.records if getattr(r, "request_id", None) == "req-from-proxy-1"]
    assert any(r.exc_info for r in logged)


def test_a_500_outside_the_api_stays_the_html_page(settings):
    settings.ROOT_URLCONF = "tests.core.crashing_urls"
    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "secret detail" not in response.content.decode()


def test_every_answer_carries_a_request_id_and_a_forged_one_is_replaced(settings, therapist_api):
    behind_one_proxy(settings)
    made = therapist_api.get("/api/v1/patients/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    forged = therapist_api.get("/api/v1/patients/", headers={"X-Request-ID": "a\r\nb: c"})
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])
    kept = therapist_api.get("/api/v1/patients/", headers={"X-Request-ID": "lb-1234abcd"})
    assert kept["X-Request-ID"] == "lb-1234abcd"


def test_with_no_proxy_in_front_a_clients_request_id_is_logged_beside_ours(
    settings, therapist_api, caplog
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    with caplog.at_level(logging.INFO, logger="core.request_id"):
        response = therapist_api.get(
            "/api/v1/patients/999999/", headers={"X-Request-ID": "someone-elses-id"}
        )

    ours = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", ours)
    assert response.json()["request_id"] == ours
    logged = [r for r in caplog.records if r.name == "core.request_id"]
    assert [(r.request_id, r.getMessage()) for r in logged] == [
        (ours, "The client sent X-Request-ID someone-elses-id.")
    ]
