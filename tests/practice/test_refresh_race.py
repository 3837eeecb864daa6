"""Racing requests with one refresh token: exactly one rotates it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from tests.factories import PASSWORD

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
RACERS = 8


@pytest.mark.django_db(transaction=True)
def test_refresh_token_rotates_once_when_eight_requests_race_with_it(therapist):
    login = APIClient().post(TOKEN, {"username": "pt.one", "password": PASSWORD})
    refresh = login.json()["refresh"]
    barrier = threading.Barrier(RACERS)
    answers: list[tuple[int, dict]] = []
    failures: list[BaseException] = []

    def race() -> None:
        try:
            connection.ensure_connection()  # each racer on its own connection, opened first
            client = APIClient()
            barrier.wait(timeout=30)
            response = client.post(REFRESH, {"refresh": refresh}, format="json")
            answers.append((response.status_code, response.json()))
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [401] * (RACERS - 1)
    refused = [body for status, body in answers if status == 401]
    assert {body["code"] for body in refused} == {"token_not_valid"}
    assert all("blacklisted" in body["detail"] for body in refused)
    # The one new pair works; no other refresh token was handed out.
    (winner,) = [body for status, body in answers if status == 200]
    assert APIClient().post(REFRESH, {"refresh": winner["refresh"]}).status_code == 200
    assert OutstandingToken.objects.filter(user=therapist.user).count() == 3
