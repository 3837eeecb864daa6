"""Read-only lists on the patient page: the screenings and alerts. Diagnoses and
referral outcomes have theirs in admin_diagnoses and admin_holds; the higher apps'
records (programs, sessions, appointments) are registered in admin_sections by those
apps."""

from __future__ import annotations

from django.contrib import admin

from practice.admin_base import ReadOnlyInline

from . import admin_holds
from .models import ClinicalAlert, RedFlagScreening


class ScreeningInline(ReadOnlyInline):
    model = RedFlagScreening
    fields = readonly_fields = (
        "screened_at",
        "source",
        "result",
        "screened_by",
        "cleared_at",
        "cleared_by",
    )

    @admin.display(description="result")
    def result(self, obj: RedFlagScreening) -> str:
        return admin_holds.screening_result(obj)


class AlertInline(ReadOnlyInline):
    model = ClinicalAlert
    fields = readonly_fields = (
        "created_at",
        "severity",
        "kind",
        "message",
        "acknowledged_at",
        "acknowledged_by",
        "resolved_at",
    )
