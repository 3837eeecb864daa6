"""Patients, diagnoses, red-flag screenings and alerts for staff; the patient's own
profile and symptom reports under /me. Every write goes through patients.services."""

from __future__ import annotations

import django_filters
from django.db.models import Case, IntegerField, OuterRef, Prefetch, Subquery, Value, When
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from patients import services
from patients.models import Cause, ClinicalAlert, Diagnosis, Patient, RedFlagScreening
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import staff_of
from practice.api.viewsets import PatientSelfMixin, StaffViewSet, clinic_choices
from practice.models import StaffMember
from programs import services as program_services

from . import serializers as s

# Any path segment reaches the view, so a malformed id is the API's JSON 404, not the
# URL resolver's HTML page.
ANY_SEGMENT = r"[^/]+"


_staff_of_clinic = clinic_choices(StaffMember)
_patients_of_clinic = clinic_choices(Patient)


class SearchFilter(filters.SearchFilter):
    """DRF's search, refusing NUL bytes (PostgreSQL cannot compare them) with a 400."""

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        if "\x00" in value:
            raise exceptions.ValidationError(
                {self.search_param: ["Null characters are not allowed."]}
            )
        return super().get_search_terms(request)


class PatientFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Patient.Status.choices)
    primary_therapist = django_filters.ModelChoiceFilter(queryset=_staff_of_clinic)
    on_hold = django_filters.BooleanFilter(
        method="filter_on_hold", label="On a red-flag medical hold."
    )
    cause = django_filters.ChoiceFilter(
        choices=Cause.choices, method="filter_cause", label="Cause of the latest diagnosis."
    )
    any_cause = django_filters.ChoiceFilter(
        choices=Cause.choices, method="filter_any_cause", label="Cause of any diagnosis."
    )

    class Meta:
        model = Patient
        fields = ["status", "primary_therapist", "on_hold", "cause", "any_cause"]

    def filter_on_hold(self, queryset, name, value):
        return queryset.filter(medical_hold_since__isnull=not value)

    def filter_cause(self, queryset, name, value):
        latest = Diagnosis.objects.filter(patient=OuterRef("pk")).order_by("-diagnosed_on", "-id")
        return queryset.annotate(latest_cause=Subquery(latest.values("cause")[:1])).filter(
            latest_cause=value
        )

    def filter_any_cause(self, queryset, name, value):
        return queryset.filter(pk__in=Diagnosis.objects.filter(cause=value).values("patient_id"))


class PatientViewSet(
    PatientAccessLogMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    StaffViewSet,
):
    """Patients of the caller's clinic. Never deleted: archive through /status/."""

    lookup_value_regex = ANY_SEGMENT
    queryset = Patient.objects.select_related("primary_therapist__user").prefetch_related(
        Prefetch(
            "diagnoses",
            queryset=Diagnosis.objects.order_by("-diagnosed_on", "-id"),
            to_attr="diagnoses_latest_first",
        )
    )
    serializer_class = s.PatientSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter, filters.OrderingFilter]
    filterset_class = PatientFilter
    search_fields = ["first_name", "last_name", "mrn"]
    ordering_fields = ["last_name", "created_at", "mrn"]
    ordering = ["last_name", "first_name", "id"]
    action_permissions = {
        "set_status": "patients.change_patient",
        "invite": "patients.add_patientinvite",
        "clear_hold": "patients.clear_medical_hold",
        "destroy": "patients.change_patient",
    }

    def _answer(self, patient: Patient, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=patient.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        patient = services.patient_register(
            clinic=staff_of(request.user).clinic, actor=request.user, **serializer.validated_data
        )
        return self._answer(patient, status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = services.patient_update(
            patient=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def update(self, request, *args, **kwargs):
        super().update(request, *args, **kwargs)
        return self._answer(self.get_object())

    @extend_schema(
        request=None,
        responses={405: OpenApiResponse(description="Patients are never deleted; archive.")},
    )
    def destroy(self, request, *args, **kwargs):
        self.get_object()
        raise exceptions.MethodNotAllowed(
            request.method,
            detail="Patients are never deleted; archive instead "
            '(POST /api/v1/patients/{id}/status/ with {"status": "archived"}).',
        )

    @extend_schema(request=s.PatientStatusSerializer, responses=s.PatientSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        patient = self.get_object()
        serializer = s.PatientStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.patient_set_status(
            patient=patient, status=serializer.validated_data["status"], actor=request.user
        )
        return self._answer(patient)

    @extend_schema(request=None, responses={201: s.InvitationSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """A one-time code for the patient's app login; earlier unused codes stop working."""
        patient = self.get_object()
        invitation = services.patient_invite(patient=patient, invited_by=staff_of(request.user))
        body = {"code": invitation.code, "expires_at": invitation.invite.expires_at}
        return Response(s.InvitationSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ClearHoldSerializer, responses=s.PatientSerializer)
    @action(detail=True, methods=["post"], url_path="clear-hold")
    def clear_hold(self, request, pk=None):
        """Lift a red-flag medical hold, with a clinician's clearance note."""
        patient = self.get_object()
        serializer = s.ClearHoldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.medical_hold_clear(
            patient=patient,
            cleared_by=staff_of(request.user),
            note=serializer.validated_data["note"],
        )
        return self._answer(patient)


class DiagnosisFilter(django_filters.FilterSet):
    patient = django_filters.ModelChoiceFilter(queryset=_patients_of_clinic)
    cause = django_filters.ChoiceFilter(choices=Cause.choices)

    class Meta:
        model = Diagnosis
        fields = ["patient", "cause"]


class DiagnosisViewSet(
    PatientAccessLogMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    StaffViewSet,
):
    """Diagnoses are recorded, never edited or deleted; a new finding is a new diagnosis."""

    lookup_value_regex = ANY_SEGMENT
    queryset = Diagnosis.objects.select_related("diagnosed_by__user")
    serializer_class = s.DiagnosisSerializer
    filterset_class = DiagnosisFilter
    ordering_fields = ["diagnosed_on", "created_at"]
    ordering = ["-diagnosed_on", "-id"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.setdefault("diagnosed_by", staff_of(self.request.user))
        serializer.instance = services.diagnosis_record(**data)


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
    """Red-flag screenings. A positive one puts the patient on hold and raises an
    urgent alert; `on_medical_hold` in the answer says whether the patient is held now."""

    lookup_value_regex = ANY_SEGMENT
    queryset = RedFlagScreening.objects.select_related("patient")
    serializer_class = s.ScreeningSerializer
    filterset_class = ScreeningFilter
    ordering_fields = ["screened_at"]
    ordering = ["-screened_at", "-id"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        patient = data.pop("patient")
        notes = data.pop("notes", "")
        serializer.instance = services.red_flag_screen(
            patient=patient,
            flags={flag: data[flag] for flag in s.RED_FLAGS},
            screened_by=staff_of(self.request.user),
            source=RedFlagScreening.Source.CLINICIAN,
            notes=notes,
        )


class AlertFilter(django_filters.FilterSet):
    severity = django_filters.ChoiceFilter(choices=ClinicalAlert.Severity.choices)
    kind = django_filters.ChoiceFilter(choices=ClinicalAlert.Kind.choices)
    acknowledged = django_filters.BooleanFilter(method="filter_acknowledged")
    patient = django_filters.ModelChoiceFilter(queryset=_patients_of_clinic)

    class Meta:
        model = ClinicalAlert
        fields = ["severity", "kind", "acknowledged", "patient"]

    def filter_acknowledged(self, queryset, name, value):
        return queryset.filter(acknowledged_at__isnull=not value)


class AlertViewSet(
    PatientAccessLogMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet
):
    """Clinical alerts, urgent first, then newest."""

    lookup_value_regex = ANY_SEGMENT
    queryset = (
        ClinicalAlert.objects.select_related("patient", "acknowledged_by__user")
        .annotate(
            urgency=Case(
                When(severity=ClinicalAlert.Severity.URGENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", "-created_at", "-id")
    )
    serializer_class = s.AlertSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AlertFilter
    action_permissions = {"acknowledge": "patients.change_clinicalalert"}

    @extend_schema(request=None, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Mark the alert seen; a second acknowledgement keeps the first one's who and when."""
        alert = services.alert_acknowledge(
            alert=self.get_object(), staff_member=staff_of(request.user)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=alert.pk)).data)


# Patient self-service


class MeViewSet(PatientAccessLogMixin, PatientSelfMixin, viewsets.GenericViewSet):
    """The caller's own profile, contact preferences and reminder times."""

    serializer_class = s.MeSerializer

    def get_object(self):
        return Patient.objects.select_related("clinic", "primary_therapist__user").get(
            pk=self.patient.pk
        )

    def retrieve(self, request):
        return Response(self.get_serializer(self.get_object()).data)

    def partial_update(self, request):
        patient = self.get_object()
        serializer = self.get_serializer(patient, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        program_services.patient_preferences_update(
            patient=patient, actor=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(self.get_object()).data)


class SymptomReportViewSet(PatientSelfMixin, viewsets.GenericViewSet):
    """Report red-flag symptoms from the app. Any yes is an emergency: the answer tells
    the patient to seek care now, the program is put on hold and the therapist alerted."""

    serializer_class = s.SymptomReportSerializer

    @extend_schema(request=s.SymptomReportSerializer, responses={201: s.SymptomVerdictSerializer})
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
            actor=request.user,
        )
        verdict = {
            "positive": screening.is_positive,
            "emergency_guidance": services.EMERGENCY_GUIDANCE if screening.is_positive else None,
            "on_medical_hold": screening.patient.on_medical_hold,
        }
        return Response(s.SymptomVerdictSerializer(verdict).data, status=status.HTTP_201_CREATED)
