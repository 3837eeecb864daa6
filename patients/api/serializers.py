"""Shapes of the patients API. Validation of types and references lives here; the
rules (referrals, holds, ICD-10 checks) live in patients/services.py."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.phonenumber import PhoneNumber, to_python
from rest_framework import serializers

from patients.models import Chronicity, ClinicalAlert, Diagnosis, Patient, RedFlagScreening
from practice.api.fields import ClinicScopedPKField, StaffNameField
from practice.api.permissions import staff_of
from practice.models import StaffMember
from programs.models import Prescription
from programs.schedule import MAX_REMINDER_TIMES

RED_FLAGS = [field for field, _ in RedFlagScreening.FLAGS]


@extend_schema_field(
    {
        "type": "string",
        "description": "E.164, e.g. +12025550143; empty for none.",
        "pattern": r"^\+[1-9]\d{1,14}$",
    }
)
class E164PhoneField(serializers.CharField):
    """A phone number given and shown in international E.164 form."""

    default_error_messages = {
        "invalid": "Enter the phone number in international E.164 form, e.g. +12025550143."
    }

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value == "":
            return value
        if not value.startswith("+"):
            self.fail("invalid")
        number = to_python(value)
        if not isinstance(number, PhoneNumber) or not number.is_valid():
            self.fail("invalid")
        return number

    def to_representation(self, value):
        if isinstance(value, PhoneNumber):
            return value.as_e164 if value.is_valid() else str(value)
        return str(value or "")


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "21:00", "description": "HH:MM"}
)
class ClockTimeField(serializers.TimeField):
    """A local time of day as HH:MM (24-hour); HH:MM:SS is accepted too."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


def _in_past_or_today(value, message: str):
    if value is not None and value > timezone.localdate():
        raise serializers.ValidationError(message)
    return value


class DiagnosisSummarySerializer(serializers.ModelSerializer):
    chronicity = serializers.ChoiceField(choices=Chronicity.choices, read_only=True)

    class Meta:
        model = Diagnosis
        fields = ["id", "cause", "side", "icd10_code", "onset_date", "diagnosed_on", "chronicity"]
        read_only_fields = fields


# Patients (staff)


class PatientSerializer(serializers.ModelSerializer):
    phone = E164PhoneField(required=False, allow_blank=True, max_length=32)
    quiet_hours_start = ClockTimeField(required=False)
    quiet_hours_end = ClockTimeField(required=False)
    primary_therapist = ClinicScopedPKField(
        queryset=StaffMember.objects.all(), required=False, allow_null=True
    )
    primary_therapist_name = StaffNameField(source="primary_therapist")
    on_medical_hold = serializers.BooleanField(read_only=True)
    has_app_login = serializers.SerializerMethodField()
    latest_diagnosis = serializers.SerializerMethodField()

    class Meta:
        model = Patient
        fields = [
            "id",
            "mrn",
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "phone",
            "time_zone",
            "consent_email",
            "consent_sms",
            "consent_push",
            "quiet_hours_start",
            "quiet_hours_end",
            "primary_therapist",
            "primary_therapist_name",
            "referral",
            "referring_physician",
            "referral_date",
            "status",
            "on_medical_hold",
            "medical_hold_since",
            "has_app_login",
            "latest_diagnosis",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "medical_hold_since", "created_at", "updated_at"]

    def get_has_app_login(self, patient: Patient) -> bool:
        return patient.user_id is not None

    @extend_schema_field(DiagnosisSummarySerializer(allow_null=True))
    def get_latest_diagnosis(self, patient: Patient) -> dict[str, Any] | None:
        prefetched = getattr(patient, "diagnoses_latest_first", None)
        if prefetched is not None:
            diagnosis = prefetched[0] if prefetched else None
        else:
            diagnosis = patient.diagnoses.order_by("-diagnosed_on", "-id").first()
        return self._diagnosis_summary.to_representation(diagnosis) if diagnosis else None

    @cached_property
    def _diagnosis_summary(self) -> DiagnosisSummarySerializer:
        # One instance for the whole page: building a serializer per row (its fields
        # included) was a third of the patient list's time.
        return DiagnosisSummarySerializer()

    def validate_mrn(self, value: str) -> str:
        staff = staff_of(self.context["request"].user)
        clinic_id = self.instance.clinic_id if self.instance else getattr(staff, "clinic_id", None)
        taken = Patient.objects.filter(clinic_id=clinic_id, mrn=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("Another patient of this clinic has this MRN.")
        return value

    def validate_date_of_birth(self, value):
        return _in_past_or_today(value, "The date of birth is in the future.")

    def validate_referral_date(self, value):
        return _in_past_or_today(value, "The referral date is in the future.")


class PatientStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Patient.Status.choices)


class InvitationSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Shown only in this answer.")
    expires_at = serializers.DateTimeField(read_only=True)


class ClearHoldSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=2000, help_text="Why it is safe to resume the exercise program."
    )


# Diagnoses, screenings and alerts (staff)


class DiagnosisSerializer(serializers.ModelSerializer):
    patient = ClinicScopedPKField(queryset=Patient.objects.all())
    diagnosed_by = ClinicScopedPKField(
        queryset=StaffMember.objects.all(),
        required=False,
        help_text="A clinician of the clinic; the caller when left out.",
    )
    diagnosed_by_name = StaffNameField(source="diagnosed_by")
    chronicity = serializers.ChoiceField(choices=Chronicity.choices, read_only=True)

    class Meta:
        model = Diagnosis
        fields = [
            "id",
            "patient",
            "cause",
            "side",
            "icd10_code",
            "onset_date",
            "diagnosed_on",
            "diagnosed_by",
            "diagnosed_by_name",
            "chronicity",
            "notes",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {"notes": {"max_length": 10000}}

    def validate_onset_date(self, value):
        return _in_past_or_today(value, "The onset date is in the future.")

    def validate_diagnosed_on(self, value):
        return _in_past_or_today(value, "The diagnosis date is in the future.")


class ScreeningSerializer(serializers.ModelSerializer):
    patient = ClinicScopedPKField(queryset=Patient.objects.all())
    positive = serializers.BooleanField(source="is_positive", read_only=True)
    positive_flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    on_medical_hold = serializers.BooleanField(
        source="patient.on_medical_hold",
        read_only=True,
        help_text="Whether the patient is on medical hold now.",
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
            "notes",
            "positive",
            "positive_flags",
            "on_medical_hold",
            "cleared_at",
            "cleared_by",
            "clearance_note",
        ]
        read_only_fields = [
            "source",
            "screened_at",
            "screened_by",
            "cleared_at",
            "cleared_by",
            "clearance_note",
        ]
        extra_kwargs = {
            **{flag: {"required": True} for flag in RED_FLAGS},
            "notes": {"max_length": 10000},
        }


class AlertSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    acknowledged = serializers.SerializerMethodField()
    acknowledged_by_name = StaffNameField(source="acknowledged_by")

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
            "acknowledged",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_by_name",
        ]
        read_only_fields = fields

    def get_acknowledged(self, alert: ClinicalAlert) -> bool:
        return alert.acknowledged_at is not None


# Patient self-service


def open_prescription(patient: Patient) -> Prescription | None:
    return patient.prescriptions.filter(status__in=Prescription.OPEN_STATUSES).first()


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "08:00"},
        "maxItems": MAX_REMINDER_TIMES,
        "description": "Local times of the exercise reminders (HH:MM, 24-hour), set on "
        "the open program; empty when there is none.",
    }
)
class ReminderTimesField(serializers.ListField):
    """Reads and writes the open program's reminder times, as part of the profile."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "child", serializers.TimeField(format="%H:%M", input_formats=["%H:%M"])
        )  # strictly HH:MM, as the program stores them
        super().__init__(source="*", max_length=MAX_REMINDER_TIMES, **kwargs)

    def to_internal_value(self, data):
        return {"reminder_times": super().to_internal_value(data)}

    def to_representation(self, patient: Patient) -> list[str]:
        prescription = open_prescription(patient)
        return list(prescription.reminder_times) if prescription else []


class MeSerializer(serializers.ModelSerializer):
    phone = E164PhoneField(required=False, allow_blank=True, max_length=32)
    quiet_hours_start = ClockTimeField(required=False)
    quiet_hours_end = ClockTimeField(required=False)
    on_medical_hold = serializers.BooleanField(read_only=True)
    clinic_name = serializers.CharField(source="clinic.name", read_only=True)
    primary_therapist_name = StaffNameField(source="primary_therapist")
    reminder_times = ReminderTimesField(required=False)

    class Meta:
        model = Patient
        fields = [
            "id",
            "mrn",
            "first_name",
            "last_name",
            "date_of_birth",
            "clinic_name",
            "primary_therapist_name",
            "email",
            "phone",
            "time_zone",
            "consent_email",
            "consent_sms",
            "consent_push",
            "quiet_hours_start",
            "quiet_hours_end",
            "on_medical_hold",
            "reminder_times",
        ]
        read_only_fields = ["id", "mrn", "first_name", "last_name", "date_of_birth"]


class SymptomReportSerializer(serializers.Serializer):
    progressive_weakness = serializers.BooleanField(help_text="Leg weakness that is getting worse.")
    foot_drop = serializers.BooleanField(help_text="The front of the foot drags or slaps.")
    bowel_bladder_dysfunction = serializers.BooleanField(
        help_text="New trouble controlling or emptying the bowel or bladder."
    )
    saddle_numbness = serializers.BooleanField(
        help_text="Numbness between the legs or around the buttocks."
    )
    bilateral_symptoms = serializers.BooleanField(help_text="Symptoms in both legs.")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SymptomVerdictSerializer(serializers.Serializer):
    positive = serializers.BooleanField()
    emergency_guidance = serializers.CharField(
        allow_null=True, help_text="What to do now, when the report is positive."
    )
    on_medical_hold = serializers.BooleanField()
