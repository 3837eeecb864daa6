"""Bodies of the staff endpoints of patients' programs (/api/v1/prescriptions/)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.api.clock import ClockTimeField
from patients.models import Diagnosis, Patient
from practice.api.fields import ClinicScopedPKField
from programs.models import Dosage, Exercise, PrescribedExercise, Prescription, ProgramTemplate
from programs.schedule import MAX_REMINDER_TIMES

from .fields import LibraryRefField, count_field
from .library_serializers import DosedExerciseFields
from .stop_serializers import StopFieldsMixin

MAX_PHASES = 50


class DosageInputSerializer(serializers.Serializer):
    """Dosage numbers; a field left out keeps its value, null clears it."""

    sets = count_field()
    reps = count_field()
    hold_seconds = count_field()
    minutes = count_field()
    times_per_day = count_field()


class PrescribedExerciseSerializer(
    DosedExerciseFields, StopFieldsMixin, serializers.ModelSerializer
):
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
    template: serializers.SlugRelatedField[ProgramTemplate] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The template's slug; null for a custom program.",
    )
    prescribed_by_name = serializers.CharField(source="prescribed_by.__str__", read_only=True)
    phase_names = serializers.ListField(child=serializers.CharField(), read_only=True)
    current_phase_name = serializers.CharField(read_only=True)
    weekdays = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    reminder_times = serializers.ListField(child=ClockTimeField(), read_only=True)
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

    exercise = LibraryRefField("exercise", queryset=Exercise.objects.all())
    phase = serializers.IntegerField(min_value=1, max_value=MAX_PHASES, default=1)


def _weekdays(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        min_length=1,
        max_length=7,
        **kwargs,
    )


def _reminder_times(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=ClockTimeField(),
        max_length=MAX_REMINDER_TIMES,
        help_text='Local times of day as HH:MM, e.g. ["08:00", "18:00"].',
        **kwargs,
    )


class ScheduleSerializer(serializers.Serializer):
    weekdays = _weekdays(help_text="0 = Monday ... 6 = Sunday.")
    reminder_times = _reminder_times()


class PrescribeSerializer(serializers.Serializer):
    patient = ClinicScopedPKField(queryset=Patient.objects.all())
    diagnosis = ClinicScopedPKField(queryset=Diagnosis.objects.all())
    template = LibraryRefField(
        "program template", queryset=ProgramTemplate.objects.all(), required=False
    )
    exercises: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=DoseInputSerializer(), required=False, max_length=100
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = serializers.DateField(
        required=False, help_text="Defaults to today in the patient's time zone."
    )
    weekdays = _weekdays(
        default=lambda: list(range(7)),
        help_text="0 = Monday ... 6 = Sunday; every day when left out.",
    )
    reminder_times = _reminder_times(default=list)
    override_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Why exercises contraindicated for the diagnosed cause are prescribed anyway.",
    )
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


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
    exercise = LibraryRefField("exercise", queryset=Exercise.objects.all())
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
