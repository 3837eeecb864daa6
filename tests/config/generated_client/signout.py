"""Signing out, apart from the journey: openapi-python-client types an answer with no
body (logout's 204) as `Any` whatever the schema says, so this call cannot live in a
module where mypy allows no `Any`. What it hands back is typed."""

from __future__ import annotations

from http import HTTPStatus

from sciatica_client import AuthenticatedClient
from sciatica_client.api.auth import v1_auth_logout_create
from sciatica_client.models import LogoutRequest


def sign_out(api: AuthenticatedClient, refresh: str) -> HTTPStatus:
    """The status of the logout; its body must be empty."""
    answer = v1_auth_logout_create.sync_detailed(client=api, body=LogoutRequest(refresh=refresh))
    assert not answer.content, answer.content
    return answer.status_code
