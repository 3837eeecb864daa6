"""Program endpoints: the library, prescriptions, session logs and the patient's /me/ views.

Views are thin: they validate the body, call a service from programs.services and
render the result; the clinic scope comes from the shared base classes.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from patients.models import Cause, Patient
from practice.api.audit import PatientAccessLogMixin
from practice.api.fields import MAX_ID, as_id
from practice.api.pagination import Pagination
from practice.api.permissions import RolePermissions, staff_of
from practice.api.viewsets import StaffViewSet
from programs import adherence, services
from programs.models import (
    Category,
    Exercise,
    ExerciseSession,
    PrescribedExercise,
    Prescription,
    ProgramKind,
    ProgramPhase,
    ProgramTemplate,
    SessionExercise,
    TemplateExercise,
)

from . import serializers as s
from .stops import ITEM_ID, RESUME_PERMISSION, ExerciseResumeMixin

# ---------------------------------------------------------------- shared bits


class IntegerFilter(filters.NumberFilter):
    """An id filter: whole numbers only (a decimal would be rounded to someone's id)."""

    field_class = forms.IntegerField


# Any path segment reaches the view, so a malformed id is the API's JSON 404, not the
# URL resolver's HTML page.
ANY_SEGMENT = r"[^/]+"


def path_id(value) -> int:
    pk = as_id(value)
    if pk is None or not 0 < pk <= MAX_ID:
        raise exceptions.NotFound("Not found.")
    return pk


class RoutedMethodsOnly:
    """A method the view does not serve (e.g. DELETE) is a 405, not a 403 from the
    role's missing delete permission."""

    def check_permissions(self, request):
        method = request.method.lower()
        if method not in self.http_method_names or getattr(self, method, None) is None:
            raise exceptions.MethodNotAllowed(request.method)
        super().check_permissions(request)


class SessionPagination(Pagination):
    """Pages of sessions with the patient's adherence summary alongside."""

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        window = {
            "type": "object",
            "properties": {
                "days": {"type": "integer"},
                "sessions": {"type": "integer"},
                "days_with_session": {"type": "integer"},
                "scheduled_days": {"type": "integer", "nullable": True},
                "adherence_percent": {"type": "integer", "nullable": True},
            },
            "required": [
                "days",
                "sessions",
                "days_with_session",
                "scheduled_days",
                "adherence_percent",
            ],
        }
        paginated["properties"]["adherence"] = {
            "type": "object",
            "description": "Sessions logged in the patient's last 7 and 28 local days.",
            "properties": {
                "today": {"type": "string", "format": "date"},
                "last_7_days": window,
                "last_28_days": window,
            },
            "required": ["today", "last_7_days", "last_28_days"],
        }
        paginated["required"] = [*paginated.get("required", []), "adherence"]
        return paginated


def contraindication_refusal(exc: services.ContraindicationError) -> exceptions.ValidationError:
    """The service's message plus the exercises it refused, for the app to show."""
    return exceptions.ValidationError(
        {
            "override_reason": exc.message_dict["override_reason"],
            "contraindications": [
                {
                    "exercise": c.exercise.slug,
                    "name": c.exercise.name,
                    "cause": c.cause,
                    "reason": c.reason,
                }
                for c in exc.contraindications
            ],
        }
    )


def local_today(patient: Patient) -> datetime.date:
    try:
        tz = zoneinfo.ZoneInfo(patient.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = datetime.UTC
    return timezone.localtime(timezone=tz).date()


def _local_midnight(patient: Patient, day: datetime.date) -> datetime.datetime:
    try:
        tz = zoneinfo.ZoneInfo(patient.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = datetime.UTC
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def session_queryset():
    items = SessionExercise.objects.select_related("prescribed_exercise__exercise").order_by("id")
    return ExerciseSession.objects.prefetch_related(Prefetch("items", queryset=items))


def adherence_summary(patient: Patient) -> dict:
    """Sessions in the last 7 and 28 days (patient's local days, today included),
    against the open program's schedule (programs.adherence)."""
    today = local_today(patient)
    since = _local_midnight(patient, today - datetime.timedelta(days=27))
    tz = since.tzinfo
    # A session done during a hold counts for no adherence (programs.adherence).
    performed = ExerciseSession.objects.filter(
        patient=patient, performed_at__gte=since, during_hold=False
    )
    local_days = [
        adherence.local_date(moment, tz)
        for moment in performed.values_list("performed_at", flat=True)
    ]
    programs = adherence.patient_adherence(patient=patient, today=today, open_only=True)
    scheduled = programs[0].scheduled_days if programs else None
    return {
        "today": today,
        **{
            f"last_{days}_days": adherence.window(
                today=today, days=days, session_days=local_days, scheduled=scheduled
            )
            for days in (7, 28)
        },
    }


class SessionFilter(filters.FilterSet):
    date_from = filters.DateFilter(
        field_name="performed_at", lookup_expr="date__gte", label="Performed on or after (UTC)"
    )
    date_to = filters.DateFilter(
        field_name="performed_at", lookup_expr="date__lte", label="Performed on or before (UTC)"
    )

    class Meta:
        model = ExerciseSession
        fields = ["date_from", "date_to"]


# ---------------------------------------------------------------- the library


class ExerciseFilter(filters.FilterSet):
    category = filters.ChoiceFilter(choices=Category.choices)
    method = filters.CharFilter(method="filter_method", max_length=50, label="Method tag")
    contraindicated_for = filters.ChoiceFilter(
        choices=Cause.choices, method="filter_contraindicated_for"
    )
    safe_for = filters.ChoiceFilter(choices=Cause.choices, method="filter_safe_for")
    search = filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=100, label="Name contains"
    )
    is_active = filters.BooleanFilter()

    class Meta:
        model = Exercise
        fields = ["category", "method", "contraindicated_for", "safe_for", "search", "is_active"]

    def filter_method(self, queryset, name, value):
        return queryset.filter(methods__contains=[value])

    def filter_contraindicated_for(self, queryset, name, value):
        return queryset.filter(contraindications__cause=value).distinct()

    def filter_safe_for(self, queryset, name, value):
        return queryset.exclude(contraindications__cause=value)


class LibraryViewSet(RoutedMethodsOnly, viewsets.ReadOnlyModelViewSet):
    """The shared exercise library: the same for every clinic, read-only over the API."""

    permission_classes = [RolePermissions]
    lookup_value_regex = ANY_SEGMENT


class ExerciseViewSet(LibraryViewSet):
    """Exercises with their steps, default dosage and contraindications."""

    queryset = Exercise.objects.prefetch_related("contraindications")
    serializer_class = s.ExerciseSerializer
    filterset_class = ExerciseFilter
    ordering_fields = ["name", "category", "id"]


class TemplateFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ProgramKind.choices)
    is_active = filters.BooleanFilter()

    class Meta:
        model = ProgramTemplate
        fields = ["kind", "is_active"]


class ProgramTemplateViewSet(LibraryViewSet):
    """Program templates with their phases and each phase's dosed exercises."""

    queryset = ProgramTemplate.objects.prefetch_related(
        Prefetch(
            "phases",
            queryset=ProgramPhase.objects.order_by("number").prefetch_related(
                Prefetch(
                    "exercises",
                    queryset=TemplateExercise.objects.order_by("order")
                    .select_related("exercise")
                    .prefetch_related("exercise__contraindications"),
                )
            ),
        )
    )
    serializer_class = s.ProgramTemplateSerializer
    filterset_class = TemplateFilter
    ordering_fields = ["name", "kind", "id"]


# ---------------------------------------------------------------- prescriptions


class PrescriptionFilter(filters.FilterSet):
    patient = IntegerFilter(field_name="patient_id")
    diagnosis = IntegerFilter(field_name="diagnosis_id")
    status = filters.MultipleChoiceFilter(choices=Prescription.Status.choices)
    open = filters.BooleanFilter(method="filter_open", label="Active or paused")

    class Meta:
        model = Prescription
        fields = ["patient", "diagnosis", "status", "open"]

    def filter_open(self, queryset, name, value):
        lookup = {"status__in": Prescription.OPEN_STATUSES}
        return queryset.filter(**lookup) if value else queryset.exclude(**lookup)


class PrescriptionViewSet(
    PatientAccessLogMixin,
    RoutedMethodsOnly,
    ExerciseResumeMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    StaffViewSet,
):
    """Patients' programs in the caller's clinic. Prescriptions are never deleted: a
    program ends as completed or stopped."""

    queryset = Prescription.objects.all()
    serializer_class = s.PrescriptionSerializer
    lookup_value_regex = ANY_SEGMENT
    filterset_class = PrescriptionFilter
    ordering_fields = ["start_date", "created_at", "updated_at", "status", "id"]
    action_permissions = {
        "advance_phase": "programs.change_prescription",
        "set_status": "programs.change_prescription",
        "schedule": "programs.change_prescription",
        "add_exercise": "programs.add_prescribedexercise",
        "exercise_dosage": "programs.change_prescribedexercise",
        **RESUME_PERMISSION,
    }

    def get_queryset(self):
        items = PrescribedExercise.objects.select_related("exercise", "resumed_by__user")
        items = items.order_by("phase", "order")
        return (
            super()
            .get_queryset()
            .select_related("patient", "template", "prescribed_by__user")
            .prefetch_related(Prefetch("exercises", queryset=items))
        )

    def _fresh(self, prescription: Prescription) -> Response:
        return Response(s.PrescriptionSerializer(self.get_queryset().get(pk=prescription.pk)).data)

    @extend_schema(
        summary="Prescribe a program",
        description="From a template (slug or id) or a custom list of exercises. Exercises "
        "contraindicated for the diagnosed cause are refused unless `override_reason` says "
        "why they are prescribed anyway.",
        request=s.PrescribeSerializer,
        responses={
            201: s.PrescriptionSerializer,
            400: OpenApiResponse(
                s.ContraindicationRefusalSerializer,
                description="Invalid input, or contraindicated exercises without an override.",
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        body = s.PrescribeSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "start_date" not in data:
            data["start_date"] = local_today(data["patient"])
        doses = data.pop("exercises", None)
        if doses is not None:
            data["exercises"] = [
                services.ExerciseDose(
                    exercise=dose["exercise"],
                    phase=dose["phase"],
                    order=order,
                    dosage={k: v for k, v in dose.items() if k not in ("exercise", "phase")},
                )
                for order, dose in enumerate(doses)
            ]
        try:
            prescription = services.program_prescribe(prescribed_by=staff_of(request.user), **data)
        except services.ContraindicationError as exc:
            raise contraindication_refusal(exc) from None
        response = self._fresh(prescription)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(summary="Move the program to its next phase", request=None)
    @action(detail=True, methods=["post"], url_path="advance-phase")
    def advance_phase(self, request, pk=None):
        prescription = services.prescription_advance_phase(
            prescription=self.get_object(), actor=request.user
        )
        return self._fresh(prescription)

    @extend_schema(
        summary="Pause, resume, complete or stop the program", request=s.StatusSerializer
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        prescription = self.get_object()
        body = s.StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        prescription = services.prescription_set_status(
            prescription=prescription, status=body.validated_data["status"], actor=request.user
        )
        return self._fresh(prescription)

    @extend_schema(summary="Set the weekdays and reminder times", request=s.ScheduleSerializer)
    @action(detail=True, methods=["put", "post"], url_path="schedule")
    def schedule(self, request, pk=None):
        prescription = self.get_object()
        body = s.ScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        prescription = services.prescription_set_schedule(
            prescription=prescription, actor=request.user, **body.validated_data
        )
        return self._fresh(prescription)

    @extend_schema(
        summary="Add an exercise to the program",
        request=s.AddExerciseSerializer,
        responses={
            201: s.PrescribedExerciseSerializer,
            400: OpenApiResponse(
                s.ContraindicationRefusalSerializer,
                description="Invalid input, or a contraindicated exercise without an override.",
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="exercises")
    def add_exercise(self, request, pk=None):
        prescription = self.get_object()
        body = s.AddExerciseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        exercise = data.pop("exercise")
        phase = data.pop("phase", None)
        override_reason = data.pop("override_reason", "")
        try:
            item = services.prescription_add_exercise(
                prescription=prescription,
                exercise=exercise,
                actor=staff_of(request.user),
                phase=phase,
                dosage=data,
                override_reason=override_reason,
            )
        except services.ContraindicationError as exc:
            raise contraindication_refusal(exc) from None
        return Response(s.PrescribedExerciseSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a prescribed exercise's dosage",
        parameters=[ITEM_ID],
        request=s.DosageSerializer,
        responses={200: s.PrescribedExerciseSerializer},
    )
    @action(detail=True, methods=["patch"], url_path=rf"exercises/(?P<item_id>{ANY_SEGMENT})")
    def exercise_dosage(self, request, pk=None, item_id=None):
        prescription = self.get_object()
        item = get_object_or_404(
            PrescribedExercise.objects.select_related("exercise"),
            prescription=prescription,
            pk=path_id(item_id),
        )
        body = s.DosageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.prescribed_exercise_set_dosage(
            item=item, dosage=dict(body.validated_data), actor=request.user
        )
        return Response(s.PrescribedExerciseSerializer(item).data)
