"""Phones for push: a patient's (reminders) and a staff member's (alerts); register a
token at login, drop it at logout."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from practice.api.permissions import IsStaff, staff_caller
from practice.api.viewsets import PatientSelfMixin
from reminders import services

from . import serializers as s

F = TypeVar("F", bound=Callable[..., Any])


class DeleteWithBodySchema(AutoSchema):
    """OpenAPI allows a DELETE body and this view reads one; document it like a POST's."""

    def _get_request_body(self, direction: str = "request") -> Any:
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


def _register(
    request: Request,
    register: Callable[..., tuple[Model, bool]],
    output: type[BaseSerializer[Any]],
    **owner: object,
) -> Response:
    """Register the token in the body for `owner`: 201 for a token new to us, 200 for one
    already known (now the caller's)."""
    body = s.DeviceRegisterSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    device, created = register(**owner, **body.validated_data)
    return Response(
        output(device).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )


def _remove(request: Request, remove: Callable[..., bool], **owner: object) -> Response:
    """Drop the token in the body from `owner`'s; 204 whether or not it was theirs."""
    body = s.DeviceRemoveSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    remove(**owner, token=body.validated_data["token"])
    return Response(status=status.HTTP_204_NO_CONTENT)


def _register_schema(summary: str, output: type[BaseSerializer[Any]]) -> Callable[[F], F]:
    return extend_schema(
        summary=summary,
        request=s.DeviceRegisterSerializer,
        responses={
            201: OpenApiResponse(output, description="Registered."),
            200: OpenApiResponse(output, description="Already known; now yours."),
        },
    )


def _remove_schema(summary: str) -> Callable[[F], F]:
    return extend_schema(
        summary=summary,
        description="Only the caller's own tokens are removed; an unknown token is a 204 too.",
        request=s.DeviceRemoveSerializer,
        responses={204: None},
    )


class MyDevicesView(PatientSelfMixin, APIView):
    """A token belongs to one patient: registering it from another login moves it."""

    schema = DeleteWithBodySchema()

    @_register_schema("Register this phone for push reminders", s.DeviceSerializer)
    def post(self, request: Request) -> Response:
        return _register(
            request, services.device_register, s.DeviceSerializer, patient=self.patient
        )

    @_remove_schema("Stop push reminders to this phone")
    def delete(self, request: Request) -> Response:
        return _remove(request, services.device_remove, patient=self.patient)


class StaffDevicesView(APIView):
    """A staff member's phone, for urgent alerts by push (with their consent, which they
    give on their alert contact in the admin)."""

    permission_classes = [IsStaff]
    schema = DeleteWithBodySchema()

    @_register_schema("Register this phone for alerts to staff", s.StaffDeviceSerializer)
    def post(self, request: Request) -> Response:
        return _register(
            request,
            services.staff_device_register,
            s.StaffDeviceSerializer,
            staff=staff_caller(request),
        )

    @_remove_schema("Stop alerts to this phone")
    def delete(self, request: Request) -> Response:
        return _remove(request, services.staff_device_remove, staff=staff_caller(request))
