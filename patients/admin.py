from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Case, F, OuterRef, Subquery, When
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from outcomes.charts import bar_chart, line_chart
from outcomes.models import Code
from outcomes.scoring import ODI_BAND_LIMITS
from outcomes.selectors import patient_progress
from practice.admin_base import (
    ClinicFilter,
    ClinicScopedAdmin,
    ReadOnlyInline,
    ServiceForm,
    staff_of,
)
from practice.models import Appointment
from practice.tenancy import clinic_of
from programs.models import ExerciseSession, Prescription

from . import admin_consent, admin_diagnoses, admin_holds, services
from .access import may_read_diagnoses
from .admin_diagnoses import DiagnosisInline
from .alerts import OPEN_ALERT
from .models import Cause, ClinicalAlert, Diagnosis, Patient, RedFlagScreening


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


PROGRESS_WEEKS = 12
ODI_BANDS = tuple(limit for limit, _ in ODI_BAND_LIMITS)  # 20, 40, 60, 80


def progress_charts(patient: Patient, *, weeks: int = PROGRESS_WEEKS) -> str:
    """Pain after sessions, ODI and adherence for the last `weeks` weeks, as inline SVG.

    `patient_progress` reads in a fixed number of queries, however long the record."""
    recent = patient_progress(patient=patient).weeks[-weeks:]
    labels = [f"{w.week_start:%b} {w.week_start.day}" for w in recent]

    def series(values):
        return list(zip(labels, values, strict=True))

    charts = [
        line_chart(
            title="Pain after sessions",
            points=series([w.pain_after_mean for w in recent]),
            y_max=10,
            y_label="Mean pain, worse of back and leg (0-10)",
            x_label="Week of",
            chart_id=f"progress-{patient.pk}-pain",
        ),
        line_chart(
            title="Oswestry Disability Index",
            points=series([w.scores.get(Code.ODI) for w in recent]),
            y_max=100,
            y_label="ODI (0-100)",
            band_lines=ODI_BANDS,
            y_ticks=(0, *ODI_BANDS, 100),
            x_label="Week of",
            chart_id=f"progress-{patient.pk}-odi",
            join_gaps=True,  # answered every few weeks, not weekly
        ),
        bar_chart(
            title="Adherence",
            points=series([w.adherence.percent for w in recent]),
            y_max=100,
            y_label="Scheduled days done",
            value_suffix="%",
            x_label="Week of",
            chart_id=f"progress-{patient.pk}-adherence",
        ),
    ]
    return format_html(
        '<div class="progress-charts">{}</div>',
        format_html_join("", '<div class="progress-chart-cell">{}</div>', ((c,) for c in charts)),
    )


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
        latest = Diagnosis.objects.filter(patient=OuterRef("pk")).order_by("-diagnosed_on", "-id")
        return (
            super()
            .get_queryset(request)
            .annotate(latest_cause_value=Subquery(latest.values("cause")[:1]))
        )

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


class PatientPrefillMixin:
    """Takes ?patient=<id> from the patient page's action links."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        staff = staff_of(request)
        if staff is not None and staff.is_clinician:
            for field in ("diagnosed_by", "screened_by", "prescribed_by", "therapist"):
                initial.setdefault(field, staff.pk)
        return initial


@admin.register(Diagnosis)
class DiagnosisAdmin(PatientPrefillMixin, admin_diagnoses.DiagnosisAdminBase):
    """Forms, fields and the access log of the diagnosis pages: patients.admin_diagnoses."""


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
class RedFlagScreeningAdmin(PatientPrefillMixin, ClinicScopedAdmin):
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
        return HttpResponseRedirect(reverse("admin:patients_patient_change", args=[obj.patient_id]))


class AcknowledgedFilter(admin.SimpleListFilter):
    """The inbox opens on open alerts: neither acknowledged nor resolved (a red-flag alert
    is resolved when its hold is cleared). "All" shows the handled ones too."""

    title = "status"
    parameter_name = "acknowledged"

    def lookups(self, request, model_admin):
        return [
            ("no", "Open (inbox)"),
            ("yes", "Acknowledged"),
            ("resolved", "Resolved"),
            ("all", "All"),
        ]

    def value(self):
        return super().value() or "no"

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(OPEN_ALERT)
        if self.value() == "yes":
            return queryset.filter(acknowledged_at__isnull=False)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


OPEN_FIRST = Case(When(OPEN_ALERT, then=0), default=1)
URGENT_FIRST = Case(When(severity=ClinicalAlert.Severity.URGENT, then=0), default=1)


class AlertTherapistFilter(ClinicFilter):
    title = "primary therapist"
    parameter_name = "therapist"
    field_path = "patient__primary_therapist"


@admin.register(ClinicalAlert)
class ClinicalAlertAdmin(ClinicScopedAdmin):
    """The clinic's alerts inbox: open alerts, urgent first, newest first."""

    audit_patient_path = "patient"
    list_display = [
        "patient",
        "kind",
        "severity_badge",
        "short_message",
        "created_at",
        "acknowledged_by",
        "acknowledged_at",
        "resolved_at",
    ]
    list_display_links = ["patient", "kind"]
    list_filter = [AcknowledgedFilter, "severity", "kind", AlertTherapistFilter]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    list_select_related = ["patient", "acknowledged_by__user"]
    # Replaces the model's ordering, which the changelist would otherwise put first.
    ordering = [
        OPEN_FIRST.asc(),
        URGENT_FIRST.asc(),
        F("created_at").desc(),
    ]
    actions = ["acknowledge"]

    def has_add_permission(self, request) -> bool:
        return False  # alerts are raised by the rules, not typed in

    def get_readonly_fields(self, request, obj=None):
        return [
            "patient",
            "kind",
            "severity",
            "message",
            "screening",
            "created_at",
            "acknowledged_at",
            "acknowledged_by",
            "resolved_at",
            "resolved_by",
            "resolution_note",
        ]

    @admin.display(description="severity", ordering=URGENT_FIRST)
    def severity_badge(self, obj: ClinicalAlert):
        if obj.severity == ClinicalAlert.Severity.URGENT:
            return format_html(
                '<strong style="color:#ba2121">{}</strong>', obj.get_severity_display()
            )
        return obj.get_severity_display()

    @admin.display(description="message")
    def short_message(self, obj: ClinicalAlert) -> str:
        return Truncator(obj.message).chars(140)

    @admin.action(description="Acknowledge selected alerts", permissions=["change"])
    def acknowledge(self, request, queryset):
        staff = staff_of(request)
        if staff is None:
            self.message_user(request, "Only clinic staff acknowledge alerts.", messages.ERROR)
            return
        queryset = queryset.select_related("patient__clinic").order_by()
        already = sum(1 for a in queryset if a.acknowledged_at is not None)
        done = sum(
            self.run_service(
                request, str(a), lambda a=a: services.alert_acknowledge(alert=a, staff_member=staff)
            )
            for a in queryset
            if a.acknowledged_at is None
        )
        text = f"{done} alert(s) acknowledged."
        if already:
            text += f" {already} already were; their first acknowledgement stands."
        self.message_user(request, text)
