"""Bodies of the session endpoints and of the patient's /me/program (re-exported by
programs.api.serializers)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from education.api.serializers import TopicLinkSerializer
from practice.api.fields import MAX_ID
from programs.models import (
    Dosage,
    ExerciseSession,
    PainExtent,
    PainReadings,
    PrescribedExercise,
    Prescription,
    SessionExercise,
)

MAX_COUNT = 1000

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
        min_value=0, max_value=10, allow_null=True, required=False, help_text=_PAIN_HELP[name]
    )


def _count() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=MAX_COUNT, allow_null=True, required=False
    )


@extend_schema_field(
    {"type": "integer", "minimum": 0, "maximum": 10, "deprecated": True, "description": _DEPRECATED}
)
class DeprecatedPainField(serializers.IntegerField):
    """The single pain reading of the old app (pain_before / pain_after)."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 10)
        super().__init__(**kwargs)


@extend_schema_field(
    {"type": "integer", "nullable": True, "deprecated": True, "description": _DEPRECATED}
)
class DeprecatedWorstPainField(serializers.IntegerField):
    """Read only: the worse of back and leg pain, for apps still reading one value."""

    def __init__(self, **kwargs: Any):
        super().__init__(read_only=True, **kwargs)


# ---------------------------------------------------------------- sessions


class SessionExerciseSerializer(serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(
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
            "pain_response": {
                "help_text": "The pain rules' verdict: steady, centralization (back pain rose "
                "as the leg pain retreated: expected, nothing stopped) or worsened (exercises "
                "stopped); blank when no rule ran (during a hold, or logged before back and "
                "leg pain were read apart)."
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
    sets = _count()
    reps = _count()
    minutes = _count()
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


class SessionLogSerializer(serializers.Serializer):
    """Back and leg pain are rated apart, before and after; either may be left out, not
    both."""

    client_id = StrictUUIDField(
        help_text="Made on the phone; a retried upload with the same id logs nothing new."
    )
    performed_at = serializers.DateTimeField(
        help_text="From the program's start date, at most a day ahead, at most 2 years ago."
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
    exercises = ExerciseDoneSerializer(many=True, min_length=1, max_length=100)
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


# ---------------------------------------------------------------- /me/program


class MyExerciseSerializer(serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="exercise.name", read_only=True)
    category = serializers.CharField(source="exercise.category", read_only=True)
    summary = serializers.CharField(source="exercise.summary", read_only=True)
    steps = serializers.ListField(
        source="exercise.steps", child=serializers.CharField(), read_only=True
    )
    dosage_text = serializers.CharField(read_only=True)
    stop_and_contact_therapist = serializers.BooleanField(
        read_only=True,
        help_text="The pain rose or spread with this exercise: do not do it, and contact "
        "your therapist, until they have reviewed it.",
    )
    stop_message = serializers.SerializerMethodField(
        help_text="What to tell the patient when the exercise is stopped; null otherwise."
    )

    class Meta:
        model = PrescribedExercise
        fields = [
            "id",
            "exercise",
            "name",
            "category",
            "summary",
            "steps",
            "phase",
            "order",
            *Dosage.DOSAGE_FIELDS,
            "dosage_text",
            "stop_and_contact_therapist",
            "stop_message",
        ]
        read_only_fields = fields

    def get_stop_message(self, obj: PrescribedExercise) -> str | None:
        if not obj.stop_and_contact_therapist:
            return None
        return obj.stop_message or "Stop this exercise and contact your therapist."


class HoldFieldsSerializer(serializers.Serializer):
    on_hold = serializers.BooleanField(
        help_text="On a medical or referral hold: no exercise until a clinician lifts it."
    )
    hold_kind = serializers.ChoiceField(
        choices=["medical", "referral"],
        allow_null=True,
        help_text="medical: an emergency red flag; referral: see a physician before "
        "treatment goes on; null when not on hold.",
    )
    hold_guidance = serializers.CharField(
        allow_null=True, help_text="What to tell the patient while held; null when not."
    )


class TodaySerializer(HoldFieldsSerializer):
    date = serializers.DateField(help_text="Today in the patient's time zone.")
    time_zone = serializers.CharField()
    weekday = serializers.IntegerField(help_text="0 = Monday ... 6 = Sunday.")
    is_scheduled_day = serializers.BooleanField(help_text="Today is one of the program's weekdays.")
    is_exercise_day = serializers.BooleanField(
        help_text="A scheduled day of an active program that has started, and no hold."
    )
    reminder_times = serializers.ListField(child=serializers.CharField())
    phase = serializers.IntegerField()
    phase_name = serializers.CharField()
    sessions_logged = serializers.IntegerField(help_text="Sessions logged today so far.")
    exercises = MyExerciseSerializer(many=True, help_text="Today's exercises; none while on hold.")
    education = TopicLinkSerializer(
        many=True, help_text="Up to three education topics, those for your cause and phase first."
    )


class MyProgramSerializer(serializers.ModelSerializer):
    phase_names = serializers.ListField(child=serializers.CharField(), read_only=True)
    current_phase_name = serializers.CharField(read_only=True)
    weekdays = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    reminder_times = serializers.ListField(child=serializers.CharField(), read_only=True)
    exercises = MyExerciseSerializer(many=True, read_only=True)
    on_hold = serializers.SerializerMethodField()
    hold_kind = serializers.SerializerMethodField()
    hold_guidance = serializers.SerializerMethodField()
    today = serializers.SerializerMethodField()

    class Meta:
        model = Prescription
        fields = [
            "id",
            "name",
            "status",
            "start_date",
            "phase_names",
            "current_phase",
            "current_phase_name",
            "weekdays",
            "reminder_times",
            "notes",
            "on_hold",
            "hold_kind",
            "hold_guidance",
            "exercises",
            "today",
        ]
        read_only_fields = fields

    @extend_schema_field(HoldFieldsSerializer().fields["on_hold"])
    def get_on_hold(self, obj: Prescription) -> bool:
        return self.context["today"].on_hold

    @extend_schema_field(HoldFieldsSerializer().fields["hold_kind"])
    def get_hold_kind(self, obj: Prescription) -> str | None:
        return self.context["today"].hold_kind

    @extend_schema_field(HoldFieldsSerializer().fields["hold_guidance"])
    def get_hold_guidance(self, obj: Prescription) -> str | None:
        return self.context["today"].hold_guidance

    @extend_schema_field(TodaySerializer)
    def get_today(self, obj: Prescription) -> dict:
        return TodaySerializer(self.context["today"], context=self.context).data
