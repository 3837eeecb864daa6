"""Bodies of the patient's /me/program: the open program and today's plan."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.clock import ClockTimeField
from education.api.serializers import TopicLinkSerializer
from programs.media import MediaRow, exercise_media
from programs.models import Dosage, Exercise, PrescribedExercise, Prescription
from programs.stop_messages import patient_stop_message
from programs.today import Today

from .media_serializers import ExerciseMediaSerializer


class MyExerciseSerializer(serializers.ModelSerializer):
    exercise: serializers.SlugRelatedField[Exercise] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
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
    media = serializers.SerializerMethodField(
        help_text="Pictures and videos of the exercise in the patient's language and "
        "those without words, in order."
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
            "media",
        ]
        read_only_fields = fields

    def get_stop_message(self, obj: PrescribedExercise) -> str | None:
        return patient_stop_message(obj)

    @extend_schema_field(ExerciseMediaSerializer(many=True))
    def get_media(self, obj: PrescribedExercise) -> list[MediaRow]:
        return exercise_media(obj.exercise, self.context.get("request"))


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
    reminder_times = serializers.ListField(child=ClockTimeField())
    phase = serializers.IntegerField(allow_null=True, help_text="Null without an open program.")
    phase_name = serializers.CharField(allow_null=True)
    sessions_logged = serializers.IntegerField(help_text="Sessions logged today so far.")
    exercises = MyExerciseSerializer(many=True, help_text="Today's exercises; none while on hold.")
    education = TopicLinkSerializer(
        many=True, help_text="Up to three education topics, those for your cause and phase first."
    )


class StoppedExerciseSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The prescribed exercise's id.")
    exercise = serializers.CharField(source="exercise.slug")
    name = serializers.CharField(source="exercise.name")
    phase = serializers.IntegerField()
    stopped_at = serializers.DateTimeField(source="stopped_for_pain_at")
    stop_message = serializers.SerializerMethodField(
        help_text="What to tell the patient: do not do it, and contact the therapist."
    )

    def get_stop_message(self, obj: PrescribedExercise) -> str:
        return patient_stop_message(obj) or ""


class MyProgramSerializer(HoldFieldsSerializer):
    """The open program and today's plan; without an open program `has_program` is false,
    the program's fields are null or empty and today plans nothing, while the holds and
    the stopped exercises are still shown. Read from programs.today.Today."""

    has_program = serializers.SerializerMethodField(
        help_text="An active or paused program is open; false: the fields of the program "
        "are null or empty."
    )
    id = serializers.IntegerField(source="program.id", allow_null=True)
    name = serializers.CharField(source="program.name", allow_null=True)
    status = serializers.ChoiceField(
        source="program.status", choices=Prescription.Status.choices, allow_null=True
    )
    start_date = serializers.DateField(source="program.start_date", allow_null=True)
    phase_names = serializers.ListField(
        child=serializers.CharField(), help_text="In the patient's language where translated."
    )
    current_phase = serializers.IntegerField(source="program.current_phase", allow_null=True)
    current_phase_name = serializers.CharField(source="phase_name", allow_null=True)
    weekdays = serializers.SerializerMethodField()
    reminder_times = serializers.ListField(child=ClockTimeField())
    notes = serializers.SerializerMethodField()
    exercises = serializers.SerializerMethodField()
    stopped_exercises = StoppedExerciseSerializer(
        source="stopped",
        many=True,
        help_text="Stopped for pain and not resumed: do not do them until the therapist has "
        "reviewed them (the open program's; without one, the last program's).",
    )
    today = TodaySerializer(source="*")

    def get_has_program(self, obj: Today) -> bool:
        return obj.program is not None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_weekdays(self, obj: Today) -> list[int]:
        return list(obj.program.weekdays) if obj.program else []

    def get_notes(self, obj: Today) -> str:
        return obj.program.notes if obj.program else ""

    @extend_schema_field(MyExerciseSerializer(many=True))
    def get_exercises(self, obj: Today) -> Any:
        items = obj.program.exercises.all() if obj.program else []
        return MyExerciseSerializer(items, many=True, context=self.context).data
