"""Bearer-token authentication that honours logout, password changes and closed accounts.

simplejwt's own check reads the user and its password digest; this one also refuses an
access token whose login has ended, in the same query (`practice.logins.token_user`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.tokens import Token

from practice import logins


class LoginJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token: Token) -> Any:
        user = logins.token_user(token=validated_token)
        refusal = logins.token_refusal(token=validated_token, user=user)
        if refusal is not None:
            raise AuthenticationFailed(refusal.detail, code=refusal.code)
        return user


class LoginJWTScheme(SimpleJWTScheme):
    """The schema's bearer scheme, as drf-spectacular gives simplejwt's own class."""

    target_class = "practice.api.authentication.LoginJWTAuthentication"
