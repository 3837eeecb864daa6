"""The patient page's "Contact consent" page: staff record a patient's consent per
channel (a withdrawal by phone or at the desk) without the rest of the patient form, so
it saves even when another field of the stored record no longer validates.
patients.admin wires the URL and the link."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.access_log import CHANGE, VIEW
from practice.admin_base import ClinicScopedAdmin, admin_user

from . import services
from .consent import CONSENT_FIELDS
from .models import Patient


class ConsentForm(forms.Form):
    # Each box carries a hidden copy of the value the page showed (see changed_consent).
    consent_email = forms.BooleanField(
        required=False, label="Consents to email reminders", show_hidden_initial=True
    )
    consent_sms = forms.BooleanField(
        required=False, label="Consents to SMS reminders", show_hidden_initial=True
    )
    consent_push = forms.BooleanField(
        required=False, label="Consents to push reminders", show_hidden_initial=True
    )

    def changed_consent(self) -> dict[str, bool]:
        """The boxes staff changed from what their page showed, not from what is stored
        now: a page opened before a STOP reply arrived must not give the SMS consent
        back when staff only untick email. A post without the hidden copy (not from
        this page) is compared with what is stored."""
        changed = {}
        for name, field in self.fields.items():
            shown_key = self[name].html_initial_name
            if shown_key in self.data:
                shown = field.to_python(self.data[shown_key])
            else:
                shown = self.initial[name]
            if self.cleaned_data[name] != shown:
                changed[name] = self.cleaned_data[name]
        return changed


def consent_view(
    model_admin: ClinicScopedAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    patient: Patient = model_admin.get_object(request, object_id)  # another clinic's: 404
    if not model_admin.has_change_permission(request, patient):
        raise PermissionDenied("Your role cannot change a patient's consent.")
    initial = {field: getattr(patient, field) for field in CONSENT_FIELDS.values()}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        consent, _ = services.consent_fields_split(form.changed_consent())
        change = services.patient_consent_update(
            patient=patient,
            source=services.ConsentSource.STAFF,
            actor=admin_user(request),
            **consent,
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
