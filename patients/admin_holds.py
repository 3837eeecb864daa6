"""Admin parts of the red-flag holds: the screening form's layout and age hint, the
clear-hold and referral-outcome pages and the read-only list of outcomes. patients.admin
wires them in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.access_log import CHANGE, VIEW
from core.localtime import moment_text
from practice.admin_base import ClinicScopedAdmin, ReadOnlyInline, add_service_errors, given_id
from practice.tenancy import staff_of

from . import services
from .models import ClinicalAlert, Patient, RedFlagScreening, ReferralOutcome
from .screening import is_over_referral_age

EMERGENCY_FIELDS = [field for field, _ in RedFlagScreening.FLAGS]
SERIOUS_FIELDS = [field for field, _ in RedFlagScreening.SERIOUS_FLAGS]

SCREENING_FIELDSETS = [
    (None, {"fields": ["patient"]}),
    (
        "Emergency flags",
        {
            "fields": EMERGENCY_FIELDS,
            "description": "Cauda equina and progressing nerve-root signs. Any yes: "
            "same-day emergency care; the program goes on medical hold.",
        },
    ),
    (
        "Serious-pathology flags",
        {
            "fields": SERIOUS_FIELDS,
            "description": "Possible malignancy, infection or fracture (NICE NG59; IFOMPT "
            "red-flag framework, 2020). Any yes: refer to a physician before treatment; the "
            "program waits on a referral hold until the outcome is recorded.",
        },
    ),
    (None, {"fields": ["notes"]}),
]
# A new screen may give the time it was done; a recorded one shows it with the record.
SCREENING_ADD_FIELDSETS = [
    (None, {"fields": ["patient", "screened_at"]}),
    *SCREENING_FIELDSETS[1:],
]
SCREENING_RECORD_FIELDS = [
    "screened_at",
    "source",
    "screened_by",
    "cleared_at",
    "cleared_by",
    "clearance_note",
]


def screening_result(screening: RedFlagScreening) -> str:
    parts = []
    if screening.is_positive:
        parts.append("emergency: " + ", ".join(screening.positive_flags))
    if screening.needs_referral:
        parts.append("refer: " + ", ".join(screening.positive_serious_flags))
    return "; ".join(parts) or "negative"


def hint_age(form: forms.ModelForm) -> None:
    """Say so on the age question when the patient picked for a new screen is over 50.
    Only a hint: whether this is a new episode is the clinician's answer."""
    field = form.fields.get("over_50_with_new_episode")
    pk = given_id(form.initial.get("patient"))
    choices = form.fields.get("patient")
    if field is None or pk is None or not isinstance(choices, forms.ModelChoiceField):
        return
    if choices.queryset is None:
        return
    patient = choices.queryset.filter(pk=pk).first()
    if patient is not None and is_over_referral_age(patient):
        field.help_text = f"{patient.full_name} is over 50: is this a new episode of back pain?"


def screened_at_optional(form: forms.ModelForm) -> None:
    """A screen is stamped now unless staff give the time it was done (a paper screen
    entered later); the service refuses a time before 2000 or in the future."""
    field = form.fields.get("screened_at")
    if field is None:
        return
    field.required = False
    field.initial = None  # not the model's default: an empty field means now
    field.help_text = "Leave empty for now; or when the screen was done."
    form.initial.pop("screened_at", None)


def referral_hold_banner(patient: Patient) -> str:
    return (
        f"On referral hold since {moment_text(patient.referral_hold_since)}: refer to a "
        "physician; no program can be prescribed until the outcome is recorded as cleared "
        "to treat."
    )


class ClearHoldForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why it is safe to resume: who evaluated the patient and what was found.",
    )


def clear_hold_view(
    model_admin: ClinicScopedAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """The patient page's "Clear medical hold" page (patients.admin wires the URL)."""
    patient: Patient = model_admin.get_object(request, object_id)  # another clinic's: 404
    back = reverse("admin:patients_patient_change", args=[patient.pk])
    if not request.user.has_perm("patients.clear_medical_hold"):
        messages.error(request, "Your role cannot clear a medical hold.")
        return HttpResponseRedirect(back)
    form = ClearHoldForm(request.POST or None)
    staff = staff_of(request.user)
    if request.method == "POST" and form.is_valid():
        if staff is None:
            form.add_error(None, "Only clinic staff can clear a hold.")
        else:
            try:
                with transaction.atomic():
                    services.medical_hold_clear(
                        patient=patient, cleared_by=staff, note=form.cleaned_data["note"]
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                model_admin.log_patient_access(request, [patient], CHANGE)
                messages.success(
                    request,
                    f"The medical hold on {patient.full_name} is cleared and its red-flag "
                    "alerts are resolved with your note.",
                )
                return HttpResponseRedirect(back)
    model_admin.log_patient_access(request, [patient], VIEW)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Clear the medical hold on {patient.full_name}",
        "patient": patient,
        "screenings": patient.screenings.filter(cleared_at__isnull=True),
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/patients/clear_hold.html", context)


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=ReferralOutcome.Outcome.choices,
        widget=forms.RadioSelect,
        help_text="Only “cleared to treat” lifts the referral hold.",
    )
    physician_name = forms.CharField(
        max_length=200, help_text="The physician who assessed the patient."
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the physician found or advised.",
    )


def referral_outcome_view(
    model_admin: ClinicScopedAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """The patient page's "Record referral outcome" page (patients.admin wires the URL)."""
    patient: Patient = model_admin.get_object(request, object_id)  # another clinic's: 404
    if not request.user.has_perm("patients.add_referraloutcome"):
        raise PermissionDenied("Your role cannot record a referral outcome.")
    back = reverse("admin:patients_patient_change", args=[patient.pk])
    if request.method != "POST" and not patient.on_referral_hold:
        messages.warning(request, f"{patient.full_name} is not on a referral hold.")
        return HttpResponseRedirect(back)
    form = ReferralOutcomeForm(request.POST or None)
    staff = staff_of(request.user)
    if request.method == "POST" and form.is_valid():
        if staff is None:
            form.add_error(None, "Only clinic staff record a referral outcome.")
        else:
            try:
                with transaction.atomic():
                    record = services.referral_outcome_record(
                        patient=patient, recorded_by=staff, **form.cleaned_data
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                model_admin.log_patient_access(request, [patient], CHANGE)
                messages.success(request, _outcome_message(patient, record))
                return HttpResponseRedirect(back)
    model_admin.log_patient_access(request, [patient], VIEW)
    # The flags this outcome answers: those raised since the last clearance.
    cleared = patient.referral_outcomes.filter(outcome=ReferralOutcome.Outcome.CLEARED_TO_TREAT)
    last_cleared = cleared.order_by("-recorded_at").first()
    screenings = patient.screenings.order_by("-screened_at")
    if last_cleared is not None:
        screenings = screenings.filter(screened_at__gt=last_cleared.recorded_at)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Record the referral outcome for {patient.full_name}",
        "patient": patient,
        "banner": referral_hold_banner(patient) if patient.on_referral_hold else "",
        "screenings": [s for s in screenings if s.needs_referral],
        "outcomes": patient.referral_outcomes.select_related("recorded_by__user"),
        "open_alerts": patient.alerts.filter(
            kind=ClinicalAlert.Kind.REFERRAL_NEEDED, resolved_at__isnull=True
        ),
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/patients/referral_outcome.html", context)


def _outcome_message(patient: Patient, record: ReferralOutcome) -> str:
    if record.outcome == ReferralOutcome.Outcome.CLEARED_TO_TREAT:
        return f"{patient.full_name} is cleared to treat; the referral hold is lifted."
    return (
        f"Referral outcome recorded ({record.get_outcome_display().lower()}). "
        f"{patient.full_name} stays on the referral hold until a physician clears them to treat."
    )


class ReferralOutcomeInline(ReadOnlyInline):
    model = ReferralOutcome
    fields = readonly_fields = ("recorded_at", "outcome", "physician_name", "note", "recorded_by")


@admin.register(ReferralOutcome)
class ReferralOutcomeAdmin(ClinicScopedAdmin):
    """Read only: an outcome is recorded from the patient page and never edited."""

    audit_patient_path = "patient"
    list_display = ["patient", "outcome", "physician_name", "recorded_by", "recorded_at"]
    list_filter = ["outcome"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    list_select_related = ["patient", "recorded_by__user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
