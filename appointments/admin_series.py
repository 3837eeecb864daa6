"""The "Book a series" page of the appointment admin: one visit a week for N weeks,
through `appointment_series_book` (its refusals, every clashing week named, come back as
form errors and nothing is booked). Opened from the calendar and from the add page,
with what they already know (patient, therapist, first time) filled in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from core.access_log import CHANGE
from patients.models import Patient
from practice.admin_base import add_service_errors, admin_user, given_id, service_action
from practice.admin_clinicians import clinicians_of
from practice.models import StaffMember
from practice.tenancy import staff_of, visible_to

from .admin_calendar import CALENDAR_URL, slot_initial
from .models import Appointment
from .series import (
    MAX_WEEKS,
    MIN_WEEKS,
    appointment_series_book,
    appointment_series_cancel_rest,
)

if TYPE_CHECKING:
    from practice.admin_base import ClinicScopedAdmin


class SeriesForm(forms.Form):
    patient = forms.ModelChoiceField(queryset=Patient.objects.none())
    therapist = forms.ModelChoiceField(queryset=StaffMember.objects.none())
    first_starts_at = forms.SplitDateTimeField(label="First visit", widget=AdminSplitDateTime)
    weeks = forms.IntegerField(
        min_value=MIN_WEEKS,
        max_value=MAX_WEEKS,
        initial=6,
        help_text=f"One visit a week, at the same time, for {MIN_WEEKS} to {MAX_WEEKS} weeks.",
    )
    duration_minutes = forms.IntegerField(label="Duration (minutes)", initial=45)
    kind = forms.ChoiceField(choices=Appointment.Kind.choices, initial=Appointment.Kind.FOLLOW_UP)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        patients = Patient.objects.filter(status=Patient.Status.ACTIVE)
        self.fields["patient"].queryset = visible_to(patients, request.user)  # type: ignore[attr-defined]
        self.fields["therapist"].queryset = clinicians_of(request)  # type: ignore[attr-defined]
        zone = timezone.get_current_timezone_name()
        self.fields["first_starts_at"].help_text = f"Time in {zone}; each week keeps it."


def _initial(request: HttpRequest) -> dict[str, Any]:
    """What the calendar or the add page knew: ids as given (the form offers only the
    clinic's), the first time as the slot's."""
    initial: dict[str, Any] = {
        name: pk for name in ("patient", "therapist") if (pk := given_id(request.GET.get(name)))
    }
    staff = staff_of(request.user)
    if staff is not None and staff.is_clinician:
        initial.setdefault("therapist", staff.pk)  # as the add page does
    starts_at = slot_initial(request).get("starts_at")
    if starts_at is not None:
        initial["first_starts_at"] = starts_at
    return initial


def series_view(model_admin: ClinicScopedAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied("Your role cannot book appointments.")
    form = SeriesForm(request.POST or None, initial=_initial(request), request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booked = appointment_series_book(
                patient=data["patient"],
                therapist=data["therapist"],
                first_starts_at=data["first_starts_at"],
                weeks=data["weeks"],
                duration_minutes=data["duration_minutes"],
                kind=data["kind"],
                notes=data["notes"],
                actor=admin_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            model_admin.log_patient_access(request, [data["patient"].pk], CHANGE)
            first = timezone.localtime(booked[0].starts_at)
            messages.success(
                request,
                f"Booked {len(booked)} weekly visits for {data['patient']} with "
                f"{data['therapist']}, {first:%A}s at {first:%H:%M} from {first:%Y-%m-%d}.",
            )
            query = f"?week={first:%Y-%m-%d}&therapist={data['therapist'].pk}"
            return HttpResponseRedirect(reverse(CALENDAR_URL) + query)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Book a weekly series",
        "form": form,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/appointments/series.html", context)


def urls(model_admin: ClinicScopedAdmin) -> list[URLPattern]:
    def view(request: HttpRequest) -> HttpResponse:
        return series_view(model_admin, request)

    return [
        path(
            "series/",
            model_admin.admin_site.admin_view(view),
            name="appointments_appointment_series",
        )
    ]


cancel_rest_action = service_action(
    name="cancel_rest_of_series",
    description="Cancel the rest of the selected visits' series",
    service=lambda visit, actor: appointment_series_cancel_rest(appointment=visit, actor=actor),
    done=lambda count: f"Cancelled the rest of the series of {count} selected visit(s).",
)
