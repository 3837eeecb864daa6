"""A refused token answers the same code whether it is an access token or the refresh
token of that login: the refresh call is where an app decides between logging in again
and asking the clinic."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from episodes.services import patient_archive
from practice.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"


def login() -> dict[str, str]:
    response = APIClient().post(TOKEN, {"username": "patient.one", "password": PASSWORD})
    assert response.status_code == 200, response.json()
    return response.json()


def archive(patient, therapist, tokens: dict[str, str]) -> None:
    patient_archive(patient=patient, actor=therapist.user)


def change_password(patient, therapist, tokens: dict[str, str]) -> None:
    user = User.objects.get(pk=patient.user_id)
    user.set_password("a-long-fresh-password")
    user.save()


def log_out(patient, therapist, tokens: dict[str, str]) -> None:
    assert APIClient().post(LOGOUT, {"refresh": tokens["refresh"]}).status_code == 204


REFUSALS: dict[str, tuple[Callable[..., None], str]] = {
    "user_inactive": (archive, "This account is inactive; ask the clinic."),
    "password_changed": (
        change_password,
        "The password has changed since this token was issued; log in again.",
    ),
    "login_ended": (log_out, "This login has ended; log in again."),
}


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_the_refresh_endpoint_answers_the_code_an_access_token_gets(
    code, patient, patient_user, therapist
):
    tokens = login()
    end, detail = REFUSALS[code]

    end(patient, therapist, tokens)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    by_access = client.get(ME)
    by_refresh = APIClient().post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    for refused in (by_access, by_refresh):
        assert refused.status_code == 401
        assert (refused.json()["code"], refused.json()["detail"]) == (code, detail)


def test_tokens_issued_before_they_carried_the_password_digest_ask_for_a_new_login(
    patient_user,
):
    # Such a token: what tokens held before the digest claim was added.
    outdated = RefreshToken.for_user(patient_user)
    del outdated[api_settings.REVOKE_TOKEN_CLAIM]
    access = outdated.access_token
    assert api_settings.REVOKE_TOKEN_CLAIM not in access.payload

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    by_access = client.get(ME)
    by_refresh = APIClient().post(REFRESH, {"refresh": str(outdated)}, format="json")

    for refused in (by_access, by_refresh):
        assert refused.status_code == 401
        body = refused.json()
        assert (body["code"], body["detail"]) == ("token_outdated", "Please log in again.")
    assert "access" in login()  # the password is unchanged: logging in again works


def test_a_token_carrying_the_digest_of_the_password_as_it_stands_is_honoured(patient_user):
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(patient_user).access_token}"
    )

    assert client.get(ME).status_code == 200
