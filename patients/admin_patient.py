"""The patient pages: the registration and edit form, the list's filters and the patient
page itself, which links to the clinical actions and the hold, referral and consent pages
(admin_holds, admin_consent) and shows each app's record in read-only lists
(admin_inlines, admin_diagnoses) and the weekly charts (admin_charts)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from practice.admin_base import ClinicFilter, ClinicScopedAdmin, ServiceForm
from practice.tenancy import clinic_of

from . import admin_consent, admin_holds, services
from .access import may_read_diagnoses
from .admin_charts import PROGRESS_WEEKS, progress_charts
from .admin_diagnoses import DiagnosisInline
from .admin_inlines import (
    AlertInline,
    AppointmentInline,
    PrescriptionInline,
    ScreeningInline,
    SessionInline,
)
from .models import Cause, Patient
from .selectors import latest_diagnosis_cause


class PatientForm(ServiceForm):
    class Meta:
        model = Patient
        fields = [
            "clinic",
            "mrn",
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "phone",
            "time_zone",
            "primary_therapist",
            "referral",
            "referring_physician",
            "referral_date",
            "consent_email",
            "consent_sms",
            "consent_push",
            "quiet_hours_start",
            "quiet_hours_end",
        ]

    def perform(self, data):
        fields = {k: v for k, v in data.items() if k != "clinic"}
        if self.instance.pk is None:
            clinic = data.get("clinic") or clinic_of(self.request.user)
            return services.patient_register(clinic=clinic, actor=self.request.user, **fields)
        changed = {k: v for k, v in fields.items() if k in self.changed_data}
        return services.patient_update(patient=self.instance, actor=self.request.user, **changed)


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
class PatientAdmin(ClinicScopedAdmin):
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
    readonly_fields = ["clinical_actions", "medical_hold_since", "referral_hold_since", "progress"]
    inlines = [
        DiagnosisInline,
        ScreeningInline,
        admin_holds.ReferralOutcomeInline,
        PrescriptionInline,
        AppointmentInline,
        SessionInline,
        AlertInline,
    ]
    # Discharge, archive and reactivate close or reopen an episode of care across apps;
    # episodes.admin adds them to a subclass of this admin.
    actions: list[str] = []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(latest_cause_value=latest_diagnosis_cause())

    # The front desk reads no diagnosis, so neither the cause column nor its filter.
    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if may_read_diagnoses(request.user):
            return shown
        return [name for name in shown if name != "latest_cause"]

    def get_list_filter(self, request):
        shown = super().get_list_filter(request)
        if may_read_diagnoses(request.user):
            return shown
        return [each for each in shown if each is not CauseFilter]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new patient has no record yet

    def get_fieldsets(self, request, obj=None):
        clinical = ["clinical_actions", "medical_hold_since", "referral_hold_since"]
        # Staff register patients in their own clinic, and nobody moves a patient
        # between clinics, so only the operator picks a clinic, on registration.
        hidden = (
            clinical if obj is None and clinic_of(request.user) is None else [*clinical, "clinic"]
        )
        fields = [f for f in self.get_fields(request, obj) if f not in [*hidden, "progress"]]
        if obj is None:
            return [(None, {"fields": fields})]
        fieldsets = [("Clinical", {"fields": clinical})]
        # The charts read the session log, which the front desk does not see.
        if request.user.has_perm("programs.view_exercisesession"):
            fieldsets.append(
                (
                    "Progress",
                    {
                        "fields": ["progress"],
                        "description": f"The last {PROGRESS_WEEKS} weeks, week by week "
                        "(Monday to Sunday, the patient's local time).",
                    },
                )
            )
        fieldsets.append(("Patient", {"fields": fields}))
        return fieldsets

    @admin.display(description="cause", ordering="latest_cause_value")
    def latest_cause(self, obj: Patient) -> str:
        value = getattr(obj, "latest_cause_value", None)
        return Cause(value).label if value else "-"

    @admin.display(description="on hold", boolean=True)
    def on_hold(self, obj: Patient) -> bool:
        return obj.on_hold  # medical or referral: either stops the program

    @admin.display(description="weekly trends")
    def progress(self, obj: Patient) -> str:
        return progress_charts(obj)

    @admin.display(description="actions")
    def clinical_actions(self, obj: Patient) -> str:
        links = [
            (reverse("admin:patients_diagnosis_add") + f"?patient={obj.pk}", "Record diagnosis"),
            (
                reverse("admin:patients_redflagscreening_add") + f"?patient={obj.pk}",
                "Screen red flags",
            ),
            (
                reverse("admin:programs_prescription_add") + f"?patient={obj.pk}",
                "Prescribe program",
            ),
            (reverse("admin:practice_appointment_add") + f"?patient={obj.pk}", "Book appointment"),
            (reverse("admin:patients_patient_consent", args=[obj.pk]), "Contact consent"),
        ]
        if obj.on_medical_hold:
            links.append(
                (reverse("admin:patients_patient_clear_hold", args=[obj.pk]), "Clear medical hold")
            )
        if obj.on_referral_hold:
            links.append(
                (
                    reverse("admin:patients_patient_referral_outcome", args=[obj.pk]),
                    "Record referral outcome",
                )
            )
        html = format_html_join(" | ", '<a href="{}">{}</a>', links)
        if obj.on_referral_hold:
            html = format_html(
                '<strong style="color:#ba2121">{}</strong><br>{}',
                admin_holds.referral_hold_banner(obj),
                html,
            )
        if obj.on_medical_hold:
            html = format_html(
                '<strong style="color:#ba2121">On medical hold since {} UTC: no program can '
                "be prescribed until a clinician clears it.</strong><br>{}",
                f"{obj.medical_hold_since:%Y-%m-%d %H:%M}",
                html,
            )
        return html

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
            *super().get_urls(),
        ]

    def referral_outcome_view(self, request, object_id):
        return admin_holds.referral_outcome_view(self, request, object_id)

    def consent_view(self, request, object_id):
        return admin_consent.consent_view(self, request, object_id)

    def clear_hold_view(self, request, object_id):
        return admin_holds.clear_hold_view(self, request, object_id)
