"""Changing one's own password: the current one first, the password rules, and a new
login for the phone that changed it while every earlier token is refused."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from practice.models import User
from tests.clients import error_of
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
CHANGE = "/api/v1/auth/password/change/"
ME = "/api/v1/me/"
NEW_PASSWORD = "a-long-fresh-password"


def login(username: str, password: str = PASSWORD) -> dict[str, str]:
    response = APIClient().post(TOKEN, {"username": username, "password": password})
    assert response.status_code == 200, response.json()
    return response.json()


def signed_in(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def change(access: str, current: str = PASSWORD, new: str = NEW_PASSWORD):
    return signed_in(access).post(CHANGE, {"current_password": current, "new_password": new})


def test_a_patient_changes_their_password_and_stays_signed_in_on_this_phone(patient_user):
    tokens = login("patient.one")

    response = change(tokens["access"])

    assert response.status_code == 200, response.json()
    fresh = response.json()
    assert set(fresh) == {"access", "refresh"}
    assert signed_in(fresh["access"]).get(ME).status_code == 200
    assert APIClient().post(REFRESH, {"refresh": fresh["refresh"]}).status_code == 200
    assert User.objects.get(pk=patient_user.pk).check_password(NEW_PASSWORD)
    assert login("patient.one", NEW_PASSWORD)


def test_every_earlier_token_is_refused_after_the_change(patient_user):
    this_phone = login("patient.one")
    other_phone = login("patient.one")

    assert change(this_phone["access"]).status_code == 200

    for tokens in (this_phone, other_phone):
        refused = signed_in(tokens["access"]).get(ME)
        assert refused.status_code == 401
        assert error_of(refused)["code"] == "password_changed"
        refresh = APIClient().post(REFRESH, {"refresh": tokens["refresh"]})
        assert refresh.status_code == 401
        assert error_of(refresh)["code"] == "password_changed"


def test_a_wrong_current_password_is_a_400_on_that_field_and_changes_nothing(therapist):
    tokens = login("pt.one")

    response = change(tokens["access"], current="not-the-password")

    assert response.status_code == 400
    assert error_of(response) == {
        "status": 400,
        "code": "invalid",
        "detail": "current_password: The current password is not right.",
        "errors": {"current_password": ["The current password is not right."]},
    }
    assert User.objects.get(pk=therapist.user_id).check_password(PASSWORD)
    assert signed_in(tokens["access"]).get("/api/v1/staff/me/").status_code == 200


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short", "This password is too short. It must contain at least 8 characters."),
        ("12345678901", "This password is entirely numeric."),
        ("password123", "This password is too common."),
    ],
)
def test_the_password_rules_refuse_a_weak_new_password_on_its_field(patient_user, new, message):
    tokens = login("patient.one")

    response = change(tokens["access"], new=new)

    assert response.status_code == 400
    assert message in error_of(response)["errors"]["new_password"]
    assert User.objects.get(pk=patient_user.pk).check_password(PASSWORD)


def test_a_new_password_like_the_username_is_refused(patient_user):
    tokens = login("patient.one")
    response = change(tokens["access"], new="patient.one1")
    assert response.status_code == 400
    assert "too similar to the username" in " ".join(error_of(response)["errors"]["new_password"])


def test_a_new_password_made_of_the_patients_name_is_refused(patient_user):
    tokens = login("patient.one")
    response = change(tokens["access"], new="alex rivera")  # the patient record's name
    assert response.status_code == 400
    assert "too similar to the last name" in " ".join(error_of(response)["errors"]["new_password"])


def test_without_a_token_the_change_is_a_401(anon):
    response = anon.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 401


def test_password_guesses_count_against_the_callers_login_limit(settings, therapist):
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login_username"].split("/")[0])
    access = login("pt.one")["access"]  # one login attempt of the limit
    for attempt in range(limit - 1):
        client = signed_in(access)
        client.defaults["REMOTE_ADDR"] = f"10.0.0.{attempt + 1}"
        guess = client.post(CHANGE, {"current_password": "guess", "new_password": NEW_PASSWORD})
        assert guess.status_code == 400
    throttled = change(access)
    assert throttled.status_code == 429
    assert User.objects.get(pk=therapist.user_id).check_password(PASSWORD)
