"""One reset link used twice at once, from two phones or a double tap: exactly one new
password is set, the other use is refused as a used link."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from practice.models import User
from tests.factories import make_user

CONFIRM = "/api/v1/auth/password/reset/confirm/"
RACERS = 4


@pytest.mark.django_db(transaction=True)
def test_one_link_used_by_racing_requests_sets_exactly_one_password():
    user = make_user(username="racer.one", email="racer@example.com")
    link = {
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    passwords = [f"a-long-fresh-password-{n}" for n in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    answers: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def use(password: str) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            response = APIClient().post(CONFIRM, {**link, "new_password": password})
            answers.append((response.status_code, password))
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=use, args=(p,)) for p in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures
    statuses = sorted(status for status, _ in answers)
    assert statuses == [204] + [400] * (RACERS - 1)
    (winner,) = [password for status, password in answers if status == 204]
    assert User.objects.get(pk=user.pk).check_password(winner)
