"""Appointments: the clinic's schedule for staff, and the patient's own under /me.

Booking, moving and closing an appointment, and entering a past visit, go through
appointments.services, which keep a patient and a therapist from being double-booked.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action

from appointments import services
from appointments.models import Appointment
from core.api.fields import StaffNameField
from core.api.ordering import StrictOrderingFilter
from core.api.routing import ANY_SEGMENT
from patients.models import Patient
from practice.api.audit import PatientAccessLogMixin
from practice.api.fields import ClinicScopedPKField
from practice.api.viewsets import PatientSelfMixin, StaffViewSet, clinic_choices
from practice.models import StaffMember

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
            "late_entry_reason",
            "created_at",
        ]
        read_only_fields = ["ends_at", "status", "late_entry_reason", "created_at"]
        extra_kwargs = {"notes": {"max_length": 10000}}


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
        read_only_fields = ["ends_at", "created_at"]


class RescheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(
        min_value=services.MIN_DURATION, max_value=services.MAX_DURATION, required=False
    )
    therapist = ClinicScopedPKField(queryset=StaffMember.objects.all(), required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                "Give a new starts_at, duration_minutes or therapist to reschedule."
            )
        return attrs


class AppointmentStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Appointment.Status.choices)


class MyAppointmentSerializer(serializers.ModelSerializer):
    therapist_name = StaffNameField(source="therapist")

    class Meta:
        model = Appointment
        fields = [
            "id",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "kind",
            "status",
            "therapist_name",
        ]
        read_only_fields = fields


# Filters


class _UTCDateTimeField(IsoDateTimeField):
    """ISO 8601, turned into UTC here: PostgreSQL refuses offsets beyond +/-16 hours."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(
                "Enter a date and time between the years 1 and 9999 (UTC).", code="invalid"
            ) from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _UTCDateTimeField


_staff_of_clinic = clinic_choices(StaffMember)
_patients_of_clinic = clinic_choices(Patient)


class _WhenFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Appointment.Kind.choices)
    starts_after = UTCDateTimeFilter(
        field_name="starts_at", lookup_expr="gte", label="Starts at or after (ISO 8601)."
    )
    starts_before = UTCDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", label="Starts before (ISO 8601)."
    )


class AppointmentFilter(_WhenFilter):
    therapist = django_filters.ModelChoiceFilter(queryset=_staff_of_clinic)
    patient = django_filters.ModelChoiceFilter(queryset=_patients_of_clinic)

    class Meta:
        model = Appointment
        fields = ["therapist", "patient", "status", "kind", "starts_after", "starts_before"]


class MyAppointmentFilter(_WhenFilter):
    upcoming = django_filters.BooleanFilter(
        method="filter_upcoming", label="Only appointments still to come (true) or past (false)."
    )

    class Meta:
        model = Appointment
        fields = ["upcoming", "status", "kind", "starts_after", "starts_before"]

    def filter_upcoming(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(ends_at__gt=now) if value else queryset.filter(ends_at__lte=now)


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


class MyAppointmentViewSet(
    PatientAccessLogMixin,
    PatientSelfMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own appointments: upcoming ones first (soonest first), then past ones
    (most recent first)."""

    lookup_value_regex = ANY_SEGMENT
    queryset = Appointment.objects.select_related("therapist__user")
    serializer_class = MyAppointmentSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = MyAppointmentFilter

    def get_queryset(self):
        now = timezone.now()
        past = When(ends_at__lte=now, then=Value(1))
        return (
            super()
            .get_queryset()
            .filter(patient=self.patient)
            .annotate(is_past=Case(past, default=Value(0), output_field=IntegerField()))
            .order_by(
                "is_past",
                Case(When(is_past=0, then=F("starts_at"))).asc(nulls_last=True),
                Case(When(is_past=1, then=F("starts_at"))).desc(nulls_last=True),
                "id",
            )
        )
