"""The admin's login form is throttled like the API's token login, in the same counters."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"


def rate(settings, scope: str) -> int:
    return int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")[0])


def admin_login(client: Client, username: str, password: str = PASSWORD):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_login_is_throttled_per_username_across_addresses(settings, therapist):
    for attempt in range(rate(settings, "login_username")):
        client = Client(REMOTE_ADDR=f"10.0.0.{attempt + 1}")
        assert admin_login(client, "pt.one", "wrong").status_code == 200
        assert not logged_in(client)

    blocked = Client(REMOTE_ADDR="10.0.1.1")
    response = admin_login(blocked, "PT.One")  # the right password, in another case
    assert response.status_code == 200
    assert "Too many login attempts. Try again in" in response.content.decode()
    assert not logged_in(blocked)


def test_a_look_alike_spelling_of_a_throttled_username_is_throttled_too(settings, therapist):
    for attempt in range(rate(settings, "login_username")):
        admin_login(Client(REMOTE_ADDR=f"10.0.4.{attempt + 1}"), "pt.one", "wrong")

    blocked = Client(REMOTE_ADDR="10.0.5.1")
    # A fullwidth "p": Django's form normalises it (NFKC) to the same login.
    response = admin_login(blocked, "\uff50t.one")
    assert "Too many login attempts" in response.content.decode()
    assert not logged_in(blocked)


def test_the_admin_login_is_throttled_per_address_across_usernames(settings, therapist):
    client = Client(REMOTE_ADDR="10.9.9.9")
    for attempt in range(rate(settings, "login_ip")):
        assert admin_login(client, f"nobody{attempt}", "wrong").status_code == 200
    response = admin_login(client, "pt.one")
    assert "Too many login attempts" in response.content.decode()
    assert not logged_in(client)
    other_address = Client(REMOTE_ADDR="10.9.9.10")
    admin_login(other_address, "pt.one")
    assert logged_in(other_address)


def test_api_and_admin_login_attempts_count_together(settings, therapist):
    limit = rate(settings, "login_username")
    for attempt in range(limit - 1):
        api = APIClient(REMOTE_ADDR=f"10.0.2.{attempt + 1}")
        assert api.post(TOKEN, {"username": "pt.one", "password": "wrong"}).status_code == 401
    assert admin_login(Client(REMOTE_ADDR="10.0.3.1"), "pt.one", "wrong").status_code == 200

    blocked = APIClient(REMOTE_ADDR="10.0.3.2").post(
        TOKEN, {"username": "pt.one", "password": PASSWORD}
    )
    assert blocked.status_code == 429


def test_an_admin_login_under_the_limits_logs_in(therapist):
    client = Client(REMOTE_ADDR="10.0.4.1")
    response = admin_login(client, "pt.one")
    assert response.status_code == 302
    assert logged_in(client)
