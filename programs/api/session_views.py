"""Session endpoints (the patient's uploads and staff reads) and the patient's
/me/program. Thin: the rules are in programs.sessions, the reads in programs.today."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from patients.models import Patient
from practice.api.audit import PatientAccessLogMixin
from practice.api.viewsets import ClinicScopedMixin, PatientSelfMixin
from programs import services, today
from programs.adherence import adherence_summary
from programs.models import ExerciseSession, SessionExercise

from . import serializers as s
from .views import (
    ANY_SEGMENT,
    RoutedMethodsOnly,
    SessionFilter,
    SessionPagination,
    path_id,
    session_queryset,
)

# ---------------------------------------------------------------- sessions (staff)


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
        items = SessionExercise.objects.select_related("prescribed_exercise__exercise")
        return (
            super()
            .get_queryset()
            .filter(patient_id=path_id(self.kwargs["patient_id"]))
            .prefetch_related(Prefetch("items", queryset=items.order_by("id")))
        )

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


# ---------------------------------------------------------------- the patient's own


class MyProgramView(PatientAccessLogMixin, PatientSelfMixin, APIView):
    """The caller's open program and what is planned for today (in their time zone)."""

    @extend_schema(
        summary="My program and today's plan",
        description="404 when there is no active or paused program. While the patient is on "
        "a medical or referral hold, `on_hold` says so with the guidance to show, and today "
        "is no exercise day and lists no exercises.",
        responses={200: s.MyProgramSerializer},
    )
    def get(self, request):
        patient = self.patient
        program = today.open_program(patient)
        if program is None:
            raise exceptions.NotFound(
                "You have no active exercise program. Your therapist will prescribe one."
            )
        context = {"today": today.program_today(patient, program), "request": request}
        return Response(s.MyProgramSerializer(program, context=context).data)


class MySessionViewSet(
    PatientAccessLogMixin,
    PatientSelfMixin,
    RoutedMethodsOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own exercise sessions, newest first; POST logs one (idempotent)."""

    lookup_value_regex = ANY_SEGMENT

    serializer_class = s.SessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["performed_at", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExerciseSession.objects.none()
        return session_queryset().filter(patient=self.patient)

    def _respond(self, session: ExerciseSession, created: bool) -> Response:
        session = self.get_queryset().get(pk=session.pk)
        return Response(
            s.SessionSerializer(session).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def _already_logged(self, data) -> ExerciseSession | None:
        """A retried upload answers with the stored session, whatever changed since."""
        if not isinstance(data, dict):
            return None
        try:
            client_id = (
                s.SessionLogSerializer().fields["client_id"].run_validation(data.get("client_id"))
            )
        except exceptions.ValidationError:
            return None
        return ExerciseSession.objects.filter(patient=self.patient, client_id=client_id).first()

    @extend_schema(
        summary="Log a session",
        description="`client_id` is made on the phone: a retried upload answers 200 with the "
        "session already stored and logs nothing new. Rate back pain and leg pain apart "
        "(`pain_before`/`pain_after` are deprecated). A session done during a hold is "
        "stored too, marked `during_hold`.",
        request=s.SessionLogSerializer,
        responses={
            201: OpenApiResponse(s.SessionSerializer, description="Logged."),
            200: OpenApiResponse(s.SessionSerializer, description="Already logged (a retry)."),
        },
    )
    def create(self, request, *args, **kwargs):
        existing = self._already_logged(request.data)
        if existing is not None:
            return self._respond(existing, created=False)
        body = s.SessionLogSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["exercises"] = [services.ExerciseDone(**item) for item in data["exercises"]]
        session, created = services.session_log(patient=self.patient, **data)
        return self._respond(session, created)
