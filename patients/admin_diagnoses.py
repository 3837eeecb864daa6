"""Admin parts of diagnoses: the form that records one (secondary codes typed on one
line), the notes-only form of a recorded one, the patient page's inline and the
diagnosis pages. patients.admin_records registers them with the prefill it shares.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from core.localtime import local_today
from practice.admin_base import ClinicScopedAdmin, ReadOnlyInline, ServiceForm
from practice.tenancy import staff_of

from . import icd10, services
from .diagnoses import codes_as_list
from .models import Diagnosis


def _secondary_codes(diagnosis: Diagnosis) -> str | None:
    return ", ".join(codes_as_list(diagnosis.secondary_icd10_codes)) or None


class DiagnosisInline(ReadOnlyInline):
    model = Diagnosis
    fields = readonly_fields = (
        "cause",
        "side",
        "icd10_code",
        "secondary_codes",
        "onset_date",
        "diagnosed_on",
        "diagnosed_by",
    )

    @admin.display(description="secondary codes")
    def secondary_codes(self, obj: Diagnosis) -> str | None:
        return _secondary_codes(obj)


class CodeListField(forms.CharField):
    """ICD-10-CM codes typed on one line, separated by commas, semicolons or spaces."""

    def clean(self, value: object) -> list[str]:
        # The text checks (null characters above all) run on the line as typed; run on
        # the list they would see only its repr, where a null character is escaped.
        line = super().clean(value)
        return [code for code in re.split(r"[,;\s]+", line) if code]

    def prepare_value(self, value: object) -> object:
        return ", ".join(codes_as_list(value)) if isinstance(value, list) else value


class DiagnosisForm(ServiceForm):
    secondary_icd10_codes = CodeListField(
        label="Secondary ICD-10-CM codes",
        required=False,
        help_text=f"Up to {icd10.MAX_SECONDARY_CODES}, separated by commas. Bilateral sciatica "
        "is coded as right plus left: M54.31 with M54.32 (or M54.41 with M54.42).",
    )

    class Meta:
        model = Diagnosis
        fields = [
            "patient",
            "cause",
            "side",
            "icd10_code",
            "secondary_icd10_codes",
            "onset_date",
            "diagnosed_on",
            "diagnosed_by",
            "notes",
        ]

    def perform(self, data: dict[str, Any]) -> Diagnosis:
        return services.diagnosis_record(**data)


class DiagnosisNotesForm(ServiceForm):
    class Meta:
        model = Diagnosis
        fields = ["notes"]

    def perform(self, data: dict[str, Any]) -> Diagnosis:
        return services.diagnosis_update_notes(
            diagnosis=self.instance, notes=data["notes"], actor=self.actor
        )


class DiagnosisAdminBase(ClinicScopedAdmin):
    audit_patient_path = "patient"
    list_display = [
        "patient",
        "cause",
        "side",
        "icd10_code",
        "secondary_codes",
        "onset_date",
        "chronicity",
        "diagnosed_by",
    ]
    list_filter = ["cause", "side"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn", "icd10_code"]
    list_select_related = ["patient", "diagnosed_by__user"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # Today on the clinic's calendar, as the service judges it: the server's UTC date
        # is already tomorrow on a New York evening, and would be refused as the future.
        initial = super().get_changeform_initial_data(request)
        staff = staff_of(request.user)
        if staff is not None:
            initial.setdefault("diagnosed_on", local_today(staff.clinic.time_zone).isoformat())
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = DiagnosisNotesForm if obj else DiagnosisForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A recorded diagnosis is corrected by recording a new one, so the history of
        # what was billed stays readable; only the notes stay editable.
        return [
            "patient",
            "cause",
            "side",
            "icd10_code",
            "secondary_codes",
            "onset_date",
            "diagnosed_on",
            "diagnosed_by",
            "chronicity",
        ]

    @admin.display(description="chronicity")
    def chronicity(self, obj: Diagnosis) -> str:
        return obj.chronicity().label

    @admin.display(description="secondary codes")
    def secondary_codes(self, obj: Diagnosis) -> str | None:
        return _secondary_codes(obj)
