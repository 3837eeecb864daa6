"""POST /api/v1/prescriptions/{id}/exercises/{item_id}/resume/ with {"note": "..."}.

The rule is `programs.stops.exercise_resume`; the view finds the exercise within the
prescription, itself found within the caller's clinic (another clinic's is a 404), and
passes the note on. Who may: roles that change prescribed exercises (clinicians); the
front desk gets a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.routing import ANY_SEGMENT, path_id
from practice.api.permissions import staff_caller
from programs import services
from programs.models import PrescribedExercise, Prescription

from .prescription_serializers import PrescribedExerciseSerializer
from .stop_serializers import ResumeSerializer

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    # What the mixin extends: typed as the prescriptions viewset it is mixed into.
    _ViewBase = GenericAPIView[Prescription]
else:
    _ViewBase = object

ITEM_ID = OpenApiParameter(
    "item_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="A prescribed exercise id."
)
RESUME_PERMISSION = {"exercise_resume": "programs.change_prescribedexercise"}


class ExerciseResumeMixin(_ViewBase):
    """The resume action of the prescriptions viewset."""

    @extend_schema(
        summary="Resume a stopped exercise",
        description="A clinician has reviewed an exercise the safety rules stopped, and the "
        "patient may do it again; the note says why. Refused (400, with the reason) while "
        "the patient is on a medical or referral hold, for an exercise that is not stopped, "
        "on a completed or stopped program, and without a note. Acknowledging the alert "
        "does not resume the exercise.",
        parameters=[ITEM_ID],
        request=ResumeSerializer,
        responses={
            200: OpenApiResponse(PrescribedExerciseSerializer, description="Resumed."),
            400: OpenApiResponse(description="Refused: the message says why."),
        },
    )
    @action(detail=True, methods=["post"], url_path=rf"exercises/(?P<item_id>{ANY_SEGMENT})/resume")
    def exercise_resume(self, request: Request, pk: str | None = None, item_id: str = ""):
        prescription = self.get_object()
        item = get_object_or_404(PrescribedExercise, prescription=prescription, pk=path_id(item_id))
        body = ResumeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.exercise_resume(
            item=item, staff_member=staff_caller(request), note=body.validated_data["note"]
        )
        fresh = PrescribedExercise.objects.select_related("exercise", "resumed_by__user")
        return Response(PrescribedExerciseSerializer(fresh.get(pk=item.pk)).data)
