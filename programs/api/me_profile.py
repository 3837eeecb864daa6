"""The patient's own profile under /me/: the patients app's profile with the reminder
times of the open program, read and written together (one PATCH, all or nothing)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.clock import CLOCK_TIME_SCHEMA, ClockTimeField
from patients.api.serializers import MeProfileSerializer
from patients.models import Patient
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import caller
from practice.api.viewsets import PatientSelfMixin
from programs import services
from programs.schedule import MAX_REMINDER_TIMES
from programs.selectors import open_prescription


@extend_schema_field(
    {
        "type": "array",
        "items": {**CLOCK_TIME_SCHEMA, "example": "08:00"},
        "maxItems": MAX_REMINDER_TIMES,
        "description": "Local times of the exercise reminders (HH:MM, 24-hour), set on "
        "the open program; empty when there is none.",
    }
)
class ReminderTimesField(serializers.ListField):
    """Reads and writes the open program's reminder times, as part of the profile."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", ClockTimeField())  # strictly HH:MM, as the program stores them
        super().__init__(source="*", max_length=MAX_REMINDER_TIMES, **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, Any]:  # type: ignore[override]  # source="*": merged into the profile's data
        return {"reminder_times": super().to_internal_value(data)}

    def to_representation(self, patient: Patient) -> list[str]:  # type: ignore[override]  # source="*" hands over the patient, not a list
        prescription = open_prescription(patient)
        return list(prescription.reminder_times) if prescription else []


class MeSerializer(MeProfileSerializer):
    reminder_times = ReminderTimesField(required=False)

    class Meta(MeProfileSerializer.Meta):
        fields = [*MeProfileSerializer.Meta.fields, "reminder_times"]


class MeViewSet(PatientAccessLogMixin, PatientSelfMixin, viewsets.GenericViewSet):
    """The caller's own profile, contact preferences and reminder times."""

    serializer_class = MeSerializer

    def get_object(self) -> Patient:
        return Patient.objects.select_related("clinic", "primary_therapist__user").get(
            pk=self.patient.pk
        )

    @extend_schema(summary="Read my profile")
    def retrieve(self, request: Request) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(summary="Change my profile, contact preferences or reminder times")
    def partial_update(self, request: Request) -> Response:
        patient = self.get_object()
        serializer = self.get_serializer(patient, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.patient_preferences_update(
            patient=patient, actor=caller(request), **serializer.validated_data
        )
        return Response(self.get_serializer(self.get_object()).data)
