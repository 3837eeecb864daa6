"""A stopped exercise and its last resumption as staff read them, and the resume body.

Nested in each prescribed exercise of a staff read of a prescription: `stop` is null
while the patient may do the exercise, `last_resumption` null until a clinician has
resumed it once (every earlier stop and resumption is in the record's history).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import StaffNameField
from programs.models import PrescribedExercise
from programs.stops import RESUME_NOTE_MAX


class ExerciseStopSerializer(serializers.Serializer):
    stopped_at = serializers.DateTimeField(source="stopped_for_pain_at")
    reason = serializers.CharField(
        source="stop_reason",
        help_text="Why the safety rules stopped it (a StopReason value); blank on stops "
        "recorded before reasons were kept.",
    )
    reason_label = serializers.CharField(source="get_stop_reason_display")
    message = serializers.CharField(source="stop_message", help_text="What the app shows.")
    pain_before = serializers.IntegerField(
        source="stop_pain_before",
        allow_null=True,
        help_text="The pain (0-10) before, in the session that stopped it: the leg pain for "
        "leg_pain_rose and peripheralized, the back pain for back_pain_rose.",
    )
    pain_after = serializers.IntegerField(
        source="stop_pain_after", allow_null=True, help_text="The same pain after."
    )
    session = serializers.IntegerField(
        source="stopped_by_session_id", allow_null=True, help_text="The session that stopped it."
    )


class ExerciseResumptionSerializer(serializers.Serializer):
    resumed_at = serializers.DateTimeField()
    resumed_by = serializers.IntegerField(source="resumed_by_id")
    resumed_by_name = StaffNameField(source="resumed_by")
    note = serializers.CharField(source="resume_note")


class StopFieldsMixin(serializers.Serializer):
    """`stop` and `last_resumption` for a prescribed exercise serializer."""

    stop = serializers.SerializerMethodField()
    last_resumption = serializers.SerializerMethodField()

    @extend_schema_field(ExerciseStopSerializer(allow_null=True))
    def get_stop(self, obj: PrescribedExercise) -> dict | None:
        if not obj.stop_and_contact_therapist:
            return None
        return ExerciseStopSerializer(obj).data

    @extend_schema_field(ExerciseResumptionSerializer(allow_null=True))
    def get_last_resumption(self, obj: PrescribedExercise) -> dict | None:
        if obj.resumed_at is None:
            return None
        return ExerciseResumptionSerializer(obj).data


class ResumeSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=RESUME_NOTE_MAX,
        help_text="Why the patient may do the exercise again: what the review found.",
    )
