"""The read-only lists on the patient page: the record each app keeps about the patient.
Diagnoses and referral outcomes have theirs in admin_diagnoses and admin_holds."""

from __future__ import annotations

from django.contrib import admin

from practice.admin_base import ReadOnlyInline
from practice.models import Appointment
from programs.models import ExerciseSession, Prescription

from . import admin_holds
from .models import ClinicalAlert, RedFlagScreening


class PrescriptionInline(ReadOnlyInline):
    model = Prescription
    fields = ["name", "status", "current_phase", "start_date", "prescribed_by"]
    readonly_fields = fields


class AppointmentInline(ReadOnlyInline):
    model = Appointment
    fields = ["starts_at", "kind", "status", "therapist", "duration_minutes"]
    readonly_fields = fields


class SessionInline(ReadOnlyInline):
    model = ExerciseSession
    fields = [
        "performed_at",
        "back_pain_before",
        "back_pain_after",
        "leg_pain_before",
        "leg_pain_after",
        "pain_extent",
        "pain_response",
        "during_hold",
        "notes",
    ]
    readonly_fields = fields
    verbose_name_plural = "exercise sessions (from the app)"


class ScreeningInline(ReadOnlyInline):
    model = RedFlagScreening
    fields = ["screened_at", "source", "result", "screened_by", "cleared_at", "cleared_by"]
    readonly_fields = fields

    @admin.display(description="result")
    def result(self, obj: RedFlagScreening) -> str:
        return admin_holds.screening_result(obj)


class AlertInline(ReadOnlyInline):
    model = ClinicalAlert
    fields = [
        "created_at",
        "severity",
        "kind",
        "message",
        "acknowledged_at",
        "acknowledged_by",
        "resolved_at",
    ]
    readonly_fields = fields
