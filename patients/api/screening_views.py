"""Red-flag screenings and clinical alerts for staff; the patient's own symptom report
under /me. Every write goes through patients.services (patients/screening.py holds the
rules)."""

from __future__ import annotations

import django_filters
from django.db.models import Case, IntegerField, Value, When
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.ordering import StrictOrderingFilter
from core.api.routing import ANY_SEGMENT
from patients import services
from patients.alerts import OPEN_ALERT
from patients.models import ClinicalAlert, Patient, RedFlagScreening
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import caller, staff_caller
from practice.api.viewsets import PatientSelfMixin, StaffViewSet, clinic_choices

from . import screening_serializers as ss

_patients_of_clinic = clinic_choices(Patient)


class ScreeningFilter(django_filters.FilterSet):
    patient = django_filters.ModelChoiceFilter(queryset=_patients_of_clinic)

    class Meta:
        model = RedFlagScreening
        fields = ["patient"]


class ScreeningViewSet(
    PatientAccessLogMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    StaffViewSet,
):
    """Red-flag screenings. An emergency flag puts the patient on medical hold with an
    urgent alert; a serious-pathology flag starts the referral hold with a routine one.
    `on_medical_hold` / `on_referral_hold` in the answer say whether the patient is held
    now."""

    lookup_value_regex = ANY_SEGMENT
    queryset = RedFlagScreening.objects.select_related("patient")
    serializer_class = ss.ScreeningSerializer
    filterset_class = ScreeningFilter
    ordering_fields = ["screened_at"]
    ordering = ["-screened_at", "-id"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        patient = data.pop("patient")
        notes = data.pop("notes", "")
        serializer.instance = services.red_flag_screen(
            patient=patient,
            flags={flag: data[flag] for flag in [*ss.RED_FLAGS, *ss.SERIOUS_FLAGS] if flag in data},
            screened_by=staff_caller(self.request),
            source=RedFlagScreening.Source.CLINICIAN,
            notes=notes,
            screened_at=data.get("screened_at"),
        )


class AlertFilter(django_filters.FilterSet):
    severity = django_filters.ChoiceFilter(choices=ClinicalAlert.Severity.choices)
    kind = django_filters.ChoiceFilter(choices=ClinicalAlert.Kind.choices)
    open = django_filters.BooleanFilter(
        method="filter_open", label="Neither acknowledged nor resolved (the inbox)."
    )
    acknowledged = django_filters.BooleanFilter(method="filter_acknowledged")
    resolved = django_filters.BooleanFilter(method="filter_resolved")
    patient = django_filters.ModelChoiceFilter(queryset=_patients_of_clinic)

    class Meta:
        model = ClinicalAlert
        fields = ["severity", "kind", "open", "acknowledged", "resolved", "patient"]

    def filter_open(self, queryset, name, value):
        return queryset.filter(OPEN_ALERT) if value else queryset.exclude(OPEN_ALERT)

    def filter_acknowledged(self, queryset, name, value):
        return queryset.filter(acknowledged_at__isnull=not value)

    def filter_resolved(self, queryset, name, value):
        return queryset.filter(resolved_at__isnull=not value)


class AlertViewSet(
    PatientAccessLogMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet
):
    """Clinical alerts, urgent first, then newest."""

    lookup_value_regex = ANY_SEGMENT
    queryset = (
        ClinicalAlert.objects.select_related(
            "patient", "acknowledged_by__user", "resolved_by__user"
        )
        .annotate(
            urgency=Case(
                When(severity=ClinicalAlert.Severity.URGENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", "-created_at", "-id")
    )
    serializer_class = ss.AlertSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = AlertFilter
    action_permissions = {"acknowledge": "patients.change_clinicalalert"}

    @extend_schema(summary="Acknowledge an alert", request=None, responses=ss.AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Mark the alert seen; a second acknowledgement keeps the first one's who and when.
        A resolved alert stays resolved."""
        alert = services.alert_acknowledge(
            alert=self.get_object(), staff_member=staff_caller(request)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=alert.pk)).data)


# Patient self-service


class SymptomReportViewSet(PatientSelfMixin, viewsets.GenericViewSet):
    """Report red-flag symptoms from the app. A yes to an emergency symptom tells the
    patient to seek care now, puts the program on hold and alerts the therapist at once.
    A yes to a serious-pathology question alone is no emergency: the program waits for a
    doctor's check (referral hold), the therapist gets a routine alert, and the answer
    says what happens next."""

    serializer_class = ss.SymptomReportSerializer

    @extend_schema(
        summary="Report my symptoms (red flags)",
        request=ss.SymptomReportSerializer,
        responses={201: ss.SymptomVerdictSerializer},
    )
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        notes = data.pop("notes", "")
        screening = services.red_flag_screen(
            patient=self.patient,
            flags=data,
            source=RedFlagScreening.Source.PATIENT_REPORT,
            notes=notes,
            actor=caller(request),
        )
        emergency = screening.is_positive
        verdict = {
            "positive": emergency,
            "emergency_guidance": services.EMERGENCY_GUIDANCE if emergency else None,
            "on_medical_hold": screening.patient.on_medical_hold,
            "needs_referral": screening.needs_referral,
            # The emergency guidance already says what to do now; never both.
            "referral_guidance": services.REFERRAL_GUIDANCE
            if screening.needs_referral and not emergency
            else None,
            "on_referral_hold": screening.patient.on_referral_hold,
        }
        return Response(ss.SymptomVerdictSerializer(verdict).data, status=status.HTTP_201_CREATED)
