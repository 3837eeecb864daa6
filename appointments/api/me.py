"""/me/appointments/: the patient's own appointments, to read (offline too, with
`?since=`), confirm (until the start) and cancel (until the clinic's cancellation
window). The rules are in appointments.patient_changes."""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action

from appointments import patient_changes
from appointments.models import Appointment
from appointments.patient_changes import MAX_REASON_LENGTH
from appointments.selectors import patient_change_deadline
from core.api.fields import StaffNameField
from core.api.ordering import StrictOrderingFilter
from core.api.routing import ANY_SEGMENT
from practice.api.audit import PatientAccessLogMixin
from practice.api.viewsets import FreshResponseMixin, PatientSelfMixin

from .filters import MyAppointmentFilter


class MyAppointmentSerializer(serializers.ModelSerializer):
    therapist_name = StaffNameField(source="therapist")
    location = serializers.SerializerMethodField(
        help_text="Where to go: the appointment's place, else, for an in-person visit (no "
        "telehealth_url), the clinic's address. Empty for a video visit with no place set."
    )
    can_cancel_until = serializers.SerializerMethodField(
        help_text="Until when the app may cancel it (the clinic's cancellation window before "
        "the start); later, call the clinic. Confirming stays open until the start. Null once "
        "it is no longer to come."
    )

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
            "location",
            "telehealth_url",
            "confirmed_at",
            "cancelled_at",
            "cancelled_by_patient",
            "can_cancel_until",
            "updated_at",
        ]
        read_only_fields = fields

    def get_location(self, appointment: Appointment) -> str:
        if appointment.location or appointment.telehealth_url:
            # A video visit is not held at the clinic: its address would send them there.
            return appointment.location
        return appointment.patient.clinic.address

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_can_cancel_until(self, appointment: Appointment) -> str | None:
        deadline = patient_change_deadline(appointment)
        return None if deadline is None else serializers.DateTimeField().to_representation(deadline)


class AppointmentCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_REASON_LENGTH,
        help_text="Why, in the patient's words (the therapist reads it).",
    )


class PatientChangeRefused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _refused(error: patient_changes.PatientChangeError) -> PatientChangeRefused:
    return PatientChangeRefused(detail=error.detail, code=error.code)


_REFUSED = OpenApiResponse(
    description="Refused, with a `code`: `inside_cancellation_window` (a cancellation too close "
    "to the start), `appointment_started` or `appointment_cancelled`; `detail` says to call "
    "the clinic, with its phone."
)


class MyAppointmentViewSet(
    PatientAccessLogMixin,
    PatientSelfMixin,
    FreshResponseMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own appointments: upcoming ones first (soonest first), then past ones
    (most recent first). Cancelled ones stay, with their status."""

    lookup_value_regex = ANY_SEGMENT
    queryset = Appointment.objects.select_related("therapist__user", "patient__clinic")
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

    @extend_schema(
        summary="Confirm my appointment",
        description="Until the appointment starts (the cancellation window does not apply: "
        "the reminders ask for it). Confirming again answers the same.",
        request=None,
        responses={200: MyAppointmentSerializer, 409: _REFUSED},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        appointment = self.get_object()
        try:
            patient_changes.appointment_confirm(appointment=appointment, actor=request.user)
        except patient_changes.PatientChangeError as error:
            raise _refused(error) from None
        return self.fresh_response(appointment)

    @extend_schema(
        summary="Cancel my appointment",
        description="Until `can_cancel_until`; the appointment stays, cancelled, its "
        "reminders stop and the therapist is alerted. Cancelling again answers the same.",
        request=AppointmentCancelSerializer,
        responses={200: MyAppointmentSerializer, 409: _REFUSED},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        appointment = self.get_object()
        body = AppointmentCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            patient_changes.appointment_cancel_by_patient(
                appointment=appointment,
                actor=request.user,
                reason=body.validated_data.get("reason", ""),
            )
        except patient_changes.PatientChangeError as error:
            raise _refused(error) from None
        return self.fresh_response(appointment)
