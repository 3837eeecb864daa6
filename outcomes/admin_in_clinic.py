"""The in-clinic questionnaire pages: from the patient page's "Record questionnaire", a
page listing the four instruments (saying which is due), then one per instrument with its
items and options. The answers go through `outcomes.in_clinic`, scored as the app's.

Both pages show a patient's record, so each answer writes the access log. A role that may
not record (the front desk, the clinic admin) is not offered the link, and an opened
address says why on the admin's refusal page. An archived patient is not offered the
link either, and the pages say why instead of showing the form.

The form carries the occasion and due date the page showed (hidden fields): the service
refuses when it works out another, so a double submit stores one score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from core.access_log import CHANGE, VIEW
from core.localtime import local_today, patient_zone
from patients.admin_sections import Link, register_link
from patients.models import Patient
from practice.admin_base import add_service_errors, given_id
from practice.tenancy import staff_of

from . import instruments
from .in_clinic import (
    InClinicOccasion,
    in_clinic_occasions,
    occasion_text,
    questionnaire_record_in_clinic,
    recording_refusal,
)
from .instruments import Instrument
from .models import Occasion, QuestionnaireResponse
from .schedule import Due

if TYPE_CHECKING:
    from practice.admin_base import ClinicScopedAdmin

    _ResponseAdminBase = ClinicScopedAdmin
else:
    _ResponseAdminBase = object

RECORD_PERMISSION = "outcomes.add_questionnaireresponse"
REFUSED = "Only a clinician records questionnaires in the clinic."
CHOOSE_URL = "admin:outcomes_questionnaireresponse_record"
RECORD_URL = "admin:outcomes_questionnaireresponse_record_code"


def answers_form(instrument: Instrument) -> type[forms.Form]:
    """A form with one choice per item (its key as the field's name); an item left blank
    is unanswered, which the instrument's own rule allows or refuses."""
    fields: dict[str, forms.Field] = {
        item.key: forms.TypedChoiceField(
            label=item.text,
            choices=[(option.value, option.label) for option in item.options],
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
        )
        for item in instrument.items
    }
    return type(f"{instrument.code.capitalize()}AnswersForm", (forms.Form,), fields)


SHOWN_PREFIX = "shown"
SHOWN_MISSING = (
    "This page did not say which occasion the answers are for: open it again from the "
    "questionnaire list and enter them there."
)


class ShownOccasionForm(forms.Form):
    """The occasion and due date the page showed, sent back with the answers."""

    occasion = forms.ChoiceField(choices=Occasion.choices, widget=forms.HiddenInput)
    due_on = forms.DateField(widget=forms.HiddenInput)


def shown_form(occasion: InClinicOccasion) -> ShownOccasionForm:
    return ShownOccasionForm(
        prefix=SHOWN_PREFIX,
        initial={"occasion": occasion.due.occasion, "due_on": occasion.due.due_on.isoformat()},
    )


class InClinicPagesMixin(_ResponseAdminBase):
    """The questionnaire response admin's pages to record answers in the clinic."""

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "record/<str:patient_id>/",
                self.admin_site.admin_view(self.record_choose_view),
                name="outcomes_questionnaireresponse_record",
            ),
            path(
                "record/<str:patient_id>/<str:code>/",
                self.admin_site.admin_view(self.record_view),
                name="outcomes_questionnaireresponse_record_code",
            ),
            *super().get_urls(),
        ]

    def _patient(self, request: HttpRequest, patient_id: str) -> Patient:
        pk = given_id(patient_id)
        if pk is None:
            raise Http404("Not found.")
        patient = get_object_or_404(Patient.objects.for_user(request.user), pk=pk)
        if not request.user.has_perm(RECORD_PERMISSION):
            raise PermissionDenied(REFUSED)  # said on the admin's 403 page
        return patient

    def _occasions(self, patient: Patient) -> dict[str, InClinicOccasion]:
        return in_clinic_occasions(patient=patient, today=local_today(patient_zone(patient)))

    def record_choose_view(self, request: HttpRequest, patient_id: str) -> HttpResponse:
        patient = self._patient(request, patient_id)
        refusal = recording_refusal(patient)
        rows = []
        if refusal is None:
            rows = [
                (
                    instruments.INSTRUMENTS[code].title,
                    reverse(RECORD_URL, args=[patient.pk, code]),
                    occasion_text(occasion),
                )
                for code, occasion in self._occasions(patient).items()
            ]
        self.log_patient_access(request, [patient.pk], VIEW)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Record a questionnaire for {patient.full_name}",
            "patient": patient,
            "rows": rows,
            "refusal": refusal,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/outcomes/record_choose.html", context)

    def record_view(self, request: HttpRequest, patient_id: str, code: str) -> HttpResponse:
        patient = self._patient(request, patient_id)
        instrument = instruments.get(code)
        if instrument is None:
            raise Http404("There is no such questionnaire.")
        refusal = recording_refusal(patient)
        form = answers_form(instrument)(request.POST or None)
        if refusal is None and request.method == "POST" and form.is_valid():
            response = self._record(request, form, patient, instrument)
            if response is not None:
                self.log_patient_access(request, [patient.pk], CHANGE)
                messages.success(request, recorded_text(response))
                return HttpResponseRedirect(
                    reverse("admin:patients_patient_change", args=[patient.pk])
                )
        self.log_patient_access(request, [patient.pk], VIEW)
        # Worked out after a refused save, so the page shows what saving again answers.
        occasion = self._occasions(patient)[instrument.code]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{instrument.title}: {patient.full_name}",
            "patient": patient,
            "instrument": instrument,
            "refusal": refusal,
            "occasion": occasion_text(occasion),
            "form": form,
            "shown": shown_form(occasion),
            "choose_url": reverse(CHOOSE_URL, args=[patient.pk]),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/outcomes/record_questionnaire.html", context)

    def _record(
        self, request: HttpRequest, form: forms.Form, patient: Patient, instrument: Instrument
    ) -> QuestionnaireResponse | None:
        staff = staff_of(request.user)
        if staff is None:
            form.add_error(None, REFUSED)
            return None
        shown = ShownOccasionForm(request.POST, prefix=SHOWN_PREFIX)
        if not shown.is_valid():
            form.add_error(None, SHOWN_MISSING)
            return None
        expected = Due(
            instrument.code, shown.cleaned_data["occasion"], shown.cleaned_data["due_on"]
        )
        answers = {key: value for key, value in form.cleaned_data.items() if value is not None}
        try:
            return questionnaire_record_in_clinic(
                patient=patient,
                code=instrument.code,
                answers=answers,
                staff=staff,
                expected=expected,
            )
        except ValidationError as exc:  # AnswersInvalidError: a message per item key
            add_service_errors(form, exc)
            return None


def recorded_text(response: QuestionnaireResponse) -> str:
    band = f" ({response.get_band_display()})" if response.band else ""
    return (
        f"{response.get_code_display()} recorded for {response.patient.full_name}: score "
        f"{response.score}{band}, {response.get_occasion_display().lower()}."
    )


def _record_page(patient: Patient) -> str:
    return reverse(CHOOSE_URL, args=[patient.pk])


# After "Prescribe program" (30), before "Book appointment" (40).
register_link(
    Link(
        "Record questionnaire",
        _record_page,
        permission=RECORD_PERMISSION,
        shown_for=lambda patient: recording_refusal(patient) is None,
    ),
    order=35,
)
