"""GET /api/v1/patients/{patient_id}/progress/: a patient's progress for the clinic's
staff: session pain, NPRS, ODI, RMDQ and adherence per week, and each measure's change
from baseline against its minimal clinically important difference.

Who may read it: staff whose role may read exercise sessions
(programs.view_exercisesession), of the patient's clinic; another clinic's patient is a
404, patients and other roles a 403. The numbers come from outcomes.selectors.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.routing import RoutedMethodsOnly, path_id
from outcomes.selectors import patient_progress
from patients.models import Patient
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import RolePermissions
from programs.models import ExerciseSession


def _score(**kwargs) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, **kwargs)


class ProgressAdherenceSerializer(serializers.Serializer):
    scheduled = serializers.IntegerField(help_text="Days the program scheduled.")
    done = serializers.IntegerField(help_text="Days with at least one session.")
    credited = serializers.IntegerField(
        help_text="Days done counted against the schedule: at most `scheduled` each week."
    )
    percent = serializers.IntegerField(
        allow_null=True, help_text="credited / scheduled, 0-100; null when none scheduled."
    )


class ProgressWeekSerializer(serializers.Serializer):
    week = serializers.CharField(help_text='ISO week, e.g. "2025-W10".')
    week_start = serializers.DateField(help_text="Its Monday (the patient's local date).")
    sessions = serializers.IntegerField(help_text="Sessions logged that week.")
    pain_before_mean = _score(
        help_text="Mean session pain before exercising (0-10): per session the worse of back "
        "and leg pain."
    )
    pain_after_mean = _score(
        help_text="Mean session pain after exercising (0-10): per session the worse of back "
        "and leg pain."
    )
    back_pain_before_mean = _score(help_text="Mean back pain before exercising (0-10).")
    back_pain_after_mean = _score(help_text="Mean back pain after exercising (0-10).")
    leg_pain_before_mean = _score(help_text="Mean leg pain before exercising (0-10).")
    leg_pain_after_mean = _score(help_text="Mean leg pain after exercising (0-10).")
    nprs = _score(source="scores.nprs", help_text="The week's latest NPRS (0-10).")
    odi = _score(source="scores.odi", help_text="The week's latest ODI (0-100).")
    rmdq = _score(source="scores.rmdq", help_text="The week's latest RMDQ (0-24).")
    adherence = ProgressAdherenceSerializer()


class ProgressReadingSerializer(serializers.Serializer):
    score = serializers.FloatField()
    answered_at = serializers.DateTimeField()
    occasion = serializers.CharField(help_text="baseline, follow_up or discharge.")


class ProgressMcidSerializer(serializers.Serializer):
    points = serializers.FloatField(help_text="An improvement of this many points...")
    percent = serializers.FloatField(
        allow_null=True, help_text="...or of this percentage of the baseline."
    )
    text = serializers.CharField()


class ProgressMeasureSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="nprs, odi or rmdq.")
    name = serializers.CharField()
    responses = serializers.IntegerField()
    baseline = ProgressReadingSerializer(allow_null=True, help_text="The first answer.")
    latest = ProgressReadingSerializer(allow_null=True, help_text="The most recent answer.")
    change = _score(help_text="Latest minus baseline; negative is an improvement.")
    percent_change = _score(help_text="The change as a percentage of the baseline.")
    mcid = ProgressMcidSerializer(help_text="The minimal clinically important difference.")
    meets_mcid = serializers.BooleanField(
        allow_null=True,
        help_text="The improvement reaches the MCID; null until there is a follow-up.",
    )


class ProgressMeasuresSerializer(serializers.Serializer):
    nprs = ProgressMeasureSerializer()
    odi = ProgressMeasureSerializer()
    rmdq = ProgressMeasureSerializer()


class PatientProgressSerializer(serializers.Serializer):
    patient = serializers.IntegerField(source="patient.pk")
    time_zone = serializers.CharField(source="patient.time_zone")
    today = serializers.DateField(help_text="The patient's local date.")
    adherence = ProgressAdherenceSerializer(help_text="Over all programs so far.")
    measures = ProgressMeasuresSerializer()
    weeks = ProgressWeekSerializer(many=True, help_text="Oldest first, up to this week.")


class PatientProgressView(PatientAccessLogMixin, RoutedMethodsOnly, APIView):
    """A patient's progress, week by week, with the outcome measures' changes."""

    permission_classes = [RolePermissions]
    # RolePermissions reads the model from here: the role must see exercise sessions.
    queryset = ExerciseSession.objects.none()

    @extend_schema(
        summary="A patient's progress: pain, outcome measures and adherence per week",
        description="Weeks are ISO weeks of the patient's local dates, from the first "
        "program, session or questionnaire to this week. For NPRS, ODI and RMDQ: baseline "
        "(first answer), latest, change, and whether the improvement reaches the minimal "
        "clinically important difference (NPRS 2 points or 30%, ODI 10 points or 30%, "
        "RMDQ 5 points).",
        parameters=[OpenApiParameter("patient_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: PatientProgressSerializer},
    )
    def get(self, request, patient_id: str):
        patient = get_object_or_404(Patient.objects.for_user(request.user), pk=path_id(patient_id))
        progress = patient_progress(patient=patient)
        return Response(PatientProgressSerializer(progress).data)
