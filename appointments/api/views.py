"""Appointments: the clinic's schedule for staff (the patient's own under /me: `.me`).

Booking, moving and closing an appointment, and entering a past visit, go through
appointments.services, which keep a patient and a therapist from being double-booked.
"""

from __future__ import annotations

from django.db import transaction
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action

from appointments import services
from appointments.models import Appointment
from core.api.fields import StaffNameField
from core.api.ordering import StrictOrderingFilter
from core.api.routing import ANY_SEGMENT
from patients.models import Patient
from practice.api.audit import PatientAccessLogMixin
from practice.api.fields import ClinicScopedPKField
from practice.api.viewsets import StaffViewSet
from practice.models import StaffMember

from .filters import AppointmentFilter

# Serializers


class AppointmentSerializer(serializers.ModelSerializer):
    patient = ClinicScopedPKField(queryset=Patient.objects.all())
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    therapist = ClinicScopedPKField(queryset=StaffMember.objects.all())
    therapist_name = StaffNameField(source="therapist")
    duration_minutes = serializers.IntegerField(
        min_value=services.MIN_DURATION, max_value=services.MAX_DURATION, default=45
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "patient",
            "patient_name",
            "therapist",
            "therapist_name",
            "starts_at",
            "duration_minutes",
            "ends_at",
            "kind",
            "status",
            "notes",
            "location",
            "telehealth_url",
            "late_entry_reason",
            "confirmed_at",
            "cancelled_at",
            "cancelled_by_patient",
            "cancellation_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "ends_at",
            "status",
            "late_entry_reason",
            "confirmed_at",
            "cancelled_at",
            "cancelled_by_patient",
            "cancellation_reason",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"notes": {"max_length": 10000}, "location": {"max_length": 2000}}


class PastVisitSerializer(AppointmentSerializer):
    """A visit that already happened, entered afterwards: its outcome and why it is late."""

    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in services.PAST_VISIT_STATUSES],
        default=Appointment.Status.ATTENDED,
    )
    late_entry_reason = serializers.CharField(
        max_length=2000, help_text="Why the visit is recorded after it happened."
    )

    class Meta(AppointmentSerializer.Meta):
        read_only_fields = [
            name
            for name in AppointmentSerializer.Meta.read_only_fields
            if name not in ("status", "late_entry_reason")
        ]


# What a PATCH may move; the other fields it takes change where the visit is held.
_RESCHEDULING = ("starts_at", "duration_minutes", "therapist")


class RescheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(
        min_value=services.MIN_DURATION, max_value=services.MAX_DURATION, required=False
    )
    therapist = ClinicScopedPKField(queryset=StaffMember.objects.all(), required=False)
    location = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Blank: the clinic's address."
    )
    telehealth_url = serializers.URLField(
        required=False, allow_blank=True, max_length=500, help_text="An https:// link only."
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                "Give a new starts_at, duration_minutes or therapist to reschedule, or a "
                "location or telehealth_url."
            )
        return attrs


class AppointmentStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Appointment.Status.choices)


# Views


class AppointmentViewSet(
    PatientAccessLogMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    StaffViewSet,
):
    """The clinic's appointments. PATCH reschedules; /status/ confirms, records attendance,
    cancels or marks a no-show. Appointments are never deleted: cancel instead."""

    lookup_value_regex = ANY_SEGMENT
    queryset = Appointment.objects.select_related("patient", "therapist__user")
    serializer_class = AppointmentSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = AppointmentFilter
    ordering_fields = ["starts_at"]
    ordering = ["starts_at", "id"]
    action_permissions = {
        "set_status": "appointments.change_appointment",
        "destroy": "appointments.change_appointment",
        "record_past": "appointments.add_appointment",
    }

    def get_serializer_class(self):
        return PastVisitSerializer if self.action == "record_past" else AppointmentSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_book(actor=request.user, **serializer.validated_data)
        return self.fresh_response(appointment, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a past visit",
        request=PastVisitSerializer,
        responses={201: AppointmentSerializer},
    )
    @action(detail=False, methods=["post"], url_path="record-past")
    def record_past(self, request):
        """Enter a visit that already happened (attended or no-show) with the reason it is
        entered late. A new booking (POST /appointments/) cannot start in the past."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        appointment = services.appointment_record_past(
            reason=data.pop("late_entry_reason"), actor=request.user, **data
        )
        return self.fresh_response(
            appointment, status.HTTP_201_CREATED, serializer_class=AppointmentSerializer
        )

    @extend_schema(request=RescheduleSerializer, responses=AppointmentSerializer)
    def partial_update(self, request, *args, **kwargs):
        appointment = self.get_object()
        serializer = RescheduleSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            if {"location", "telehealth_url"} & data.keys():
                services.appointment_change_details(
                    appointment=appointment,
                    location=data.get("location"),
                    telehealth_url=data.get("telehealth_url"),
                    actor=request.user,
                )
            if set(_RESCHEDULING) & data.keys():
                services.appointment_reschedule(
                    appointment=appointment,
                    starts_at=data.get("starts_at", appointment.starts_at),
                    duration_minutes=data.get("duration_minutes"),
                    therapist=data.get("therapist"),
                    actor=request.user,
                )
        return self.fresh_response(appointment)

    @extend_schema(
        summary="Refused: appointments are never deleted (cancel instead)",
        request=None,
        responses={405: OpenApiResponse(description="Appointments are never deleted; cancel.")},
    )
    def destroy(self, request, *args, **kwargs):
        self.get_object()
        raise exceptions.MethodNotAllowed(
            request.method,
            detail="Appointments are never deleted; cancel instead "
            '(POST /api/v1/appointments/{id}/status/ with {"status": "cancelled"}).',
        )

    @extend_schema(
        summary="Set an appointment's status",
        request=AppointmentStatusSerializer,
        responses=AppointmentSerializer,
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        appointment = self.get_object()
        serializer = AppointmentStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_set_status(
            appointment=appointment,
            status=serializer.validated_data["status"],
            actor=request.user,
        )
        return self.fresh_response(appointment)
