"""GET /api/v1/me/history/: the caller's own history: sessions per week, the pain trend
and questionnaire scores with their meaning in plain words (outcomes.history)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.routing import RoutedMethodsOnly
from outcomes.history import patient_history
from outcomes.models import Code, Occasion
from practice.api.audit import PatientAccessLogMixin
from practice.api.viewsets import PatientRecordMixin


def _score(**kwargs) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, **kwargs)


class HistoryWeekSerializer(serializers.Serializer):
    week = serializers.CharField(help_text='ISO week, e.g. "2025-W10".')
    week_start = serializers.DateField(help_text="Its Monday, in your time zone.")
    sessions = serializers.IntegerField(help_text="Sessions you logged that week.")
    days_planned = serializers.IntegerField(
        source="adherence.scheduled", help_text="Exercise days your program planned."
    )
    days_done = serializers.IntegerField(
        source="adherence.done", help_text="Days with at least one session."
    )
    back_pain = _score(
        source="back_pain_before_mean", help_text="Mean back pain before exercising (0-10)."
    )
    leg_pain = _score(
        source="leg_pain_before_mean", help_text="Mean leg pain before exercising (0-10)."
    )
    back_pain_after = _score(
        source="back_pain_after_mean", help_text="Mean back pain after exercising (0-10)."
    )
    leg_pain_after = _score(
        source="leg_pain_after_mean", help_text="Mean leg pain after exercising (0-10)."
    )


class TrendSerializer(serializers.Serializer):
    baseline = _score(help_text="The first reading.")
    latest = _score(help_text="The most recent reading.")
    change = _score(help_text="Latest minus baseline; negative is better. Null until a second.")
    improved = serializers.BooleanField(
        allow_null=True,
        help_text="The improvement is clinically important (the minimal clinically important "
        "difference); null until there is a second reading, or where the measure has none.",
    )
    meaning = serializers.CharField(help_text="The verdict in plain words.")


class PainTrendSerializer(serializers.Serializer):
    back = TrendSerializer(source="back_pain", help_text="Back pain, week by week.")
    leg = TrendSerializer(source="leg_pain", help_text="Leg pain, week by week.")


class HistoryScoreSerializer(serializers.Serializer):
    answered_at = serializers.DateTimeField()
    answered_on = serializers.DateField(help_text="The date, in your time zone.")
    occasion = serializers.ChoiceField(choices=Occasion.choices)
    score = serializers.FloatField()
    band = serializers.CharField(help_text="ODI band or STarT Back risk group; empty for others.")
    meaning = serializers.CharField(help_text="What the score means, in plain words.")


class HistoryQuestionnaireSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Code.choices)
    title = serializers.CharField()
    scores = HistoryScoreSerializer(many=True, help_text="Oldest first.")
    trend = TrendSerializer(help_text="From your first answer to your latest.")


class MyHistorySerializer(serializers.Serializer):
    today = serializers.DateField(source="progress.today", help_text="Your local date.")
    weeks = HistoryWeekSerializer(many=True, help_text="Oldest first, up to this week.")
    pain = PainTrendSerializer(source="*", help_text="Pain rated before exercising.")
    questionnaires = HistoryQuestionnaireSerializer(many=True)


class MyHistoryView(PatientAccessLogMixin, PatientRecordMixin, RoutedMethodsOnly, APIView):
    """The caller's own sessions, pain and scores over time."""

    @extend_schema(
        summary="My history: sessions, pain trend and questionnaire scores",
        description="Weeks are ISO weeks in your time zone. Pain is the mean of what you "
        "rated before exercising; the trend compares the first week with the latest. Each "
        "questionnaire lists its scores with their meaning, and says whether the change "
        "since your first answer is clinically important (NPRS and pain 2 points or 30%, "
        "ODI 10 points or 30%, RMDQ 5 points; STarT Back has none).",
        responses={200: MyHistorySerializer},
    )
    def get(self, request):
        return Response(MyHistorySerializer(patient_history(patient=self.patient)).data)
