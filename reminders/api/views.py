"""Phones for push: a patient's (reminders) and a staff member's (alerts); register a
token at login, drop it at logout."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from practice.api.permissions import IsStaff, staff_of
from practice.api.viewsets import PatientSelfMixin
from reminders import services

from . import serializers as s


class DeleteWithBodySchema(AutoSchema):
    """OpenAPI allows a DELETE body and this view reads one; document it like a POST's."""

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


def _registered(data: dict, *, created: bool) -> Response:
    """201 for a token new to us, 200 for one already known (now the caller's)."""
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class MyDevicesView(PatientSelfMixin, APIView):
    """A token belongs to one patient: registering it from another login moves it."""

    schema = DeleteWithBodySchema()

    @extend_schema(
        summary="Register this phone for push reminders",
        request=s.DeviceRegisterSerializer,
        responses={
            201: OpenApiResponse(s.DeviceSerializer, description="Registered."),
            200: OpenApiResponse(s.DeviceSerializer, description="Already known; now yours."),
        },
    )
    def post(self, request):
        body = s.DeviceRegisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        device, created = services.device_register(patient=self.patient, **body.validated_data)
        return _registered(s.DeviceSerializer(device).data, created=created)

    @extend_schema(
        summary="Stop push reminders to this phone",
        description="Only the caller's own tokens are removed; an unknown token is a 204 too.",
        request=s.DeviceRemoveSerializer,
        responses={204: None},
    )
    def delete(self, request):
        body = s.DeviceRemoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.device_remove(patient=self.patient, token=body.validated_data["token"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffDevicesView(APIView):
    """A staff member's phone, for urgent alerts by push (with their consent, which they
    give on their alert contact in the admin)."""

    permission_classes = [IsStaff]
    schema = DeleteWithBodySchema()

    @extend_schema(
        summary="Register this phone for alerts to staff",
        request=s.DeviceRegisterSerializer,
        responses={
            201: OpenApiResponse(s.StaffDeviceSerializer, description="Registered."),
            200: OpenApiResponse(s.StaffDeviceSerializer, description="Already known; now yours."),
        },
    )
    def post(self, request):
        body = s.DeviceRegisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        device, created = services.staff_device_register(
            staff=staff_of(request.user), **body.validated_data
        )
        return _registered(s.StaffDeviceSerializer(device).data, created=created)

    @extend_schema(
        summary="Stop alerts to this phone",
        description="Only the caller's own tokens are removed; an unknown token is a 204 too.",
        request=s.DeviceRemoveSerializer,
        responses={204: None},
    )
    def delete(self, request):
        body = s.DeviceRemoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.staff_device_remove(
            staff=staff_of(request.user), token=body.validated_data["token"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
