"""Token login, rotation and logout for staff and patients alike.

Refresh tokens rotate and the old one is blacklisted, so a stolen refresh token that
has been used once is refused; logging out ends the whole login, its access tokens
included (practice/logins.py says what else ends a token). Login is throttled per IP and
per username (practice/throttles.py), counted together with the admin's login form.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.rest_framework_simplejwt import (
    TokenObtainPairSerializerExtension,
    TokenRefreshSerializerExtension,
)
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.serializers import (
    TokenBlacklistSerializer,
    TokenObtainPairSerializer,
    TokenRefreshSerializer,
)
from rest_framework_simplejwt.views import (
    TokenBlacklistView,
    TokenObtainPairView,
    TokenRefreshView,
)

from practice import logins
from practice.throttles import LOGIN_THROTTLES, LoginIPThrottle, LoginUsernameThrottle

__all__ = ["LoginIPThrottle", "LoginUsernameThrottle", "LogoutView", "RefreshView", "TokenView"]


class LoginSerializer(TokenObtainPairSerializer):
    @classmethod
    def get_token(cls, user: Any) -> Any:
        return logins.login_issue(user=user)


class RefreshSerializer(TokenRefreshSerializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        try:
            pair = logins.login_refresh(raw=attrs["refresh"])  # TokenError: the view's 401
        except logins.TokenRefusedError as refused:
            # The code an access token gets for the same refusal, not token_not_valid.
            raise AuthenticationFailed(refused.refusal.detail, code=refused.refusal.code) from None
        return {"access": pair.access, "refresh": pair.refresh}


class LogoutSerializer(TokenBlacklistSerializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        logins.login_end(raw=attrs["refresh"])  # TokenError: the view's 401
        return {}


# The schema of these serializers is simplejwt's, as drf-spectacular describes it.
class LoginSerializerScheme(TokenObtainPairSerializerExtension):
    target_class = "practice.api.auth.LoginSerializer"


class RefreshSerializerScheme(TokenRefreshSerializerExtension):
    target_class = "practice.api.auth.RefreshSerializer"


@extend_schema_view(post=extend_schema(summary="Log in"))
class TokenView(TokenObtainPairView):
    """Log in with username and password; answers an access and a refresh token."""

    serializer_class = LoginSerializer
    throttle_classes = list(LOGIN_THROTTLES)


@extend_schema_view(post=extend_schema(summary="Rotate the refresh token"))
class RefreshView(TokenRefreshView):
    """Trade a refresh token for a new pair; the old refresh token stops working."""

    serializer_class = RefreshSerializer
    throttle_classes = [LoginIPThrottle]


class LogoutView(TokenBlacklistView):
    """End this login: its refresh token and the access tokens issued with it stop working."""

    serializer_class = LogoutSerializer
    throttle_classes = [LoginIPThrottle]

    @extend_schema(
        summary="Log out",
        responses={204: OpenApiResponse(description="Logged out; no body.")},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        super().post(request, *args, **kwargs)
        return Response(status=status.HTTP_204_NO_CONTENT)
