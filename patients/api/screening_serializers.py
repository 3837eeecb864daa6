"""Shapes of red-flag screenings, holds, referral outcomes and alerts. The rules (which
flag starts which hold, who may lift it) live in patients/screening.py."""

from __future__ import annotations

from rest_framework import serializers

from core.api.fields import StaffNameField
from patients.models import ClinicalAlert, Patient, RedFlagScreening, ReferralOutcome
from patients.screening import is_over_referral_age
from practice.api.fields import ClinicScopedPKField

RED_FLAGS = [field for field, _ in RedFlagScreening.FLAGS]
SERIOUS_FLAGS = [field for field, _ in RedFlagScreening.SERIOUS_FLAGS]


class ClearHoldSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=2000, help_text="Why it is safe to resume the exercise program."
    )


class ReferralOutcomeSerializer(serializers.ModelSerializer):
    """What a clinician sends (outcome, physician, note) and reads back."""

    outcome = serializers.ChoiceField(
        choices=ReferralOutcome.Outcome.choices,
        help_text="Only cleared_to_treat lifts the referral hold.",
    )
    recorded_by_name = StaffNameField(source="recorded_by")
    on_referral_hold = serializers.BooleanField(
        source="patient.on_referral_hold",
        read_only=True,
        help_text="Whether the patient is still on the referral hold.",
    )

    class Meta:
        model = ReferralOutcome
        fields = [
            "id",
            "patient",
            "screening",
            "outcome",
            "physician_name",
            "note",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
            "on_referral_hold",
        ]
        read_only_fields = ["id", "patient", "screening", "recorded_by", "recorded_at"]
        extra_kwargs = {"note": {"max_length": 10000}}


class ScreeningSerializer(serializers.ModelSerializer):
    patient = ClinicScopedPKField(queryset=Patient.objects.all())
    positive = serializers.BooleanField(
        source="is_positive", read_only=True, help_text="An emergency flag is positive."
    )
    positive_flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    needs_referral = serializers.BooleanField(
        read_only=True, help_text="A serious-pathology flag is positive: refer before treatment."
    )
    positive_serious_flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    on_medical_hold = serializers.BooleanField(
        source="patient.on_medical_hold",
        read_only=True,
        help_text="Whether the patient is on medical hold now.",
    )
    on_referral_hold = serializers.BooleanField(
        source="patient.on_referral_hold",
        read_only=True,
        help_text="Whether the patient is on a referral hold now.",
    )
    screened_at = serializers.DateTimeField(
        required=False,
        help_text="When the screen was done, for one entered afterwards; now when left out. "
        "From 2000 up to now (5 minutes of clock skew allowed).",
        error_messages={"overflow": "Enter a time between the years 2000 and now."},
    )
    patient_over_50 = serializers.SerializerMethodField(
        help_text="Whether the patient was over 50 on the day of the screen: a hint for "
        "over_50_with_new_episode, which the clinician answers."
    )

    class Meta:
        model = RedFlagScreening
        fields = [
            "id",
            "patient",
            "source",
            "screened_at",
            "screened_by",
            *RED_FLAGS,
            *SERIOUS_FLAGS,
            "notes",
            "positive",
            "positive_flags",
            "needs_referral",
            "positive_serious_flags",
            "on_medical_hold",
            "on_referral_hold",
            "patient_over_50",
            "cleared_at",
            "cleared_by",
            "clearance_note",
        ]
        read_only_fields = [
            "source",
            "screened_by",
            "cleared_at",
            "cleared_by",
            "clearance_note",
        ]
        # The emergency flags are asked every time; the serious-pathology ones were added
        # later and default to "no" for callers that do not send them yet.
        extra_kwargs = {
            **{flag: {"required": True} for flag in RED_FLAGS},
            **{flag: {"required": False} for flag in SERIOUS_FLAGS},
            "notes": {"max_length": 10000},
        }

    def get_patient_over_50(self, screening: RedFlagScreening) -> bool:
        return is_over_referral_age(screening.patient, on=screening.screened_at.date())


class AlertSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    open = serializers.BooleanField(
        source="is_open", read_only=True, help_text="Neither acknowledged nor resolved."
    )
    acknowledged = serializers.SerializerMethodField()
    acknowledged_by_name = StaffNameField(source="acknowledged_by")
    resolved = serializers.SerializerMethodField()
    resolved_by_name = StaffNameField(source="resolved_by")

    class Meta:
        model = ClinicalAlert
        fields = [
            "id",
            "patient",
            "patient_name",
            "kind",
            "severity",
            "message",
            "screening",
            "created_at",
            "open",
            "acknowledged",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_by_name",
            "resolved",
            "resolved_at",
            "resolved_by",
            "resolved_by_name",
            "resolution_note",
        ]
        read_only_fields = fields

    def get_acknowledged(self, alert: ClinicalAlert) -> bool:
        return alert.acknowledged_at is not None

    def get_resolved(self, alert: ClinicalAlert) -> bool:
        return alert.resolved_at is not None


# Patient self-service


def _answer(help_text: str) -> serializers.BooleanField:
    """One yes-or-no question of the symptom report; not sent counts as no."""
    return serializers.BooleanField(required=False, default=False, help_text=help_text)


class SymptomReportSerializer(serializers.Serializer):
    # Each answer is optional: a patient who reports foot drop alone must start the hold,
    # not meet a 400 because the app left the other questions out. An answer not sent
    # counts as no; a report that answers nothing at all is refused.
    progressive_weakness = _answer("Leg weakness that is getting worse.")
    foot_drop = _answer("The front of the foot drags or slaps.")
    bowel_bladder_dysfunction = _answer("New trouble controlling or emptying the bowel or bladder.")
    saddle_numbness = _answer("Numbness between the legs or around the buttocks.")
    bilateral_symptoms = _answer("Symptoms in both legs.")
    # Not emergencies: a yes means a doctor's check before the exercises go on. Optional,
    # so an app that does not ask them yet keeps working.
    history_of_cancer = _answer("Has had cancer, at any time.")
    unexplained_weight_loss = _answer("Has lost weight recently without trying.")
    fever_or_recent_infection = _answer("Has a fever, or had an infection recently.")
    significant_trauma = _answer("The pain began after a fall, an accident or another injury.")
    immunosuppression_or_steroids = _answer(
        "Takes steroid tablets long term, or medicine that weakens the immune system."
    )
    intravenous_drug_use = _answer("Has injected drugs.")
    over_50_with_new_episode = _answer("Is over 50 and this back pain is new.")
    constant_night_pain = _answer("The pain is constant at night and no position eases it.")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs: dict) -> dict:
        questions = set(self.fields) - {"notes"}
        if not isinstance(self.initial_data, dict) or not questions & set(self.initial_data):
            raise serializers.ValidationError(
                'Answer at least one question, e.g. {"foot_drop": true}.'
            )
        return attrs


class SymptomVerdictSerializer(serializers.Serializer):
    positive = serializers.BooleanField(help_text="An emergency symptom was reported.")
    emergency_guidance = serializers.CharField(
        allow_null=True, help_text="What to do now, when the report is positive."
    )
    on_medical_hold = serializers.BooleanField()
    needs_referral = serializers.BooleanField(
        help_text="A doctor's check is needed before the exercises go on (not an emergency)."
    )
    referral_guidance = serializers.CharField(
        allow_null=True,
        help_text="What happens next, when only a doctor's check is needed; null otherwise.",
    )
    on_referral_hold = serializers.BooleanField()
