"""A push token is bounded by what the unique index on the token column can hold, so an
over-long one is a 400 naming the field, never a failed insert."""

from __future__ import annotations

import secrets

import pytest

from reminders.models import Device, StaffDevice
from reminders.models.devices import TOKEN_MAX_BYTES

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/devices/"
STAFF = "/api/v1/staff/devices/"


def incompressible(length: int) -> str:
    # The index compresses a repetitive value; a random one is stored at full length.
    return secrets.token_urlsafe(length)[:length]


@pytest.mark.parametrize(
    "token",
    [
        "\U0001f600" * 2500,  # 10 kB in 2,500 characters
        incompressible(3000),  # too big for an index entry
        "é" * (TOKEN_MAX_BYTES // 2 + 1),  # under the bound in characters, over in bytes
        incompressible(10_000),
    ],
    ids=["10kB-of-emoji", "3000-bytes", "one-byte-over-in-utf8", "10kB"],
)
def test_a_token_too_long_for_the_index_is_a_400_naming_it(patient_api, therapist_api, token):
    for client, url in ((patient_api, ME), (therapist_api, STAFF)):
        response = client.post(url, {"token": token, "platform": "android"})

        assert response.status_code == 400, url
        assert list(response.json()["errors"]) == ["token"]
        assert response.json()["code"] == "invalid"
    assert not Device.objects.exists()
    assert not StaffDevice.objects.exists()


def test_the_longest_token_allowed_is_stored_and_removed(patient_api, patient):
    token = incompressible(TOKEN_MAX_BYTES)

    assert patient_api.post(ME, {"token": token, "platform": "web"}).status_code == 201
    assert Device.objects.get(patient=patient).token == token
    assert patient_api.delete(ME, {"token": token}).status_code == 204
    assert not Device.objects.exists()


def test_removing_an_over_long_token_is_a_400(patient_api):
    response = patient_api.delete(ME, {"token": incompressible(3000)})

    assert response.status_code == 400
    assert "token" in response.json()["errors"]
