"""Shapes of the visit note API: the note in its sections, its procedures and addenda,
and the bodies that write them. What may change and what bills are the services' and
selectors' (visits.services, visits.clinical_reads); these only check shapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import StaffNameField
from visits.clinical_reads import note_units
from visits.note_models import Addendum, NoteKind, ProcedureLine, VisitNote, objective_field_names
from visits.plan_status import certification_problem
from visits.services import SUBJECTIVE_FIELDS
from visits.units import MAX_MINUTES, TIMED_CODES, UNTIMED_CODES, Rule

from .bodies import MAX_TEXT, TEXT, ClosedBodyMixin


class NoteSubjectiveSerializer(ClosedBodyMixin, serializers.ModelSerializer):
    """Pain now (0-10), where it reaches, what eases and aggravates it, and function in
    the patient's words."""

    class Meta:
        model = VisitNote
        fields = list(SUBJECTIVE_FIELDS)
        extra_kwargs = {
            "eases": TEXT,
            "aggravates": TEXT,
            "function": TEXT,
            **{name: {"required": False} for name in SUBJECTIVE_FIELDS},
        }


class NoteObjectiveSerializer(ClosedBodyMixin, serializers.ModelSerializer):
    """The sciatica examination: straight leg raise (0-120 degrees) and slump per side,
    lumbar range of motion with the McKenzie response and directional preference,
    myotomes L2-S1 (0-5), reflexes (0-4) and dermatomes per side, gait. Null or blank:
    not tested. A new note starts with the patient's last note's findings."""

    class Meta:
        model = VisitNote
        fields = objective_field_names()
        extra_kwargs = {
            "gait": TEXT,
            **{name: {"required": False} for name in objective_field_names()},
        }


class ProcedureSerializer(serializers.ModelSerializer):
    description = serializers.SerializerMethodField()

    class Meta:
        model = ProcedureLine
        fields = ["code", "description", "minutes", "units", "rule", "reason"]
        read_only_fields = fields

    def get_description(self, obj: ProcedureLine) -> str:
        return TIMED_CODES.get(obj.code) or UNTIMED_CODES.get(obj.code, "")


class AddendumSerializer(serializers.ModelSerializer):
    author_name = StaffNameField(source="author")

    class Meta:
        model = Addendum
        fields = ["id", "author", "author_name", "written_at", "reason", "text"]
        read_only_fields = fields


class NoteUnitsSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(
        choices=[(rule.value, rule.name) for rule in Rule],
        help_text="cms: the 8-minute rule on the visit's timed minutes together; ama: per "
        "code. The rule the procedures were billed by, or while there are none the one "
        "the patient's payer on the day of service uses.",
    )
    total = serializers.IntegerField(help_text="Units of all the procedures.")
    timed_minutes = serializers.IntegerField(help_text="Minutes of the timed codes together.")


class VisitNoteSerializer(serializers.ModelSerializer):
    """A visit note as a clinician reads it, every section included."""

    therapist_name = StaffNameField(source="therapist")
    subjective = NoteSubjectiveSerializer(source="*", read_only=True)
    objective = NoteObjectiveSerializer(source="*", read_only=True)
    procedures = ProcedureSerializer(many=True, read_only=True)
    units = serializers.SerializerMethodField()
    is_signed = serializers.BooleanField(read_only=True)
    signed_by_name = StaffNameField(source="signed_by")
    addenda = AddendumSerializer(many=True, read_only=True)
    certification_problem = serializers.SerializerMethodField(
        help_text="Why the visit falls outside a certified plan of care; empty when it does not."
    )

    class Meta:
        model = VisitNote
        fields = [
            "id",
            "appointment",
            "patient",
            "therapist",
            "therapist_name",
            "kind",
            "visit_on",
            "subjective",
            "objective",
            "assessment",
            "plan",
            "procedures",
            "units",
            "is_signed",
            "signed_at",
            "signed_by",
            "signed_by_name",
            "addenda",
            "certification_problem",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(NoteUnitsSerializer)
    def get_units(self, obj: VisitNote) -> dict[str, Any]:
        return NoteUnitsSerializer(note_units(note=obj)).data

    def get_certification_problem(self, obj: VisitNote) -> str:
        return certification_problem(patient=obj.patient, day=obj.visit_on)


class NoteStartSerializer(ClosedBodyMixin, serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=NoteKind.choices,
        required=False,
        help_text="By default from the appointment: evaluation, re-evaluation, else a daily note.",
    )


class NoteChangeSerializer(ClosedBodyMixin, serializers.Serializer):
    """The sections to write; each one given replaces only the fields it names."""

    kind = serializers.ChoiceField(choices=NoteKind.choices, required=False)
    subjective = NoteSubjectiveSerializer(required=False)
    objective = NoteObjectiveSerializer(required=False)
    assessment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)
    plan = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not self.note_fields(attrs):
            raise serializers.ValidationError(
                "Give at least one section to change: kind, subjective, objective, "
                "assessment or plan."
            )
        return attrs

    @staticmethod
    def note_fields(attrs: Mapping[str, Any]) -> dict[str, Any]:
        """The note's own fields, the nested sections flattened."""
        flat = {name: value for name, value in attrs.items() if not isinstance(value, Mapping)}
        for section in ("subjective", "objective"):
            flat.update(attrs.get(section, {}))
        return flat


class ProcedureInputSerializer(ClosedBodyMixin, serializers.Serializer):
    code = serializers.CharField(
        max_length=5,
        help_text="A CPT code: timed 97110, 97112, 97116, 97140, 97530, 97535; untimed "
        "97161-97164, 97010, 97014, G0283.",
    )
    minutes = serializers.IntegerField(min_value=0, max_value=MAX_MINUTES)


class AddendumInputSerializer(ClosedBodyMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="Why the note needed it.")
    text = serializers.CharField(max_length=MAX_TEXT)
