"""/me/devices/: a patient's push tokens, registered at login and dropped at logout."""

from __future__ import annotations

import pytest

from reminders.models import Device

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/devices/"
TOKEN = "fcm:token-of-the-kitchen-phone"


def test_registering_a_device_then_again_is_201_then_200(patient_api, patient):
    first = patient_api.post(URL, {"token": TOKEN, "platform": "android"})
    assert first.status_code == 201, first.json()
    assert first.json()["token"] == TOKEN
    assert first.json()["platform"] == "android"
    again = patient_api.post(URL, {"token": TOKEN, "platform": "android"})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert list(Device.objects.values_list("patient", "token")) == [(patient.pk, TOKEN)]


def test_a_token_registered_from_another_login_moves_to_that_patient(
    patient_api, same_clinic_patient_api, same_clinic_patient
):
    patient_api.post(URL, {"token": TOKEN, "platform": "ios"})
    response = same_clinic_patient_api.post(URL, {"token": TOKEN, "platform": "ios"})
    assert response.status_code == 200
    device = Device.objects.get()
    assert device.patient == same_clinic_patient


def test_removing_a_device_touches_only_the_callers_tokens(
    patient_api, same_clinic_patient_api, patient
):
    patient_api.post(URL, {"token": TOKEN, "platform": "ios"})
    response = same_clinic_patient_api.delete(URL, {"token": TOKEN})
    assert response.status_code == 204
    assert Device.objects.filter(patient=patient, token=TOKEN).exists()

    assert patient_api.delete(URL, {"token": TOKEN}).status_code == 204
    assert not Device.objects.exists()
    assert patient_api.delete(URL, {"token": TOKEN}).status_code == 204  # already gone


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"token": "", "platform": "ios"}, "token"),
        ({"token": "   ", "platform": "ios"}, "token"),
        ({"token": "abc\x00", "platform": "ios"}, "token"),
        ({"token": "x" * 5000, "platform": "ios"}, "token"),
        ({"token": ["abc"], "platform": "ios"}, "token"),
        ({"token": TOKEN, "platform": "blackberry"}, "platform"),
        ({"token": TOKEN}, "platform"),
    ],
)
def test_bad_device_input_is_a_400_and_stores_nothing(patient_api, body, field):
    response = patient_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Device.objects.exists()


def test_removing_needs_a_token(patient_api):
    assert "token" in patient_api.delete(URL, {}).json()["errors"]
    assert patient_api.delete(URL, {"token": "a\x00"}).status_code == 400


def test_staff_and_anonymous_callers_are_refused(therapist_api, anon):
    assert therapist_api.post(URL, {"token": TOKEN, "platform": "ios"}).status_code == 403
    assert therapist_api.delete(URL, {"token": TOKEN}).status_code == 403
    assert anon.post(URL, {"token": TOKEN, "platform": "ios"}).status_code == 401
    assert not Device.objects.exists()


def test_devices_are_not_listed(patient_api):
    assert patient_api.get(URL).status_code == 405
