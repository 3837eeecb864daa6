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
    ExerciseSession,
    PainExtent,
    PrescribedExercise,
    Prescription,
    ProgramPhase,
    ProgramTemplate,
    SessionExercise,
    TemplateExercise,
)
from programs.schedule import MAX_REMINDER_TIMES

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


class PrescribedExerciseSerializer(serializers.ModelSerializer):
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


# ---------------------------------------------------------------- sessions


class SessionExerciseSerializer(serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(
        source="prescribed_exercise.exercise", slug_field="slug", read_only=True
    )
    exercise_name = serializers.CharField(
        source="prescribed_exercise.exercise.name", read_only=True
    )

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
            "pain_before",
            "pain_after",
        ]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    items = SessionExerciseSerializer(many=True, read_only=True)

    class Meta:
        model = ExerciseSession
        fields = [
            "id",
            "client_id",
            "prescription",
            "performed_at",
            "pain_before",
            "pain_after",
            "pain_extent",
            "extent_change",
            "notes",
            "items",
            "created_at",
        ]
        read_only_fields = fields


class PatientSessionSerializer(SessionSerializer):
    """A session as staff read it (its own name keeps the page with adherence apart)."""


def _pain(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=10, help_text="0 (none) to 10 (worst).", **kwargs
    )


class ExerciseDoneSerializer(serializers.Serializer):
    prescribed_exercise = serializers.IntegerField(
        source="prescribed_exercise_id",
        min_value=1,
        max_value=MAX_ID,
        help_text="The id of an exercise of your program (from /me/program/).",
    )
    sets = _dose()
    reps = _dose()
    minutes = _dose()
    pain_before = _pain(allow_null=True, required=False)
    pain_after = _pain(allow_null=True, required=False)


class StrictUUIDField(serializers.UUIDField):
    """A UUID as a string only (DRF would also turn a number into one)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class SessionLogSerializer(serializers.Serializer):
    client_id = StrictUUIDField(
        help_text="Made on the phone; a retried upload with the same id logs nothing new."
    )
    performed_at = serializers.DateTimeField()
    pain_before = _pain()
    pain_after = _pain()
    pain_extent = serializers.ChoiceField(
        choices=PainExtent.choices, help_text="How far down the leg the pain reaches."
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
        help_text="Pain rose by 2+ points during this exercise: do not do it, and contact "
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


class TodaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Today in the patient's time zone.")
    time_zone = serializers.CharField()
    weekday = serializers.IntegerField(help_text="0 = Monday ... 6 = Sunday.")
    is_scheduled_day = serializers.BooleanField(help_text="Today is one of the program's weekdays.")
    is_exercise_day = serializers.BooleanField(
        help_text="A scheduled day of an active program that has started."
    )
    reminder_times = serializers.ListField(child=serializers.CharField())
    phase = serializers.IntegerField()
    phase_name = serializers.CharField()
    sessions_logged = serializers.IntegerField(help_text="Sessions logged today so far.")
    exercises = MyExerciseSerializer(many=True)


class MyProgramSerializer(serializers.ModelSerializer):
    phase_names = serializers.ListField(child=serializers.CharField(), read_only=True)
    current_phase_name = serializers.CharField(read_only=True)
    weekdays = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    reminder_times = serializers.ListField(child=serializers.CharField(), read_only=True)
    exercises = MyExerciseSerializer(many=True, read_only=True)
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
            "exercises",
            "today",
        ]
        read_only_fields = fields

    @extend_schema_field(TodaySerializer)
    def get_today(self, obj: Prescription) -> dict:
        return TodaySerializer(self.context["today"]).data
