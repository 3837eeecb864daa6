"""The diagnosis and red-flag screening pages, which the patient page's action links open
with the patient (and the clinician recording) filled in."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from practice.admin_base import ClinicScopedAdmin, ServiceForm
from practice.admin_returns import ReturnToPatientMixin
from practice.tenancy import staff_of

from . import admin_diagnoses, admin_holds, services
from .models import Diagnosis, RedFlagScreening


class PatientPrefillMixin(ClinicScopedAdmin):
    """Takes ?patient=<id> from the patient page's action links."""

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, str | list[str]]:
        initial = super().get_changeform_initial_data(request)
        staff = staff_of(request.user)
        if staff is not None and staff.is_clinician:
            for field in ("diagnosed_by", "screened_by", "prescribed_by", "therapist"):
                initial.setdefault(field, str(staff.pk))
        return initial


@admin.register(Diagnosis)
class DiagnosisAdmin(ReturnToPatientMixin, PatientPrefillMixin, admin_diagnoses.DiagnosisAdminBase):
    """Forms, fields and the access log of the diagnosis pages: patients.admin_diagnoses.
    Saving returns to the patient's page."""


class ScreeningForm(ServiceForm):
    FLAG_FIELDS = [*admin_holds.EMERGENCY_FIELDS, *admin_holds.SERIOUS_FIELDS]

    class Meta:
        model = RedFlagScreening
        fields = [
            "patient",
            "screened_at",
            *admin_holds.EMERGENCY_FIELDS,
            *admin_holds.SERIOUS_FIELDS,
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        admin_holds.hint_age(self)
        admin_holds.screened_at_optional(self)

    def perform(self, data):
        staff = self.staff
        if staff is None:
            raise ValidationError("Only clinic staff record a red-flag screen.")
        return services.red_flag_screen(
            patient=data["patient"],
            flags={field: data[field] for field in self.FLAG_FIELDS},
            screened_by=staff,
            notes=data["notes"],
            screened_at=data.get("screened_at"),
        )


@admin.register(RedFlagScreening)
class RedFlagScreeningAdmin(ReturnToPatientMixin, PatientPrefillMixin, ClinicScopedAdmin):
    form = ScreeningForm
    audit_patient_path = "patient"
    list_display = ["patient", "screened_at", "source", "result", "screened_by", "cleared_at"]
    list_filter = ["source"]
    search_fields = ["patient__last_name", "patient__mrn"]
    list_select_related = ["patient", "screened_by__user"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a screen is a record of what was found; clearing has its own flow

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return admin_holds.SCREENING_ADD_FIELDSETS
        return [
            *admin_holds.SCREENING_FIELDSETS,
            ("Record", {"fields": admin_holds.SCREENING_RECORD_FIELDS}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return admin_holds.SCREENING_RECORD_FIELDS if obj is not None else []

    @admin.display(description="result")
    def result(self, obj: RedFlagScreening) -> str:
        return admin_holds.screening_result(obj)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.is_positive:
            messages.error(
                request,
                f"Positive red-flag screen: {obj.patient.full_name} is on medical hold and the "
                f"therapist has an urgent alert. Tell the patient: {services.EMERGENCY_GUIDANCE}",
            )
        if obj.needs_referral:
            messages.warning(
                request,
                f"Serious-pathology flags: {obj.patient.full_name} is on a referral hold. Refer "
                "the patient to a physician, then record the outcome from the patient's page.",
            )
        return super().response_add(request, obj, post_url_continue)  # to the patient's page
