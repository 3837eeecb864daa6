"""Patients (with their hold and referral actions) and diagnoses for staff. Every write
goes through patients.services. Screenings, alerts and symptom reports are in
screening_views; the patient's own profile under /me/ is composed in
programs.api.me_profile, with the program's reminder times."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, filters, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.ordering import StrictOrderingFilter
from core.api.routing import ANY_SEGMENT
from patients import services
from patients.access import may_read_diagnoses
from patients.models import Cause, Diagnosis, Patient, ReferralOutcome
from patients.selectors import latest_diagnosis_cause
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import caller, staff_caller
from practice.api.viewsets import StaffViewSet, clinic_choices
from practice.models import StaffMember

from . import screening_serializers as ss
from . import serializers as s
from .rows import patient_row

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
    on_referral_hold = django_filters.BooleanFilter(
        method="filter_on_referral_hold", label="On a referral hold (refer before treatment)."
    )
    cause = django_filters.ChoiceFilter(
        choices=Cause.choices, method="filter_cause", label="Cause of the latest diagnosis."
    )
    any_cause = django_filters.ChoiceFilter(
        choices=Cause.choices, method="filter_any_cause", label="Cause of any diagnosis."
    )

    class Meta:
        model = Patient
        fields = [
            "status",
            "primary_therapist",
            "on_hold",
            "on_referral_hold",
            "cause",
            "any_cause",
        ]

    def filter_on_hold(self, queryset, name, value):
        return queryset.filter(medical_hold_since__isnull=not value)

    def filter_on_referral_hold(self, queryset, name, value):
        return queryset.filter(referral_hold_since__isnull=not value)

    def filter_queryset(self, queryset):
        asked = [name for name in ("cause", "any_cause") if self.form.cleaned_data.get(name)]
        if asked and self.request is not None and not may_read_diagnoses(self.request.user):
            raise exceptions.PermissionDenied(
                f"Your role does not read diagnoses, so it cannot filter patients by {asked[0]}."
            )
        return super().filter_queryset(queryset)

    def filter_cause(self, queryset, name, value):
        return queryset.annotate(latest_cause=latest_diagnosis_cause()).filter(latest_cause=value)

    def filter_any_cause(self, queryset, name, value):
        return queryset.filter(pk__in=Diagnosis.objects.filter(cause=value).values("patient_id"))


class PatientViewSet(
    PatientAccessLogMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    StaffViewSet,
):
    """Patients of the caller's clinic. Never deleted: archive through /status/ (served by
    episodes.api, since closing an episode spans programs, appointments and reminders)."""

    lookup_value_regex = ANY_SEGMENT
    queryset = Patient.objects.select_related("primary_therapist__user", "user").prefetch_related(
        Prefetch(
            "diagnoses",
            queryset=Diagnosis.objects.order_by("-diagnosed_on", "-id"),
            to_attr="diagnoses_latest_first",
        )
    )
    serializer_class = s.PatientSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter, StrictOrderingFilter]
    filterset_class = PatientFilter
    search_fields = ["first_name", "last_name", "mrn"]
    ordering_fields = ["last_name", "created_at", "mrn"]
    ordering = ["last_name", "first_name", "id"]
    action_permissions = {
        "invite": "patients.add_patientinvite",
        "clear_hold": "patients.clear_medical_hold",
        "referral_outcome": "patients.add_referraloutcome",
        "destroy": "patients.change_patient",
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False) or may_read_diagnoses(self.request.user):
            return queryset
        return queryset.prefetch_related(None)  # no diagnoses for a role that reads none

    def list(self, request, *args, **kwargs):
        """The page as plain dicts (patients.api.rows): the same answer as the serializer
        gives, at a fraction of the cost."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        if page is None:  # unpaginated (no list is today): the serializer's way
            return super().list(request, *args, **kwargs)
        with_diagnosis = may_read_diagnoses(request.user)
        rows = [patient_row(patient, with_diagnosis=with_diagnosis) for patient in page]
        return self.get_paginated_response(rows)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        patient = services.patient_register(
            clinic=staff_caller(request).clinic, actor=caller(request), **serializer.validated_data
        )
        return self.fresh_response(patient, status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = services.patient_update(
            patient=serializer.instance, actor=caller(self.request), **serializer.validated_data
        )

    def update(self, request, *args, **kwargs):
        super().update(request, *args, **kwargs)
        return self.fresh_response(self.get_object())

    @extend_schema(
        summary="Refused: patients are never deleted (archive instead)",
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

    @extend_schema(
        summary="Invite a patient to the app",
        request=None,
        responses={201: s.InvitationSerializer},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """A one-time code for the patient's app login; earlier unused codes stop working."""
        patient = self.get_object()
        invitation = services.patient_invite(patient=patient, invited_by=staff_caller(request))
        body = {"code": invitation.code, "expires_at": invitation.invite.expires_at}
        return Response(s.InvitationSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Lift a medical hold",
        request=ss.ClearHoldSerializer,
        responses=s.PatientSerializer,
    )
    @action(detail=True, methods=["post"], url_path="clear-hold")
    def clear_hold(self, request, pk=None):
        """Lift a red-flag medical hold, with a clinician's clearance note; the open
        red-flag alerts are resolved with the same note."""
        patient = self.get_object()
        serializer = ss.ClearHoldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.medical_hold_clear(
            patient=patient,
            cleared_by=staff_caller(request),
            note=serializer.validated_data["note"],
        )
        return self.fresh_response(patient)

    @extend_schema(
        summary="Record a physician's referral outcome",
        request=ss.ReferralOutcomeSerializer,
        responses={201: ss.ReferralOutcomeSerializer},
    )
    @action(detail=True, methods=["post"], url_path="referral-outcome")
    def referral_outcome(self, request, pk=None):
        """Record what the physician found after a serious-pathology flag. Only
        `cleared_to_treat` lifts the referral hold (and resolves the referral alerts with
        the note); other outcomes are recorded and the hold stays."""
        patient = self.get_object()
        serializer = ss.ReferralOutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.referral_outcome_record(
            patient=patient, recorded_by=staff_caller(request), **serializer.validated_data
        )
        record = ReferralOutcome.objects.select_related("patient", "recorded_by__user").get(
            pk=record.pk
        )
        return Response(ss.ReferralOutcomeSerializer(record).data, status=status.HTTP_201_CREATED)


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
        data.setdefault("diagnosed_by", staff_caller(self.request))
        serializer.instance = services.diagnosis_record(**data)
