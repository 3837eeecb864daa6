"""Bodies of the patient's /me/program: the open program and today's plan."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.clock import ClockTimeField
from education.api.serializers import TopicLinkSerializer
from programs.models import Dosage, Exercise, PrescribedExercise, Prescription


def stop_message(item: PrescribedExercise) -> str | None:
    """What the app tells the patient about a stopped exercise; None when it is not."""
    if not item.stop_and_contact_therapist:
        return None
    return item.stop_message or "Stop this exercise and contact your therapist."


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
        return stop_message(obj)


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
    reminder_times = serializers.ListField(child=ClockTimeField(), read_only=True)
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
