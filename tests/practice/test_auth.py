from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ACTIVATE = "/api/v1/auth/activate/"


def login(client: APIClient, username: str, password: str = PASSWORD):
    return client.post(TOKEN, {"username": username, "password": password}, format="json")


def test_login_answers_an_access_and_a_refresh_token(anon, therapist):
    response = login(anon, "pt.one")
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_wrong_password_is_a_401_without_tokens(anon, therapist):
    response = login(anon, "pt.one", "not-the-password")
    assert response.status_code == 401
    assert "access" not in response.json()


def test_the_access_token_authenticates_api_calls(anon, patient_user):
    access = login(anon, "patient.one").json()["access"]
    anon.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert anon.get("/api/v1/me/").status_code == 200


def test_refresh_rotates_and_a_reused_refresh_token_is_refused(anon, therapist):
    first = login(anon, "pt.one").json()["refresh"]

    rotated = anon.post(REFRESH, {"refresh": first}, format="json")
    assert rotated.status_code == 200
    second = rotated.json()["refresh"]
    assert second != first

    reused = anon.post(REFRESH, {"refresh": first}, format="json")
    assert reused.status_code == 401
    assert anon.post(REFRESH, {"refresh": second}, format="json").status_code == 200


def test_logout_blacklists_the_refresh_token(anon, therapist):
    refresh = login(anon, "pt.one").json()["refresh"]
    assert anon.post(LOGOUT, {"refresh": refresh}, format="json").status_code == 204
    assert anon.post(REFRESH, {"refresh": refresh}, format="json").status_code == 401


def test_a_garbage_refresh_token_is_a_401_not_a_500(anon):
    assert anon.post(REFRESH, {"refresh": "not.a.token"}, format="json").status_code == 401


def test_login_is_throttled_per_username_across_addresses(settings, therapist):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    limit = int(rates["login_username"].split("/")[0])
    for attempt in range(limit):
        client = APIClient(REMOTE_ADDR=f"10.0.0.{attempt + 1}")
        assert login(client, "pt.one", "wrong").status_code == 401
    blocked = login(APIClient(REMOTE_ADDR="10.0.1.1"), "pt.one")
    assert blocked.status_code == 429
    assert "throttled" in blocked.json()["detail"].lower()


def test_login_is_throttled_per_address_across_usernames(settings, therapist):
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login_ip"].split("/")[0])
    client = APIClient(REMOTE_ADDR="10.9.9.9")
    for attempt in range(limit):
        assert login(client, f"nobody{attempt}", "wrong").status_code == 401
    assert login(client, "pt.one").status_code == 429


def test_staff_cannot_use_patient_endpoints(therapist_api):
    assert therapist_api.get("/api/v1/me/").status_code == 403


def test_anonymous_calls_are_401(anon):
    assert anon.get("/api/v1/patients/").status_code == 401
    assert anon.get("/api/v1/me/").status_code == 401
