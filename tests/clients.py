"""API clients the tests sign in with, and the error answers they read."""

from __future__ import annotations

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken


def bearer(user) -> APIClient:
    """An API client that authenticates as `user` with a real JWT access token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def error_of(response) -> dict:
    """The error envelope of `response` without its request id, which is new on every request.

    Asserting on the whole of it checks the status, the code, the one-line detail and that
    no field errors came with it in one comparison.
    """
    body = dict(response.json())
    assert body.pop("request_id"), "an error answer carries the request id"
    return body
