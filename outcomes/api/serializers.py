"""Shapes of the outcomes API. The questionnaires' content and rules live in
outcomes.instruments and outcomes.scoring; answers are checked by the service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework import serializers

from outcomes.instruments import Instrument
from outcomes.models import Code, Occasion, QuestionnaireResponse
from outcomes.schedule import Due
from outcomes.scoring import OdiBand, StartBackRisk

if TYPE_CHECKING:
    from practice.models import StaffMember

ANSWERS_HELP = (
    "Item key -> the value of the option chosen (see the item's options); leave an item "
    "out, or send null, to skip it where the questionnaire allows."
)


class OptionSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    # DRF's metaclass takes declared fields out of the class, so this field does not
    # replace Field.label; the stubs cannot tell.
    label = serializers.CharField()  # type: ignore[assignment]


class ItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    options = OptionSerializer(many=True)


class DueQuestionnaireSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Code.choices)
    title = serializers.CharField()
    version = serializers.CharField(help_text="The version of the wording served.")
    language = serializers.CharField(
        help_text="The language it is written in, whatever Accept-Language asked for: a "
        "validated questionnaire is only given in its own language."
    )
    occasion = serializers.ChoiceField(choices=Occasion.choices)
    due_on = serializers.DateField(help_text="Your local date it became due.")
    instructions = serializers.CharField()
    max_missing = serializers.IntegerField(help_text="How many items may be left unanswered.")
    items = ItemSerializer(many=True)

    @staticmethod
    def shape(due: Due, instrument: Instrument) -> dict:
        return {
            "code": instrument.code,
            "title": instrument.title,
            "version": instrument.version,
            "language": instrument.language,
            "occasion": due.occasion,
            "due_on": due.due_on,
            "instructions": instrument.instructions,
            "max_missing": instrument.max_missing,
            "items": instrument.items,
        }


class MyQuestionnairesSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Today in your time zone.")
    questionnaires = DueQuestionnaireSerializer(many=True, help_text="Due now; empty if none.")


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), help_text=ANSWERS_HELP
    )


class QuestionnaireResponseSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    score = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        help_text="ODI: index 0-100; NPRS: 0-10; RMDQ: 0-24 (prorated when up to 2 items "
        "are skipped); STarT Back: total 0-9.",
    )
    band = serializers.ChoiceField(
        choices=OdiBand.choices,
        source="odi_band",
        allow_null=True,
        read_only=True,
        help_text="ODI disability band; null for other questionnaires.",
    )
    risk = serializers.ChoiceField(
        choices=StartBackRisk.choices,
        source="startback_risk",
        allow_null=True,
        read_only=True,
        help_text="STarT Back risk group; null for other questionnaires.",
    )
    interpretation = serializers.SerializerMethodField()
    answers = serializers.DictField(child=serializers.IntegerField(allow_null=True), read_only=True)

    class Meta:
        model = QuestionnaireResponse
        fields = [
            "id",
            "patient",
            "code",
            "title",
            "occasion",
            "instrument_version",
            "language",
            "due_on",
            "answered_at",
            "score",
            "band",
            "risk",
            "subscale",
            "interpretation",
            "answers",
        ]
        read_only_fields = fields

    def get_title(self, obj: QuestionnaireResponse) -> str:
        return obj.instrument.title

    def get_interpretation(self, obj: QuestionnaireResponse) -> str:
        """The band or risk group in words; empty where the questionnaire has none."""
        return obj.get_band_display() if obj.band else ""


class StaffQuestionnaireResponseSerializer(QuestionnaireResponseSerializer):
    """A response as staff read it: also who typed the answers in. The patient's own
    answer (the app's) does not name staff."""

    entered_by: serializers.PrimaryKeyRelatedField[StaffMember] = (
        serializers.PrimaryKeyRelatedField(
            read_only=True,
            allow_null=True,
            help_text="The staff member who entered the answers in the clinic on the patient's "
            "behalf; null: the patient answered in the app.",
        )
    )

    class Meta(QuestionnaireResponseSerializer.Meta):
        fields = [*QuestionnaireResponseSerializer.Meta.fields, "entered_by"]
        read_only_fields = fields
