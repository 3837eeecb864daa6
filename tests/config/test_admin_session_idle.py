"""An admin login ends after ADMIN_SESSION_IDLE_HOURS (12) without a request; each
request renews it, so a working day is never cut short."""

from __future__ import annotations

import datetime

import pytest
import time_machine

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC)
INDEX = "/admin/"


def test_an_admin_login_lasts_while_used_and_ends_after_12_idle_hours(client, therapist):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(therapist.user)
        assert client.get(INDEX).status_code == 200
        for _ in range(3):  # 33 hours of work, never 12 idle
            traveller.shift(datetime.timedelta(hours=11))
            assert client.get(INDEX).status_code == 200
        traveller.shift(datetime.timedelta(hours=12, minutes=1))
        response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
