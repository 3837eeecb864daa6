"""Logging out, and changing the password, end the tokens issued before."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient, APIRequestFactory

from patients.services import patient_activate, patient_invite
from practice.api.authentication import LoginJWTAuthentication
from practice.models import EndedLogin
from tests.factories import PASSWORD, make_patient_user, make_user

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"
NEW_PASSWORD = "a-long-fresh-password"


def login(username: str, password: str = PASSWORD) -> dict[str, str]:
    response = APIClient().post(TOKEN, {"username": username, "password": password})
    assert response.status_code == 200, response.json()
    return response.json()


def refresh(token: str):
    return APIClient().post(REFRESH, {"refresh": token}, format="json")


def logout(token: str):
    return APIClient().post(LOGOUT, {"refresh": token}, format="json")


def me(access: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get(ME)


def test_the_access_token_of_a_login_is_refused_once_it_logs_out(patient_user):
    tokens = login("patient.one")
    assert me(tokens["access"]).status_code == 200

    assert logout(tokens["refresh"]).status_code in (200, 204)

    refused = me(tokens["access"])
    assert refused.status_code == 401
    assert refused.json()["code"] == "login_ended"
    assert "log in again" in refused.json()["detail"]


def test_logout_ends_the_access_tokens_of_earlier_rotations_of_that_login(patient_user):
    first = login("patient.one")
    second = refresh(first["refresh"]).json()
    assert me(first["access"]).status_code == 200  # rotation alone ends no access token

    assert logout(second["refresh"]).status_code in (200, 204)

    assert me(first["access"]).status_code == 401
    assert me(second["access"]).status_code == 401
    assert refresh(second["refresh"]).status_code == 401


def test_logout_leaves_the_other_logins_of_the_same_account_working(patient_user):
    phone = login("patient.one")
    tablet = login("patient.one")

    assert logout(phone["refresh"]).status_code in (200, 204)

    assert me(tablet["access"]).status_code == 200
    assert refresh(tablet["refresh"]).status_code == 200


def test_a_retried_logout_is_a_204_and_the_login_stays_ended(patient_user):
    tokens = login("patient.one")
    assert logout(tokens["refresh"]).status_code == 204
    assert logout(tokens["refresh"]).status_code == 204
    assert EndedLogin.objects.count() == 1
    assert me(tokens["access"]).status_code == 401


def test_logout_with_a_refresh_token_already_rotated_still_ends_the_login(patient_user):
    # A background refresh won the race with the logout: the logout must still hold.
    first = login("patient.one")
    rotated = refresh(first["refresh"]).json()

    assert logout(first["refresh"]).status_code == 204

    assert me(rotated["access"]).status_code == 401
    assert refresh(rotated["refresh"]).json()["code"] == "login_ended"


def test_a_copied_refresh_token_dies_when_its_owner_next_refreshes(patient_user, settings):
    stolen = login("patient.one")
    # The thief rotates the copy first and keeps the new pair.
    thief = refresh(stolen["refresh"]).json()
    with time_machine.travel(timezone.now() + settings.JWT_REUSE_GRACE + datetime.timedelta(1)):
        owner = refresh(stolen["refresh"])
        assert owner.status_code == 401
        assert owner.json()["code"] == "login_ended"
        # The reuse ended the whole login: the thief's pair is dead too.
        assert me(thief["access"]).status_code == 401
        assert refresh(thief["refresh"]).json()["code"] == "login_ended"


def test_a_refresh_retried_within_the_grace_keeps_the_login(patient_user):
    tokens = login("patient.one")
    winner = refresh(tokens["refresh"]).json()
    assert refresh(tokens["refresh"]).status_code == 401  # the retry loses, nothing more
    assert me(winner["access"]).status_code == 200
    assert refresh(winner["refresh"]).status_code == 200


def test_ended_logins_are_forgotten_once_their_tokens_have_all_expired(patient_user, settings):
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        logout(login("patient.one")["refresh"])
    with time_machine.travel(start + lifetime - datetime.timedelta(minutes=1), tick=False):
        logout(login("patient.one")["refresh"])
        assert EndedLogin.objects.count() == 2
    with time_machine.travel(start + lifetime + datetime.timedelta(minutes=1), tick=False):
        logout(login("patient.one")["refresh"])
        assert EndedLogin.objects.count() == 2


def test_a_password_changed_in_the_admin_refuses_every_earlier_token(therapist):
    tokens = login("pt.one")
    operator = make_user(username="operator", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(operator)

    changed = admin.post(
        f"/admin/practice/user/{therapist.user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    refused = client.get("/api/v1/patients/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "password_changed"
    refused_refresh = refresh(tokens["refresh"])
    assert refused_refresh.status_code == 401
    assert "password has changed" in refused_refresh.json()["detail"]
    assert "access" in login("pt.one", NEW_PASSWORD)


def test_a_staff_members_own_password_change_refuses_their_earlier_tokens(therapist):
    tokens = login("pt.one")
    admin = Client()
    admin.force_login(therapist.user)

    changed = admin.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert client.get("/api/v1/patients/").status_code == 401
    assert refresh(tokens["refresh"]).status_code == 401


def test_a_patient_re_keying_the_login_refuses_the_tokens_of_the_old_password(patient, therapist):
    make_patient_user(patient, username="alex.rivera")
    tokens = login("alex.rivera")
    code = patient_invite(patient=patient, invited_by=therapist).code

    patient_activate(code=code, username="alex.rivera", password=NEW_PASSWORD)

    assert me(tokens["access"]).status_code == 401
    assert refresh(tokens["refresh"]).status_code == 401
    assert me(login("alex.rivera", NEW_PASSWORD)["access"]).status_code == 200


def test_an_authenticated_request_reads_its_user_and_login_in_one_query(
    patient_user, django_assert_num_queries
):
    access = login("patient.one")["access"]
    request = APIRequestFactory().get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")
    with django_assert_num_queries(1):
        authenticated = LoginJWTAuthentication().authenticate(request)
    assert authenticated is not None
    assert authenticated[0] == patient_user
