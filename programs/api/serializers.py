"""Request and response bodies of the program endpoints (staff and /me/)."""

from __future__ import annotations

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from patients.models import Diagnosis, Patient
from practice.api.fields import MAX_ID, ClinicScopedPKField, as_id
from programs.models import (
    Contraindication,
    Dosage,
    Exercise,
    PrescribedExercise,
    Prescription,
    ProgramPhase,
    ProgramTemplate,
    TemplateExercise,
)
from programs.schedule import MAX_REMINDER_TIMES

from .me_serializers import AdherenceSerializer as AdherenceSerializer
from .me_serializers import ExerciseDoneSerializer as ExerciseDoneSerializer
from .me_serializers import MyExerciseSerializer as MyExerciseSerializer
from .me_serializers import MyProgramSerializer as MyProgramSerializer
from .me_serializers import PatientSessionSerializer as PatientSessionSerializer
from .me_serializers import SessionExerciseSerializer as SessionExerciseSerializer
from .me_serializers import SessionLogSerializer as SessionLogSerializer
from .me_serializers import SessionSerializer as SessionSerializer
from .me_serializers import TodaySerializer as TodaySerializer
from .stop_serializers import ResumeSerializer as ResumeSerializer
from .stop_serializers import StopFieldsMixin

# Ids are bigints; a larger number could never name a row (and would overflow a lookup).
MAX_DOSE = 1000
MAX_PHASES = 50
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,50}\Z")


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class LibraryRefField(serializers.RelatedField):
    """A library row (exercise or template) named by its id or its slug."""

    default_error_messages = {
        "required": "This field is required.",
        "does_not_exist": "No {kind} with the id or slug {value}.",
        "invalid": "Give an id (a whole number) or a slug.",
    }

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        pk = as_id(data)
        try:
            if pk is not None:
                if not 0 < pk <= MAX_ID:
                    raise queryset.model.DoesNotExist
                return queryset.get(pk=pk)
            if isinstance(data, str) and _SLUG.match(data):
                return queryset.get(slug=data)
        except queryset.model.DoesNotExist:
            self.fail("does_not_exist", kind=self.kind, value=repr(data))
        self.fail("invalid")

    def to_representation(self, value):
        return value.slug


def _dose(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=MAX_DOSE, allow_null=True, required=False, **kwargs
    )


class DosageInputSerializer(serializers.Serializer):
    """Dosage numbers; a field left out keeps its value, null clears it."""

    sets = _dose()
    reps = _dose()
    hold_seconds = _dose()
    minutes = _dose()
    times_per_day = _dose()


# ---------------------------------------------------------------- the library


class ContraindicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contraindication
        fields = ["cause", "reason"]


class ExerciseSerializer(serializers.ModelSerializer):
    methods = serializers.ListField(child=serializers.CharField(), read_only=True)
    steps = serializers.ListField(child=serializers.CharField(), read_only=True)
    dosage_text = serializers.CharField(read_only=True)
    contraindications = ContraindicationSerializer(many=True, read_only=True)

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
            "is_active",
        ]
        read_only_fields = fields


class TemplateExerciseSerializer(serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    exercise_id = serializers.IntegerField(read_only=True)
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    dosage_text = serializers.CharField(read_only=True)
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


# ---------------------------------------------------------------- prescriptions


class PrescribedExerciseSerializer(StopFieldsMixin, serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    exercise_id = serializers.IntegerField(read_only=True)
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    dosage_text = serializers.CharField(read_only=True)

    class Meta:
        model = PrescribedExercise
        fields = [
            "id",
            "exercise",
            "exercise_id",
            "exercise_name",
            "phase",
            "order",
            *Dosage.DOSAGE_FIELDS,
            "dosage_text",
            "contraindication_override",
            "stop",
            "last_resumption",
        ]
        read_only_fields = fields


class PrescriptionSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    template = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    prescribed_by_name = serializers.CharField(source="prescribed_by.__str__", read_only=True)
    phase_names = serializers.ListField(child=serializers.CharField(), read_only=True)
    current_phase_name = serializers.CharField(read_only=True)
    weekdays = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    reminder_times = serializers.ListField(child=serializers.CharField(), read_only=True)
    exercises = PrescribedExerciseSerializer(many=True, read_only=True)

    class Meta:
        model = Prescription
        fields = [
            "id",
            "patient",
            "patient_name",
            "diagnosis",
            "template",
            "name",
            "prescribed_by",
            "prescribed_by_name",
            "start_date",
            "status",
            "phase_names",
            "current_phase",
            "current_phase_name",
            "weekdays",
            "reminder_times",
            "notes",
            "exercises",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DoseInputSerializer(DosageInputSerializer):
    """One exercise of a custom program; dosage left out is the exercise's default."""

    exercise = LibraryRefField("exercise", queryset=Exercise.objects.filter(is_active=True))
    phase = serializers.IntegerField(min_value=1, max_value=MAX_PHASES, default=1)


class ScheduleSerializer(serializers.Serializer):
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        min_length=1,
        max_length=7,
        help_text="0 = Monday ... 6 = Sunday.",
    )
    reminder_times = serializers.ListField(
        child=serializers.CharField(max_length=8),
        max_length=MAX_REMINDER_TIMES,
        help_text='Local times of day as HH:MM, e.g. ["08:00", "18:00"].',
    )


class PrescribeSerializer(serializers.Serializer):
    patient = ClinicScopedPKField(queryset=Patient.objects.all())
    diagnosis = ClinicScopedPKField(queryset=Diagnosis.objects.all())
    template = LibraryRefField(
        "program template", queryset=ProgramTemplate.objects.all(), required=False
    )
    exercises = DoseInputSerializer(many=True, required=False, max_length=100)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = serializers.DateField(
        required=False, help_text="Defaults to today in the patient's time zone."
    )
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        min_length=1,
        max_length=7,
        default=lambda: list(range(7)),
        help_text="0 = Monday ... 6 = Sunday; every day when left out.",
    )
    reminder_times = serializers.ListField(
        child=serializers.CharField(max_length=8),
        max_length=MAX_REMINDER_TIMES,
        default=list,
        help_text='Local times of day as HH:MM, e.g. ["08:00", "18:00"].',
    )
    override_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Why exercises contraindicated for the diagnosed cause are prescribed anyway.",
    )
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def validate(self, attrs):
        if ("template" in attrs) == ("exercises" in attrs):
            raise serializers.ValidationError(
                {"template": ["Choose a program template or list the exercises, not both."]}
            )
        if attrs["diagnosis"].patient_id != attrs["patient"].pk:
            raise serializers.ValidationError(
                {"diagnosis": ["That diagnosis is not this patient's."]}
            )
        return attrs


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Prescription.Status.choices)


class DosageSerializer(DosageInputSerializer):
    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                f"Give at least one of: {', '.join(Dosage.DOSAGE_FIELDS)}."
            )
        return attrs


class AddExerciseSerializer(DosageInputSerializer):
    exercise = LibraryRefField("exercise", queryset=Exercise.objects.filter(is_active=True))
    phase = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PHASES,
        required=False,
        help_text="Defaults to the program's current phase.",
    )
    override_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ContraindicatedExerciseSerializer(serializers.Serializer):
    exercise = serializers.CharField(help_text="The exercise's slug.")
    name = serializers.CharField()
    cause = serializers.CharField()
    reason = serializers.CharField()


class ContraindicationRefusalSerializer(serializers.Serializer):
    """A 400: messages per field, and when exercises are contraindicated, which ones."""

    override_reason = serializers.ListField(child=serializers.CharField(), required=False)
    contraindications = ContraindicatedExerciseSerializer(many=True, required=False)
