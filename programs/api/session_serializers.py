"""Bodies of the session endpoints: a session as the patient logs it and as it is read,
and the adherence summary beside a patient's sessions."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import MAX_ID
from programs.models import (
    Exercise,
    ExerciseSession,
    ExtentChange,
    PainExtent,
    PainReadings,
    PainResponse,
    SessionExercise,
)
from programs.pain import WORST_PAIN

from .fields import count_field

_PAIN_HELP = {
    "back_pain_before": "Back pain before, 0 (none) to 10 (worst).",
    "back_pain_after": "Back pain after, 0 to 10.",
    "leg_pain_before": "Leg pain before, 0 (none) to 10 (worst).",
    "leg_pain_after": "Leg pain after, 0 to 10.",
}
_DEPRECATED = (
    "Deprecated (accepted for one more release): the single pain reading. On upload it "
    "is stored as leg pain when `pain_extent` is below the buttock (thigh, calf, foot), "
    "else as back pain; send it or the back and leg readings, not both. In answers: the "
    "worse of back and leg pain."
)


def _pain(name: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0,
        max_value=WORST_PAIN,
        allow_null=True,
        required=False,
        help_text=_PAIN_HELP[name],
    )


@extend_schema_field(
    {"type": "integer", "minimum": 0, "maximum": 10, "deprecated": True, "description": _DEPRECATED}
)
class DeprecatedPainField(serializers.IntegerField):
    """The single pain reading of the old app (pain_before / pain_after)."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", WORST_PAIN)
        super().__init__(**kwargs)


@extend_schema_field(
    {"type": "integer", "nullable": True, "deprecated": True, "description": _DEPRECATED}
)
class DeprecatedWorstPainField(serializers.IntegerField):
    """Read only: the worse of back and leg pain, for apps still reading one value."""

    def __init__(self, **kwargs: Any):
        super().__init__(read_only=True, **kwargs)


class SessionExerciseSerializer(serializers.ModelSerializer):
    exercise: serializers.SlugRelatedField[Exercise] = serializers.SlugRelatedField(
        source="prescribed_exercise.exercise", slug_field="slug", read_only=True
    )
    exercise_name = serializers.CharField(
        source="prescribed_exercise.exercise.name", read_only=True
    )
    pain_before = DeprecatedWorstPainField(source="worst_pain_before")
    pain_after = DeprecatedWorstPainField(source="worst_pain_after")

    class Meta:
        model = SessionExercise
        fields = [
            "id",
            "prescribed_exercise",
            "exercise",
            "exercise_name",
            "sets",
            "reps",
            "minutes",
            *PainReadings.PAIN_FIELDS,
            "pain_before",
            "pain_after",
        ]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    items = SessionExerciseSerializer(many=True, read_only=True)
    pain_before = DeprecatedWorstPainField(source="worst_pain_before")
    pain_after = DeprecatedWorstPainField(source="worst_pain_after")
    # Declared rather than derived: a read-only model field loses `allow_blank`, and the
    # schema would then promise one of the choices where the server sends "".
    pain_extent_before = serializers.ChoiceField(
        choices=PainExtent.choices,
        allow_blank=True,
        read_only=True,
        help_text="How far it reached before the session; blank when the app did not say.",
    )
    extent_change = serializers.ChoiceField(
        choices=ExtentChange.choices,
        allow_blank=True,
        read_only=True,
        help_text="Against the previous session; blank on sessions logged before the "
        "comparison existed.",
    )
    pain_response = serializers.ChoiceField(
        choices=PainResponse.choices,
        allow_blank=True,
        read_only=True,
        help_text="The pain rules' verdict: steady, centralization (back pain rose as the leg "
        "pain retreated: expected, nothing stopped) or worsened (exercises stopped); blank "
        "when no rule ran (during a hold, or logged before back and leg pain were read apart).",
    )

    class Meta:
        model = ExerciseSession
        fields = [
            "id",
            "client_id",
            "prescription",
            "performed_at",
            *PainReadings.PAIN_FIELDS,
            "pain_before",
            "pain_after",
            "pain_extent_before",
            "pain_extent",
            "extent_change",
            "pain_response",
            "during_hold",
            "notes",
            "items",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "during_hold": {
                "help_text": "Done while the patient was on hold: kept, but out of adherence "
                "and of the pain rules."
            },
        }


class PatientSessionSerializer(SessionSerializer):
    """A session as staff read it (its own name keeps the page with adherence apart)."""


class ExerciseDoneSerializer(serializers.Serializer):
    prescribed_exercise = serializers.IntegerField(
        source="prescribed_exercise_id",
        min_value=1,
        max_value=MAX_ID,
        help_text="The id of an exercise of your program (from /me/program/).",
    )
    sets = count_field()
    reps = count_field()
    minutes = count_field()
    back_pain_before = _pain("back_pain_before")
    back_pain_after = _pain("back_pain_after")
    leg_pain_before = _pain("leg_pain_before")
    leg_pain_after = _pain("leg_pain_after")
    pain_before = DeprecatedPainField(allow_null=True, required=False)
    pain_after = DeprecatedPainField(allow_null=True, required=False)


class StrictUUIDField(serializers.UUIDField):
    """A UUID as a string only (DRF would also turn a number into one)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class OffsetDateTimeField(serializers.DateTimeField):
    """A moment with its UTC offset. Without one, the time could be read in the server's
    zone or the patient's, and the phone's own zone may be neither: a session logged at
    the wrong hour can land on the wrong day of the program."""

    default_error_messages = {
        "offset": gettext_lazy(
            "Include the UTC offset, e.g. 2026-03-01T09:30:00+01:00, or Z for UTC."
        ),
    }

    def enforce_timezone(self, value: datetime.datetime) -> datetime.datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail("offset")
        return super().enforce_timezone(value)


class SessionLogSerializer(serializers.Serializer):
    """Back and leg pain are rated apart, before and after; either may be left out, not
    both."""

    client_id = StrictUUIDField(
        help_text="Made on the phone; a retried upload with the same id logs nothing new."
    )
    performed_at = OffsetDateTimeField(
        help_text="With its UTC offset; from the program's start date, at most a day ahead, "
        "at most 2 years ago."
    )
    back_pain_before = _pain("back_pain_before")
    back_pain_after = _pain("back_pain_after")
    leg_pain_before = _pain("leg_pain_before")
    leg_pain_after = _pain("leg_pain_after")
    pain_before = DeprecatedPainField(required=False)
    pain_after = DeprecatedPainField(required=False)
    pain_extent_before = serializers.ChoiceField(
        choices=PainExtent.choices,
        required=False,
        allow_blank=True,
        help_text="How far down the leg the pain reached before the session.",
    )
    pain_extent = serializers.ChoiceField(
        choices=PainExtent.choices, help_text="How far down the leg the pain reaches now."
    )
    exercises: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=ExerciseDoneSerializer(), min_length=1, max_length=100
    )
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class AdherenceWindowSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    sessions = serializers.IntegerField()
    days_with_session = serializers.IntegerField()
    scheduled_days = serializers.IntegerField(
        allow_null=True, help_text="Scheduled days of the open program in the window."
    )
    adherence_percent = serializers.IntegerField(allow_null=True)


class AdherenceSerializer(serializers.Serializer):
    today = serializers.DateField(help_text="The patient's local date.")
    last_7_days = AdherenceWindowSerializer()
    last_28_days = AdherenceWindowSerializer()
