"""Bodies no client could mean are a 400 that says why, on every JSON endpoint, before a
view reads them: nesting past 64 levels, a NUL or a lone UTF-16 surrogate in any string."""

from __future__ import annotations

import json

import pytest

from core.api.parsers import MAX_DEPTH
from patients.models import Patient

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/token/"
PATIENTS = "/api/v1/patients/"
NEW_PATIENT = {
    "mrn": "E-1",
    "first_name": "Jo",
    "last_name": "Park",
    "date_of_birth": "1970-01-02",
    "time_zone": "America/Chicago",
}


def post_raw(client, url: str, body: str | bytes):
    data = body.encode() if isinstance(body, str) else body
    return client.generic("POST", url, data, content_type="application/json")


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_a_login_body_of_a_hundred_thousand_brackets_is_a_400_not_a_crash(anon):
    response = post_raw(anon, LOGIN, "[" * 100_000)

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "more than 64 levels" in response.json()["detail"]


def test_nesting_one_level_past_the_limit_is_refused(therapist_api):
    body = json.dumps({**NEW_PATIENT, "last_name": json.loads(nested(MAX_DEPTH))})

    response = post_raw(therapist_api, PATIENTS, body)

    assert response.status_code == 400
    assert "more than 64 levels" in response.json()["detail"]
    assert not Patient.objects.filter(mrn="E-1").exists()


def test_nesting_at_the_limit_reaches_the_serializer(therapist_api):
    # The object itself is one level: 63 more inside it make 64.
    body = json.dumps({**NEW_PATIENT, "last_name": json.loads(nested(MAX_DEPTH - 1))})

    response = post_raw(therapist_api, PATIENTS, body)

    assert response.status_code == 400
    assert "last_name" in response.json()["errors"]


def test_brackets_inside_strings_are_text_not_nesting(therapist_api):
    name = "[{" * 45 + '\\"' + "]}" * 3  # 90 levels if counted, and an escaped quote
    body = json.dumps({**NEW_PATIENT, "last_name": name})

    response = post_raw(therapist_api, PATIENTS, body)

    assert response.status_code == 201, response.json()
    assert Patient.objects.get(mrn="E-1").last_name == name


def test_a_lone_surrogate_in_the_username_is_a_400_naming_it(anon):
    response = post_raw(anon, LOGIN, '{"username": "pt\\ud800", "password": "x"}')

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"] == {
        "username": ["Must not contain an unpaired UTF-16 surrogate (\\ud800 to \\udfff)."]
    }
    assert response.json()["detail"].startswith("username: ")


def test_a_surrogate_pair_is_an_ordinary_character(therapist_api):
    body = json.dumps({**NEW_PATIENT, "last_name": "Park \U0001f600"})  # escaped as a pair

    response = post_raw(therapist_api, PATIENTS, body)

    assert response.status_code == 201
    assert Patient.objects.get(mrn="E-1").last_name == "Park \U0001f600"


@pytest.mark.parametrize(
    ("field", "escaped"),
    [("time_zone", "America/Chicago\\u0000"), ("first_name", "\\udfff"), ("sex", "\\u0000")],
)
def test_a_nul_or_lone_surrogate_in_any_field_is_a_400_naming_it(therapist_api, field, escaped):
    body = json.dumps({**NEW_PATIENT, field: "PLACEHOLDER"}).replace("PLACEHOLDER", escaped)

    response = post_raw(therapist_api, PATIENTS, body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Patient.objects.filter(mrn="E-1").exists()


def test_a_nul_deep_in_a_list_is_named_by_its_path(patient_api, prescription):
    body = '{"exercises": [{"sets": 1}, {"notes": ["ok", "a\\u0000b"]}], "notes": "fine"}'

    response = post_raw(patient_api, "/api/v1/me/sessions/", body)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "exercises": {"1": {"notes": {"1": ["Must not contain a NUL character (\\u0000)."]}}}
    }


def test_a_field_name_holding_a_surrogate_is_refused_without_echoing_it(therapist_api):
    body = json.dumps(NEW_PATIENT)[:-1] + ', "x\\ud800": 1}'

    response = post_raw(therapist_api, PATIENTS, body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["x\ufffd"]
    assert "Field names must not contain" in response.json()["detail"]


def test_text_that_is_not_utf8_is_a_parse_error(anon):
    response = post_raw(anon, LOGIN, b'{"username": "\xff"}')

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("charset", ["base64", "zlib", "utf-32"])
def test_a_charset_that_is_not_a_text_encoding_or_does_not_fit_is_a_parse_error(anon, charset):
    response = anon.generic(
        "POST", LOGIN, b'{"username": "a"}', content_type=f"application/json; charset={charset}"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
