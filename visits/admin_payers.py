"""Payers, the patients' coverage and the clinic's fees in the admin.

Plain records with no rule beyond their constraints: each is the clinic's own (a
payer or a fee is added to the signed-in staff member's clinic), and the drop-downs
offer only the clinic's patients and payers. The front desk, which takes the
insurance card, adds and changes coverage; the clinic admin keeps payers and fees.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from patients.admin_search import PatientSearchMixin
from practice.admin_base import ClinicScopedAdmin
from practice.admin_returns import ReturnToPatientMixin
from practice.tenancy import clinic_of

from .billing_lines import DESCRIPTIONS
from .billing_models import Coverage, Fee, Payer


class _NoDelete:
    # Claims already sent name their payer and fees; a row is made inactive instead.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ClinicOwnedAdmin(_NoDelete, ClinicScopedAdmin):
    """A row of the signed-in staff member's clinic; the operator, who works at none,
    picks the clinic."""

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["clinic"] if clinic_of(request.user) is not None else []

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        clinic = clinic_of(request.user)
        if clinic is None:
            return form

        class InClinic(form):  # type: ignore[valid-type, misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                if self.instance.pk is None:
                    self.instance.clinic = clinic

            def _get_validation_exclusions(self) -> set[str]:
                # The clinic is set here, not posted: the unique names within it are
                # still checked, as form errors.
                return set(super()._get_validation_exclusions()) - {"clinic"}

        return InClinic


@admin.register(Payer)
class PayerAdmin(ClinicOwnedAdmin):
    list_display = [
        "name",
        "rule",
        "medicare",
        "pays_hot_cold_packs",
        "accepts_2026_rtm_codes",
        "active",
    ]
    list_filter = ["rule", "medicare", "active"]
    search_fields = ["name"]


class FeeForm(forms.ModelForm):
    code = forms.ChoiceField(
        label="CPT code",
        # The visit codes and the RTM codes: every code a billable line can carry.
        choices=[(c, f"{c} {name}") for c, name in DESCRIPTIONS.items()],
    )

    class Meta:
        model = Fee
        fields = ["clinic", "code", "amount", "medicare_allowed"]


@admin.register(Fee)
class FeeAdmin(ClinicOwnedAdmin):
    form = FeeForm
    list_display = ["code", "amount", "medicare_allowed"]
    search_fields = ["code"]


@admin.register(Coverage)
class CoverageAdmin(ReturnToPatientMixin, PatientSearchMixin, _NoDelete, ClinicScopedAdmin):
    audit_patient_path = "patient"
    fields = ["patient", "payer", "member_id", "starts_on"]
    list_display = ["patient", "payer", "member_id", "starts_on"]
    list_select_related = ["patient", "payer"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn", "member_id"]
    patient_search_prefix = "patient__"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Another patient's insurance is coverage of its own.
        return ["patient"] if obj is not None else []
