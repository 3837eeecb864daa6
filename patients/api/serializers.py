"""Shapes of the patients API. Validation of types and references lives here; the
rules (referrals, holds, ICD-10 checks, one MRN per patient in a clinic) live in
patients/services.py. Screenings, alerts and holds have their shapes in
screening_serializers."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from drf_spectacular.utils import extend_schema_field
from phonenumber_field.phonenumber import PhoneNumber, to_python
from rest_framework import serializers

from core.api.clock import ClockTimeField
from core.api.fields import StaffNameField
from patients import icd10
from patients.access import may_read_diagnoses
from patients.diagnoses import codes_as_list
from patients.models import Chronicity, Diagnosis, Patient
from patients.selectors import has_app_login
from patients.services import (
    PATIENT_CONTACT_FIELDS,
    PATIENT_IDENTITY_FIELDS,
    PATIENT_PREFERENCE_FIELDS,
    PATIENT_REFERRAL_FIELDS,
)
from practice.api.fields import ClinicScopedPKField
from practice.models import StaffMember


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


class CodeField(serializers.CharField):
    """An ICD-10-CM code sent as a string; a number or any other type is refused."""

    default_error_messages = {"invalid": 'Send each code as a string, e.g. "M54.32".'}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class SecondaryCodesField(serializers.ListField):
    """The diagnosis's further codes; the rules that check them are in patients.icd10."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"Up to {icd10.MAX_SECONDARY_CODES} further ICD-10-CM codes, each checked against "
            "the cause and side and, with the primary code, against the Excludes1 notes. "
            "Bilateral sciatica is coded as right plus left: M54.31 with M54.32, or M54.41 "
            "with M54.42.",
        )
        super().__init__(
            child=CodeField(max_length=16),
            max_length=icd10.MAX_SECONDARY_CODES,
            required=False,
            **kwargs,
        )

    def to_representation(self, data):
        return codes_as_list(data)


class DiagnosisSummarySerializer(serializers.ModelSerializer):
    chronicity = serializers.ChoiceField(choices=Chronicity.choices, read_only=True)
    secondary_icd10_codes = SecondaryCodesField(read_only=True)

    class Meta:
        model = Diagnosis
        fields = [
            "id",
            "cause",
            "side",
            "icd10_code",
            "secondary_icd10_codes",
            "onset_date",
            "diagnosed_on",
            "chronicity",
        ]
        read_only_fields = fields


# Patients (staff)


def latest_diagnosis(patient: Patient) -> Diagnosis | None:
    """The patient's latest diagnosis, from the viewset's prefetch when there is one."""
    prefetched = getattr(patient, "diagnoses_latest_first", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return patient.diagnoses.order_by("-diagnosed_on", "-id").first()


class PatientSerializer(serializers.ModelSerializer):
    # Dropped by get_fields (and by the list's rows) for readers who may not read
    # diagnoses, so the schema does not call it required (core.api.openapi).
    sometimes_omitted = ("latest_diagnosis",)

    phone = E164PhoneField(required=False, allow_blank=True, max_length=32)
    quiet_hours_start = ClockTimeField(required=False)
    quiet_hours_end = ClockTimeField(required=False)
    primary_therapist = ClinicScopedPKField(
        queryset=StaffMember.objects.all(), required=False, allow_null=True
    )
    primary_therapist_name = StaffNameField(source="primary_therapist")
    on_medical_hold = serializers.BooleanField(read_only=True)
    on_referral_hold = serializers.BooleanField(
        read_only=True,
        help_text="Refer before treatment: a serious-pathology flag awaits the physician's "
        "outcome (POST /referral-outcome/).",
    )
    has_app_login = serializers.SerializerMethodField()
    latest_diagnosis = serializers.SerializerMethodField()

    class Meta:
        model = Patient
        fields = [
            "id",
            *PATIENT_IDENTITY_FIELDS,
            *PATIENT_CONTACT_FIELDS,
            *PATIENT_PREFERENCE_FIELDS,
            "primary_therapist",
            "primary_therapist_name",
            *PATIENT_REFERRAL_FIELDS,
            "status",
            "on_medical_hold",
            "medical_hold_since",
            "on_referral_hold",
            "referral_hold_since",
            "has_app_login",
            "latest_diagnosis",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "medical_hold_since",
            "referral_hold_since",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        documenting = getattr(self.context.get("view"), "swagger_fake_view", False)
        if request is not None and not documenting and not may_read_diagnoses(request.user):
            # The front desk registers and books; the diagnosis is not theirs to read.
            fields.pop("latest_diagnosis")
        return fields

    def get_has_app_login(self, patient: Patient) -> bool:
        """Whether the patient can log in to the app: a login, not closed or archived."""
        return has_app_login(patient)

    @extend_schema_field(DiagnosisSummarySerializer(allow_null=True))
    def get_latest_diagnosis(self, patient: Patient) -> dict[str, Any] | None:
        diagnosis = latest_diagnosis(patient)
        return self._diagnosis_summary.to_representation(diagnosis) if diagnosis else None

    @cached_property
    def _diagnosis_summary(self) -> DiagnosisSummarySerializer:
        # One instance for the whole page: building a serializer per row (its fields
        # included) was a large share of the patient list's time (docs/benchmarks.md,
        # API under load).
        return DiagnosisSummarySerializer()


class InvitationSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Shown only in this answer.")
    expires_at = serializers.DateTimeField(read_only=True)


# Diagnoses (staff); screenings, alerts and holds are in screening_serializers


class DiagnosisSerializer(serializers.ModelSerializer):
    patient = ClinicScopedPKField(queryset=Patient.objects.all())
    diagnosed_by = ClinicScopedPKField(
        queryset=StaffMember.objects.all(),
        required=False,
        help_text="A clinician of the clinic; the caller when left out.",
    )
    diagnosed_by_name = StaffNameField(source="diagnosed_by")
    chronicity = serializers.ChoiceField(choices=Chronicity.choices, read_only=True)
    secondary_icd10_codes = SecondaryCodesField()

    class Meta:
        model = Diagnosis
        fields = [
            "id",
            "patient",
            "cause",
            "side",
            "icd10_code",
            "secondary_icd10_codes",
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


# Patient self-service


# The patient's own record as the app shows it; programs.api.me_profile adds the
# program's reminder times and serves it under /me/. (No docstring: the schema would
# show it as the description of the /me/ body.)
class MeProfileSerializer(serializers.ModelSerializer):
    phone = E164PhoneField(required=False, allow_blank=True, max_length=32)
    quiet_hours_start = ClockTimeField(required=False)
    quiet_hours_end = ClockTimeField(required=False)
    on_medical_hold = serializers.BooleanField(read_only=True)
    on_referral_hold = serializers.BooleanField(
        read_only=True,
        help_text="A doctor must check your back before your exercises go on (not an "
        "emergency); /me/program/ says what to do meanwhile.",
    )
    clinic_name = serializers.CharField(source="clinic.name", read_only=True)
    primary_therapist_name = StaffNameField(source="primary_therapist")

    class Meta:
        model = Patient
        fields = [
            "id",
            *PATIENT_IDENTITY_FIELDS,
            "clinic_name",
            "primary_therapist_name",
            *PATIENT_CONTACT_FIELDS,
            *PATIENT_PREFERENCE_FIELDS,
            "on_medical_hold",
            "on_referral_hold",
        ]
        read_only_fields = ["id", *PATIENT_IDENTITY_FIELDS]
