"""Password change for anyone signed in, and reset by email for anyone who forgot it
(practice/passwords.py holds the rules)."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from practice import passwords
from practice.throttles import (
    LoginCallerThrottle,
    LoginIPThrottle,
    PasswordResetEmailThrottle,
    PasswordResetIPThrottle,
)

from .permissions import caller
from .viewsets import CallerLanguageMixin


def _password() -> serializers.CharField:
    # As the login's; a password longer than this is refused before any hashing.
    return serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class ResetLinkInvalid(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This password reset link is wrong, used or expired; ask for a new one.")
    default_code = "reset_link_invalid"


class PasswordChangeSerializer(serializers.Serializer):
    current_password = _password()
    new_password = _password()


class TokenPairSerializer(serializers.Serializer):
    """The same pair as a login answers."""

    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetAcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64, help_text="The link's `uidb64` segment.")
    token = serializers.CharField(max_length=128, help_text="The link's token segment.")
    new_password = _password()


class PasswordChangeView(CallerLanguageMixin, APIView):
    """Change the caller's password; every earlier token is refused from then on. A
    patient is answered in their own language setting."""

    throttle_classes = [LoginIPThrottle, LoginCallerThrottle]

    @extend_schema(
        summary="Change my password",
        description="Answers a new token pair for this phone: every token issued before, "
        "on this phone and every other, is refused from now on (401 `password_changed`). "
        "A wrong `current_password`, or a `new_password` the password rules refuse, is a "
        "400 on that field. Counted against the caller's login throttle.",
        request=PasswordChangeSerializer,
        responses={200: TokenPairSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = caller(request)
        pair = passwords.password_change(user=user, **serializer.validated_data)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            update_session_auth_hash(request._request, user)  # the browsable API stays in
        return Response(TokenPairSerializer(pair).data)


class PasswordResetView(APIView):
    """Ask for a reset link by email."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PasswordResetIPThrottle, PasswordResetEmailThrottle]

    @extend_schema(
        summary="Ask for a password reset email",
        description="Answers 202 with the same body whether or not an account has this "
        "address; when an active one has (its own or its patient record's), a link with "
        "`<uidb64>/<token>/` is emailed to it, valid for PASSWORD_RESET_TIMEOUT seconds "
        "and once.",
        request=PasswordResetSerializer,
        responses={202: PasswordResetAcceptedSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        passwords.password_reset_request(
            email=serializer.validated_data["email"], language=get_language()
        )
        detail = gettext(
            "If an account has this address, a link to choose a new password is on its way."
        )
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(APIView):
    """Choose a new password with the link's uid and token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginIPThrottle]

    @extend_schema(
        summary="Choose a new password from a reset link",
        description="Ends every earlier login of the account. A wrong, used or expired "
        "link is a 400 `reset_link_invalid`; a password the rules refuse, a 400 on "
        "`new_password`.",
        request=PasswordResetConfirmSerializer,
        responses={204: OpenApiResponse(description="The password is changed; no body.")},
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            passwords.password_reset_confirm(
                uidb64=data["uid"], token=data["token"], new_password=data["new_password"]
            )
        except passwords.ResetLinkInvalidError:
            raise ResetLinkInvalid from None
        return Response(status=status.HTTP_204_NO_CONTENT)
