"""A patient sets their app password with the one-time code the clinic handed out."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from patients import services as patient_services
from practice.api.auth import LoginIPThrottle


class ActivateThrottle(LoginIPThrottle):
    scope = "activate"


class ActivateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class ActivatedSerializer(serializers.Serializer):
    username = serializers.CharField()


class ActivateView(APIView):
    """Set the app password with the one-time code the clinic handed out."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ActivateThrottle]

    @extend_schema(
        summary="Activate a patient's app login",
        request=ActivateSerializer,
        responses={201: ActivatedSerializer},
    )
    def post(self, request):
        serializer = ActivateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The phone's language only when it sent one (LocaleMiddleware falls back to ours).
        said = "HTTP_ACCEPT_LANGUAGE" in request.META
        user = patient_services.patient_activate(
            **serializer.validated_data, language=get_language() if said else ""
        )
        return Response({"username": user.username}, status=status.HTTP_201_CREATED)
