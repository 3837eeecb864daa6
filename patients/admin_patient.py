"""The patient pages: the registration and edit form, the list's filters and the patient
page itself, which links to the clinical actions and the hold, referral and consent pages
(admin_holds, admin_consent) and shows each app's record in read-only lists and panels:
this app's own (admin_inlines, admin_diagnoses, admin_holds) and those the higher apps
register in admin_sections (the summary, the programs, appointments and weekly charts, and
the actions to prescribe a program and book an appointment), as well as the list's
columns they register (PatientChangeList reads each for a whole page at once)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.localtime import moment_text
from practice.admin_base import (
    CalendarEndsChangeList,
    ClinicFilter,
    ClinicScopedAdmin,
    ServiceForm,
)
from practice.tenancy import clinic_of

from . import admin_consent, admin_holds, admin_invite, admin_sections, services
from .access import may_read_diagnoses
from .admin_diagnoses import DiagnosisInline
from .admin_inlines import AlertInline, ScreeningInline
from .admin_search import PatientSearchMixin
from .models import Cause, Patient, Side
from .selectors import latest_diagnosis_cause, latest_diagnosis_field


class PatientForm(ServiceForm):
    class Meta:
        model = Patient
        fields = [
            "clinic",
            *services.PATIENT_IDENTITY_FIELDS,
            *services.PATIENT_CONTACT_FIELDS,
            "primary_therapist",
            *services.PATIENT_REFERRAL_FIELDS,
            *services.PATIENT_PREFERENCE_FIELDS,
        ]

    def perform(self, data: dict[str, Any]) -> Patient:
        fields = {k: v for k, v in data.items() if k != "clinic"}
        if self.instance.pk is None:
            clinic = data.get("clinic") or clinic_of(self.request.user)
            if clinic is None:  # the form asks whoever works at no clinic to pick one
                raise ValidationError({"clinic": "Choose the patient's clinic."})
            return services.patient_register(clinic=clinic, actor=self.actor, **fields)
        changed = {k: v for k, v in fields.items() if k in self.changed_data}
        return services.patient_update(patient=self.instance, actor=self.actor, **changed)


class CauseFilter(admin.SimpleListFilter):
    title = "cause"
    parameter_name = "cause"

    def lookups(self, request, model_admin):
        return Cause.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(diagnoses__cause=self.value()).distinct()
        return queryset


class PrimaryTherapistFilter(ClinicFilter):
    title = "primary therapist"
    parameter_name = "primary_therapist"
    field_path = "primary_therapist"


class MedicalHoldFilter(admin.SimpleListFilter):
    """Either hold stops the program, so "not on hold" is neither of them."""

    title = "hold"
    parameter_name = "on_hold"

    def lookups(self, request, model_admin):
        return [
            ("yes", "On medical hold"),
            ("referral", "On referral hold"),
            ("no", "Not on hold"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(medical_hold_since__isnull=False)
        if self.value() == "referral":
            return queryset.filter(referral_hold_since__isnull=False)
        if self.value() == "no":
            return queryset.filter(
                medical_hold_since__isnull=True, referral_hold_since__isnull=True
            )
        return queryset


@admin.register(Patient)
class PatientAdmin(PatientSearchMixin, ClinicScopedAdmin):
    form = PatientForm
    audit_patient_path = "pk"
    list_display = [
        "__str__",
        "date_of_birth",
        "status",
        "latest_cause",
        "primary_therapist",
        "on_hold",
    ]
    list_filter = [CauseFilter, PrimaryTherapistFilter, "status", MedicalHoldFilter]
    search_fields = ["first_name", "last_name", "mrn"]
    list_select_related = ["primary_therapist__user"]
    readonly_fields = ["medical_hold_since", "referral_hold_since"]
    # The inlines, panels and the links of the clinical actions are in admin_sections,
    # with those of the higher apps.
    # Discharge, archive and reactivate close or reopen an episode of care across apps;
    # episodes.admin adds them to a subclass of this admin.
    actions: list[str] = []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                latest_cause_value=latest_diagnosis_cause(),
                latest_side_value=latest_diagnosis_field("side"),
                latest_icd10_value=latest_diagnosis_field("icd10_code"),
            )
        )

    def get_changelist(self, request, **kwargs):
        return PatientChangeList

    # The front desk reads no diagnosis, so neither the cause column nor its filter.
    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if not may_read_diagnoses(request.user):
            shown = [name for name in shown if name != "latest_cause"]
        # The higher apps' columns (admin_sections), each filled by PatientChangeList.
        return [*shown, *(column_cell(c) for c in admin_sections.columns_shown_to(request.user))]

    def get_list_filter(self, request):
        shown = super().get_list_filter(request)
        if may_read_diagnoses(request.user):
            return shown
        return [each for each in shown if each is not CauseFilter]

    def get_inlines(self, request, obj):
        # A new patient has no record yet.
        return admin_sections.patient_inlines() if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        panels = [panel.field_for(request.user) for panel in admin_sections.patient_panels()]
        return [self._actions(request), *super().get_readonly_fields(request, obj), *panels]

    def _actions(self, request) -> Callable[[Patient], str]:
        user = request.user
        return clinical_actions_row(
            admin_sections.links_shown_to(user),
            clears_holds=user.has_perm("patients.clear_medical_hold"),
            records_referral_outcomes=user.has_perm("patients.add_referraloutcome"),
        )

    def get_fieldsets(self, request, obj=None):
        clinical: list[Any] = [self._actions(request), "medical_hold_since", "referral_hold_since"]
        # Staff register patients in their own clinic, and nobody moves a patient
        # between clinics, so only the operator picks a clinic, on registration.
        hidden = (
            clinical if obj is None and clinic_of(request.user) is None else [*clinical, "clinic"]
        )
        panels: list[object] = [
            panel.field_for(request.user) for panel in admin_sections.patient_panels()
        ]
        fields = [f for f in self.get_fields(request, obj) if f not in hidden and f not in panels]
        if obj is None:
            return [(None, {"fields": fields})]
        # A panel's field is a function, which Django takes where the stubs want a name.
        fieldsets: list[tuple[str | None, dict[str, Any]]] = [("Clinical", {"fields": clinical})]
        fieldsets += [
            (
                panel.title,
                {"fields": [panel.field_for(request.user)], "description": panel.description},
            )
            for panel in admin_sections.panels_shown_to(request.user)
        ]
        fieldsets.append(("Patient", {"fields": fields}))
        return fieldsets

    @admin.display(description="cause", ordering="latest_cause_value")
    def latest_cause(self, obj: Patient) -> str:
        """The latest diagnosis's cause, side and ICD-10-CM code."""
        value = getattr(obj, "latest_cause_value", None)
        if not value:
            return "-"
        side = getattr(obj, "latest_side_value", None)
        side_text = f", {Side(side).label.lower()}" if side in Side.values else ""
        code = getattr(obj, "latest_icd10_value", None)
        return f"{Cause(value).label}{side_text}" + (f" ({code})" if code else "")

    @admin.display(description="hold")
    def on_hold(self, obj: Patient) -> str:
        # A warning, not the admin's boolean tick: a held patient must not look "all good".
        if not obj.on_hold:  # medical or referral: either stops the program
            return "-"
        kind = "Medical hold" if obj.on_medical_hold else "Referral hold"
        return format_html('<img src="{}" alt=""> {}', static("admin/img/icon-alert.svg"), kind)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/clear-hold/",
                self.admin_site.admin_view(self.clear_hold_view),
                name="patients_patient_clear_hold",
            ),
            path(
                "<path:object_id>/referral-outcome/",
                self.admin_site.admin_view(self.referral_outcome_view),
                name="patients_patient_referral_outcome",
            ),
            path(
                "<path:object_id>/consent/",
                self.admin_site.admin_view(self.consent_view),
                name="patients_patient_consent",
            ),
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="patients_patient_invite",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        patient = self.get_object(request, unquote(object_id))  # another clinic's: 404
        extra_context = {
            **(extra_context or {}),
            "invite_url": admin_invite.invite_url(request, patient),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def invite_view(self, request, object_id):
        return admin_invite.invite_view(self, request, object_id)

    def referral_outcome_view(self, request, object_id):
        return admin_holds.referral_outcome_view(self, request, object_id)

    def consent_view(self, request, object_id):
        return admin_consent.consent_view(self, request, object_id)

    def clear_hold_view(self, request, object_id):
        return admin_holds.clear_hold_view(self, request, object_id)


# Where a list row keeps the higher apps' column values its page read for it.
_CELLS = "_list_cells"


class PatientChangeList(CalendarEndsChangeList):
    """Reads each shown column's values for the page's rows at once: the list's queries
    stay the same for one row or a full page."""

    def get_results(self, request):
        super().get_results(request)
        # Evaluating the page here fills the queryset's cache, which the template and
        # the access log then read: the rows are read once.
        rows = list(self.result_list)
        columns = admin_sections.columns_shown_to(request.user)
        values = {column.name: column.load(rows) if rows else {} for column in columns}
        for row in rows:
            setattr(row, _CELLS, {name: found.get(row.pk) for name, found in values.items()})


@cache  # one function per column, so every page names the same list_display entry
def column_cell(column: admin_sections.Column) -> Callable[[Patient], str]:
    @admin.display(description=column.title)
    def cell(obj: Patient) -> str:
        value = getattr(obj, _CELLS, {}).get(column.name)
        return column.empty if value is None else value

    cell.__name__ = column.name
    return cell


def _consent_page(patient: Patient) -> str:
    return reverse("admin:patients_patient_consent", args=[patient.pk])


@cache  # one row per set of links, so the fieldsets name the same field as readonly_fields
def clinical_actions_row(
    links: tuple[admin_sections.Link, ...],
    *,
    clears_holds: bool,
    records_referral_outcomes: bool,
) -> Callable[[Patient], str]:
    """The patient page's row of clinical actions showing `links`, then the hold's own
    actions (to those whose role may take them) and its banner while the patient is on
    one: everyone who books the patient needs to know of the hold."""

    @admin.display(description="actions")
    def clinical_actions(obj: Patient) -> str:
        shown = [(link.url(obj), link.label) for link in links if link.applies_to(obj)]
        if obj.on_medical_hold and clears_holds:
            shown.append(
                (reverse("admin:patients_patient_clear_hold", args=[obj.pk]), "Clear medical hold")
            )
        if obj.on_referral_hold and records_referral_outcomes:
            shown.append(
                (
                    reverse("admin:patients_patient_referral_outcome", args=[obj.pk]),
                    "Record referral outcome",
                )
            )
        html = format_html_join(" | ", '<a href="{}">{}</a>', shown)
        if obj.on_referral_hold:
            html = format_html(
                '<strong style="color:#ba2121">{}</strong><br>{}',
                admin_holds.referral_hold_banner(obj),
                html,
            )
        if obj.on_medical_hold:
            html = format_html(
                '<strong style="color:#ba2121">On medical hold since {}: no program can '
                "be prescribed until a clinician clears it.</strong><br>{}",
                moment_text(obj.medical_hold_since),
                html,
            )
        return html

    return clinical_actions


admin_sections.register_inline(DiagnosisInline, order=10)
admin_sections.register_inline(ScreeningInline, order=20)
admin_sections.register_inline(admin_holds.ReferralOutcomeInline, order=30)
admin_sections.register_inline(AlertInline, order=70)

# Programs register "Prescribe program" (30), appointments "Book appointment" (40).
admin_sections.register_link(
    admin_sections.Link(
        "Record diagnosis",
        admin_sections.add_page("admin:patients_diagnosis_add"),
        permission="patients.add_diagnosis",
    ),
    order=10,
)
admin_sections.register_link(
    admin_sections.Link(
        "Screen red flags",
        admin_sections.add_page("admin:patients_redflagscreening_add"),
        permission="patients.add_redflagscreening",
    ),
    order=20,
)
admin_sections.register_link(admin_sections.Link("Contact consent", _consent_page), order=50)
