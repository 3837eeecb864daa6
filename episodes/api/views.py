"""A patient's status for staff: discharge, archive or reactivate, and what a discharge
would close. The status endpoint lives here, not with the other patient endpoints,
because closing an episode spans programs, appointments and reminders."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from appointments.models import Appointment
from core.api.routing import ANY_SEGMENT
from patients.api.serializers import PatientSerializer
from patients.models import Patient
from practice.api.audit import PatientAccessLogMixin
from practice.api.viewsets import StaffViewSet
from programs.models import Prescription

from .. import services
from ..selectors import episode_closure_preview


class PatientStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Patient.Status.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why the episode ends; kept with the discharge or archiving.",
    )


class ClosureProgramSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Prescription.Status.choices)


class ClosureAppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=Appointment.Kind.choices)
    therapist_name = serializers.CharField(source="therapist")


class ClosurePreviewSerializer(serializers.Serializer):
    programs = ClosureProgramSerializer(many=True, help_text="Open programs a discharge completes.")
    appointments = ClosureAppointmentSerializer(
        many=True, help_text="Appointments still to come that a discharge cancels."
    )
    pending_reminders = serializers.IntegerField(
        help_text="Reminders waiting to be sent that a discharge cancels."
    )


class PatientEpisodeViewSet(PatientAccessLogMixin, StaffViewSet):
    lookup_value_regex = ANY_SEGMENT
    queryset = Patient.objects.select_related("primary_therapist__user")
    serializer_class = PatientSerializer
    action_permissions = {
        "set_status": "patients.change_patient",
        "closure": "episodes.close_episode",
    }

    @extend_schema(
        summary="Discharge, archive or reactivate a patient",
        request=PatientStatusSerializer,
        responses=PatientSerializer,
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Discharge or archive (closing open programs, appointments still to come and
        pending reminders in one step; clinicians and clinic admins only), or reactivate."""
        patient = self.get_object()
        body = PatientStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.patient_change_status(
                patient=patient,
                status=body.validated_data["status"],
                actor=request.user,
                note=body.validated_data.get("note", ""),
            )
        except services.ClosingNotAllowedError as exc:
            raise exceptions.PermissionDenied(exc.messages[0]) from None
        fresh = self.get_queryset().get(pk=patient.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary="Preview what discharging would close", responses=ClosurePreviewSerializer
    )
    @action(detail=True, methods=["get"])
    def closure(self, request, pk=None):
        """What discharging or archiving the patient now would close."""
        preview = episode_closure_preview(patient=self.get_object())
        return Response(ClosurePreviewSerializer(preview).data)
