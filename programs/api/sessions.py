"""Session endpoints: the patient's uploads and reads of their own sessions
(/me/sessions/), and staff reads of a patient's sessions with the adherence summary.
Thin: the rules are in programs.sessions, the summary in programs.adherence."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, status, viewsets
from rest_framework.response import Response

from core.api.filters import ChangedSinceFilter
from core.api.pagination import Pagination
from core.api.routing import ANY_SEGMENT, RoutedMethodsOnly, path_id
from patients.models import Patient
from practice.api.audit import PatientAccessLogMixin
from practice.api.viewsets import ClinicScopedMixin, FreshResponseMixin, PatientSelfMixin
from programs import services
from programs.adherence import adherence_summary
from programs.models import ExerciseSession, SessionExercise

from . import session_serializers as s


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


def with_items(sessions: QuerySet[ExerciseSession]) -> QuerySet[ExerciseSession]:
    """The sessions with their exercises, each with its library row, in two queries."""
    items = SessionExercise.objects.select_related("prescribed_exercise__exercise").order_by("id")
    return sessions.prefetch_related(Prefetch("items", queryset=items))


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


class MySessionFilter(SessionFilter):
    since = ChangedSinceFilter(
        field_name="created_at",
        lookup_expr="gt",
        label="Logged after this moment (ISO 8601 with its UTC offset), and in the minute "
        "before it, so a session committed late is not missed (keep sessions by id): for a "
        "phone catching up, the latest created_at it holds. Sessions are never changed once "
        "logged, so these are all that is new.",
    )

    class Meta(SessionFilter.Meta):
        fields = ["date_from", "date_to", "since"]


class PatientSessionsView(
    PatientAccessLogMixin, RoutedMethodsOnly, ClinicScopedMixin, generics.ListAPIView
):
    """A patient's logged sessions, newest first, with an adherence summary."""

    queryset = ExerciseSession.objects.all()
    serializer_class = s.PatientSessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["performed_at", "created_at"]
    pagination_class = SessionPagination

    def get_patient(self) -> Patient:
        if not hasattr(self, "_patient"):
            self._patient = get_object_or_404(
                Patient.objects.for_user(self.request.user), pk=path_id(self.kwargs["patient_id"])
            )
        return self._patient

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExerciseSession.objects.none()
        patient_id = path_id(self.kwargs["patient_id"])
        return with_items(super().get_queryset().filter(patient_id=patient_id))

    def list(self, request, *args, **kwargs):
        self.get_patient()  # another clinic's patient (or none) is a 404
        return super().list(request, *args, **kwargs)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        summary = adherence_summary(patient=self.get_patient())
        response.data["adherence"] = s.AdherenceSerializer(summary).data
        return response

    @extend_schema(
        summary="A patient's exercise sessions, with adherence",
        parameters=[OpenApiParameter("patient_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        description="Newest first. `since` gives only the sessions logged after a moment "
        "(a phone catching up after being offline). Carries an ETag: send it back in "
        "If-None-Match for a 304 while nothing changed.",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description="Only the sessions logged after this moment, an ISO 8601 date and "
                "time with its UTC offset (`+` encoded as `%2B`, or `Z`): the latest "
                "`created_at` the phone holds. Sessions never change once logged, so these "
                "are all that is new. Without an offset it is a 400.",
            )
        ],
    )
)
class MySessionViewSet(
    PatientAccessLogMixin,
    PatientSelfMixin,
    FreshResponseMixin,
    RoutedMethodsOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own exercise sessions, newest first; POST logs one (idempotent)."""

    lookup_value_regex = ANY_SEGMENT

    serializer_class = s.SessionSerializer
    filterset_class = MySessionFilter
    ordering_fields = ["performed_at", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExerciseSession.objects.none()
        return with_items(ExerciseSession.objects.filter(patient=self.patient))

    def _respond(self, session: ExerciseSession, created: bool) -> Response:
        if created:
            # The session as session_log stored it, its exercises with it: every field
            # was written from these values, so reading the rows back would only repeat
            # them (tests compare this answer with a read of the stored session).
            data = self.get_serializer(session).data
            return Response(data, status=status.HTTP_201_CREATED)
        return self.fresh_response(session, status.HTTP_200_OK)

    @extend_schema(
        summary="Log a session",
        description="`client_id` is made on the phone: a retried upload answers 200 with the "
        "session already stored and logs nothing new; the same `client_id` with a body that "
        "differs is a 409 naming the differing fields. Rate back pain and leg pain apart "
        "(`pain_before`/`pain_after` are deprecated). A session done during a hold is "
        "stored too, marked `during_hold`.",
        request=s.SessionLogSerializer,
        responses={
            201: OpenApiResponse(s.SessionSerializer, description="Logged."),
            200: OpenApiResponse(s.SessionSerializer, description="Already logged (a retry)."),
            409: OpenApiResponse(description="This client_id is logged with another body."),
        },
    )
    def create(self, request, *args, **kwargs):
        body = s.SessionLogSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["exercises"] = [services.ExerciseDone(**item) for item in data["exercises"]]
        # A retry finds the stored session first thing, before any rule of today is
        # applied to it (the program may have closed since).
        session, created = services.session_log(patient=self.patient, **data)
        return self._respond(session, created)
