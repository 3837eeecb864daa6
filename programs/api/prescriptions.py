"""Staff endpoints of patients' programs: /api/v1/prescriptions/ and its actions.

Thin views: they validate the body, call a service from programs.services and render
the result; the clinic scope comes from the shared base classes (another clinic's
program is a 404, a role without the permission a 403).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.filters import IdFilter
from core.api.routing import ANY_SEGMENT, RoutedMethodsOnly, path_id
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import staff_caller
from practice.api.viewsets import StaffViewSet
from programs import services
from programs.models import PrescribedExercise, Prescription

from . import prescription_serializers as s
from .stops import ITEM_ID, RESUME_PERMISSION, ExerciseResumeMixin


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


class PrescriptionFilter(filters.FilterSet):
    patient = IdFilter(field_name="patient_id")
    diagnosis = IdFilter(field_name="diagnosis_id")
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
            prescription = services.program_prescribe(prescribed_by=staff_caller(request), **data)
        except services.ContraindicationError as exc:
            raise contraindication_refusal(exc) from None
        return self.fresh_response(prescription, status.HTTP_201_CREATED)

    @extend_schema(summary="Move the program to its next phase", request=None)
    @action(detail=True, methods=["post"], url_path="advance-phase")
    def advance_phase(self, request, pk=None):
        prescription = services.prescription_advance_phase(
            prescription=self.get_object(), actor=request.user
        )
        return self.fresh_response(prescription)

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
        return self.fresh_response(prescription)

    @extend_schema(summary="Set the weekdays and reminder times", request=s.ScheduleSerializer)
    @action(detail=True, methods=["put", "post"], url_path="schedule")
    def schedule(self, request, pk=None):
        prescription = self.get_object()
        body = s.ScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        prescription = services.prescription_set_schedule(
            prescription=prescription, actor=request.user, **body.validated_data
        )
        return self.fresh_response(prescription)

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
                actor=staff_caller(request),
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
