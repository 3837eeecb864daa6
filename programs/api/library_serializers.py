"""Bodies of the exercise library's endpoints (read only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programs.media import MediaRow, exercise_media
from programs.models import (
    Contraindication,
    Dosage,
    Exercise,
    ProgramPhase,
    ProgramTemplate,
    TemplateExercise,
)

from .media_serializers import ExerciseMediaSerializer


class ContraindicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contraindication
        fields = ["cause", "reason"]


class ExerciseSerializer(serializers.ModelSerializer):
    methods = serializers.ListField(child=serializers.CharField(), read_only=True)
    steps = serializers.ListField(child=serializers.CharField(), read_only=True)
    dosage_text = serializers.CharField(read_only=True)
    contraindications = ContraindicationSerializer(many=True, read_only=True)
    media = serializers.SerializerMethodField(
        help_text="Pictures and videos of the exercise in the active language and those "
        "without words, in order."
    )

    class Meta:
        model = Exercise
        fields = [
            "id",
            "slug",
            "name",
            "category",
            "methods",
            "summary",
            "steps",
            *Dosage.DOSAGE_FIELDS,
            "dosage_text",
            "contraindications",
            "media",
            "is_active",
        ]
        read_only_fields = fields

    @extend_schema_field(ExerciseMediaSerializer(many=True))
    def get_media(self, obj: Exercise) -> list[MediaRow]:
        return exercise_media(obj, self.context.get("request"))


class DosedExerciseFields(serializers.Serializer):
    """A library exercise as a template or a program doses it: slug, id and name, and
    the dosage in words."""

    exercise: serializers.SlugRelatedField[Exercise] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    exercise_id = serializers.IntegerField(read_only=True)
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    dosage_text = serializers.CharField(read_only=True)


class TemplateExerciseSerializer(DosedExerciseFields, serializers.ModelSerializer):
    contraindicated_for = serializers.SerializerMethodField()

    class Meta:
        model = TemplateExercise
        fields = [
            "exercise",
            "exercise_id",
            "exercise_name",
            "order",
            *Dosage.DOSAGE_FIELDS,
            "dosage_text",
            "contraindicated_for",
        ]
        read_only_fields = fields

    def get_contraindicated_for(self, obj: TemplateExercise) -> list[str]:
        return [c.cause for c in obj.exercise.contraindications.all()]


class ProgramPhaseSerializer(serializers.ModelSerializer):
    exercises = TemplateExerciseSerializer(many=True, read_only=True)

    class Meta:
        model = ProgramPhase
        fields = ["number", "name", "goal", "weeks", "exercises"]
        read_only_fields = fields


class ProgramTemplateSerializer(serializers.ModelSerializer):
    phases = ProgramPhaseSerializer(many=True, read_only=True)

    class Meta:
        model = ProgramTemplate
        fields = ["id", "slug", "name", "kind", "description", "is_active", "phases"]
        read_only_fields = fields
