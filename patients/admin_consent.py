"""The patient page's "Contact consent" page: staff record a patient's consent per
channel (a withdrawal by phone or at the desk) without the rest of the patient form, so
it saves even when another field of the stored record no longer validates.
patients.admin wires the URL and the link."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from practice.access_log import CHANGE, VIEW

from . import services
from .consent import CONSENT_FIELDS
from .models import Patient


class ConsentForm(forms.Form):
    consent_email = forms.BooleanField(required=False, label="Consents to email reminders")
    consent_sms = forms.BooleanField(required=False, label="Consents to SMS reminders")
    consent_push = forms.BooleanField(required=False, label="Consents to push reminders")


def consent_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    patient: Patient = model_admin.get_object(request, object_id)  # another clinic's: 404
    if not model_admin.has_change_permission(request, patient):
        raise PermissionDenied("Your role cannot change a patient's consent.")
    initial = {field: getattr(patient, field) for field in CONSENT_FIELDS.values()}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        consent, _ = services.consent_fields_split(form.cleaned_data)
        change = services.patient_consent_update(
            patient=patient, source=services.ConsentSource.STAFF, actor=request.user, **consent
        )
        model_admin.log_patient_access(request, [patient], CHANGE)
        if change.changed:
            messages.success(request, f"The contact consent of {patient.full_name} is saved.")
        else:
            messages.info(request, "Nothing changed.")
        return HttpResponseRedirect(reverse("admin:patients_patient_change", args=[patient.pk]))
    model_admin.log_patient_access(request, [patient], VIEW)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Contact consent of {patient.full_name}",
        "patient": patient,
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/patients/consent.html", context)
