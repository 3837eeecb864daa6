"""Error answers every endpoint shares: JSON, a 4xx, and nothing stored on refusal."""

from __future__ import annotations

import json

import pytest

from core.api.pagination import Pagination
from patients.models import Patient
from tests.clients import error_of
from tests.factories import make_patient

pytestmark = pytest.mark.django_db

NEW_PATIENT = {
    "mrn": "E-1",
    "first_name": "Jo",
    "last_name": "Park",
    "date_of_birth": "1970-01-02",
    "time_zone": "America/Chicago",
}


def post_raw(client, url: str, body: str, content_type: str = "application/json"):
    return client.generic("POST", url, body.encode(), content_type=content_type)


def test_a_body_over_the_limit_is_a_413_in_json(therapist_api, settings):
    body = json.dumps({**NEW_PATIENT, "last_name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = post_raw(therapist_api, "/api/v1/patients/", body)
    assert response.status_code == 413
    assert error_of(response) == {
        "status": 413,
        "code": "payload_too_large",
        "detail": "The request body is too large.",
        "errors": {},
    }
    assert not Patient.objects.filter(mrn="E-1").exists()


def test_malformed_json_is_a_400_that_says_so(therapist_api):
    response = post_raw(therapist_api, "/api/v1/patients/", '{"mrn": "E-1",')
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_body_that_is_not_an_object_is_a_400(therapist_api):
    response = post_raw(therapist_api, "/api/v1/patients/", "[1, 2, 3]")
    assert response.status_code == 400


def test_form_encoded_bodies_are_refused_as_unsupported(therapist_api):
    response = post_raw(
        therapist_api, "/api/v1/patients/", "mrn=E-1", "application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("last_name", "Pa\x00rk"),
        ("date_of_birth", "02/01/1970"),
        ("date_of_birth", "1970-13-01"),
        ("time_zone", "Mars/Olympus_Mons"),
        ("phone", "call me"),
        ("primary_therapist", 10**12),
        ("primary_therapist", "one"),
        ("consent_sms", "perhaps"),
    ],
)
def test_bad_fields_are_a_400_naming_the_field_and_store_nothing(therapist_api, field, value):
    response = therapist_api.post("/api/v1/patients/", {**NEW_PATIENT, field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Patient.objects.filter(mrn="E-1").exists()


def test_an_unknown_api_url_is_a_json_404(therapist_api):
    response = therapist_api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert error_of(response) == {
        "status": 404,
        "code": "not_found",
        "detail": "Not found.",
        "errors": {},
    }


def test_an_unknown_page_is_a_404_not_a_500(therapist_api):
    assert therapist_api.get("/api/v1/patients/?page=999").status_code == 404
    assert therapist_api.get("/api/v1/patients/?page=abc").status_code == 404


def test_a_client_cannot_ask_for_more_than_the_largest_page(therapist_api, clinic, monkeypatch):
    monkeypatch.setattr(Pagination, "max_page_size", 2)
    for n in range(3):
        make_patient(clinic=clinic, mrn=f"P-{n}")
    response = therapist_api.get("/api/v1/patients/?page_size=100000")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 2
