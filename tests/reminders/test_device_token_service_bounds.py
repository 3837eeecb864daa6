"""The push token's bound is the model's: registering a token too long for the unique
index is refused by the service itself (whoever calls it), not only by the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from reminders import services
from reminders.models import Device, StaffDevice
from reminders.models.devices import TOKEN_BYTES_MESSAGE, TOKEN_MAX_BYTES
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db

ONE_BYTE_OVER = "é" * (TOKEN_MAX_BYTES // 2) + "a"  # 1,025 characters, 2,049 bytes


def test_a_patient_token_over_the_bound_in_bytes_is_refused_by_the_service():
    with pytest.raises(ValidationError) as refused:
        services.device_register(patient=make_patient(), token=ONE_BYTE_OVER, platform="ios")

    assert refused.value.message_dict == {"token": [TOKEN_BYTES_MESSAGE]}
    assert not Device.objects.exists()


def test_a_staff_token_over_the_bound_in_bytes_is_refused_by_the_service():
    with pytest.raises(ValidationError) as refused:
        services.staff_device_register(staff=make_staff(), token=ONE_BYTE_OVER, platform="ios")

    assert refused.value.message_dict == {"token": [TOKEN_BYTES_MESSAGE]}
    assert not StaffDevice.objects.exists()


def test_a_token_of_exactly_the_bound_in_bytes_is_registered():
    token = "é" * (TOKEN_MAX_BYTES // 2)

    device, created = services.device_register(patient=make_patient(), token=token, platform="ios")

    assert created
    assert Device.objects.get(pk=device.pk).token == token


def test_the_model_checks_the_bound_in_bytes_on_full_clean():
    device = Device(patient=make_patient(), token=ONE_BYTE_OVER, platform="ios")

    with pytest.raises(ValidationError) as refused:
        device.full_clean()

    assert refused.value.message_dict["token"] == [TOKEN_BYTES_MESSAGE]


def test_the_api_bounds_the_token_as_the_model_does(patient_api):
    response = patient_api.post("/api/v1/me/devices/", {"token": ONE_BYTE_OVER, "platform": "ios"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"token": [TOKEN_BYTES_MESSAGE]}
    assert response.json()["detail"] == f"token: {TOKEN_BYTES_MESSAGE}"


def test_removing_a_token_over_the_bound_in_bytes_is_a_400_naming_it(patient_api):
    response = patient_api.delete("/api/v1/me/devices/", {"token": ONE_BYTE_OVER})

    assert response.status_code == 400
    assert response.json()["errors"] == {"token": [TOKEN_BYTES_MESSAGE]}


def test_the_schema_gives_clients_the_models_bound_in_characters(therapist_api):
    schema = therapist_api.get("/api/schema/", {"format": "json"}).json()
    token = schema["components"]["schemas"]["DeviceRegisterRequest"]["properties"]["token"]

    assert token["maxLength"] == Device._meta.get_field("token").max_length == TOKEN_MAX_BYTES
