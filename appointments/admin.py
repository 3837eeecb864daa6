"""Appointments in the admin: booking, rescheduling and past visits through the services."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, reverse
from django.utils import timezone

from patients.admin_search import PatientSearchMixin
from patients.models import Patient
from practice.admin_base import ClinicFilter, ClinicScopedAdmin, ServiceForm, service_action
from practice.models import User
from practice.tenancy import staff_of

from . import (
    admin_calendar,
    admin_cancel,
    admin_patient,  # noqa: F401  (registers the patient page's appointment list)
    admin_series,
    services,
)
from .admin_times import beside_start, patient_time
from .models import Appointment
from .selectors import UPCOMING_STATUSES

# What an edit changes without moving the appointment.
_DETAILS = ("kind", "notes", "location", "telehealth_url")


class AppointmentForm(ServiceForm):
    class Meta:
        model = Appointment
        fields = [
            "patient",
            "therapist",
            "starts_at",
            "duration_minutes",
            "kind",
            "location",
            "telehealth_url",
            "notes",
        ]

    def perform(self, data: dict[str, Any]) -> Appointment:
        if self.instance.pk is None:
            return services.appointment_book(
                patient=data["patient"],
                therapist=data["therapist"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                kind=data["kind"],
                notes=data["notes"],
                location=data["location"],
                telehealth_url=data["telehealth_url"],
                actor=self.actor,
            )
        appointment = self.instance
        if set(_DETAILS) & set(self.changed_data):
            appointment = services.appointment_change_details(
                appointment=appointment,
                actor=self.actor,
                # A visit no longer to come shows its notes only: the rest stay as they are.
                **{name: data[name] for name in _DETAILS if name in data},
            )
        if {"starts_at", "duration_minutes", "therapist"} & set(self.changed_data):
            appointment = services.appointment_reschedule(
                appointment=appointment,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                therapist=data["therapist"],
                actor=self.actor,
            )
        return appointment


class PastVisitForm(ServiceForm):
    """A visit that already happened, entered afterwards (Appointments > Record a past
    visit): its outcome and the reason it is entered late."""

    status = forms.ChoiceField(
        label="outcome",
        choices=[(s.value, s.label) for s in services.PAST_VISIT_STATUSES],
        initial=Appointment.Status.ATTENDED,
    )
    late_entry_reason = forms.CharField(
        label="reason for recording a past visit",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this visit was not booked beforehand, e.g. a walk-in.",
    )

    class Meta:
        model = Appointment
        fields = [
            "patient",
            "therapist",
            "starts_at",
            "duration_minutes",
            "kind",
            "status",
            "late_entry_reason",
            "location",
            "telehealth_url",
            "notes",
        ]

    def perform(self, data: dict[str, Any]) -> Appointment:
        return services.appointment_record_past(
            patient=data["patient"],
            therapist=data["therapist"],
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            kind=data["kind"],
            status=data["status"],
            reason=data["late_entry_reason"],
            notes=data["notes"],
            location=data["location"],
            telehealth_url=data["telehealth_url"],
            actor=self.actor,
        )


def _recording_past_visit(request: HttpRequest) -> bool:
    return request.GET.get("past") == "1"


def _status_action(
    status: str, label: str
) -> Callable[[ClinicScopedAdmin, HttpRequest, QuerySet[Any]], None]:
    def set_status(appointment: Appointment, actor: User) -> Appointment:
        return services.appointment_set_status(appointment=appointment, status=status, actor=actor)

    return service_action(
        name=f"mark_{status}",
        description=f"Mark selected as {label.lower()}",
        service=set_status,
        done=lambda count: f"{count} appointment(s) marked {label.lower()}.",
    )


# Set by the confirmation and cancellation services, shown on the change page.
_OUTCOME_FIELDS = ["confirmed_at", "cancelled_at", "cancelled_by_patient", "cancellation_reason"]


@admin.register(Appointment)
class AppointmentAdmin(PatientSearchMixin, ClinicScopedAdmin):
    form = AppointmentForm
    # A link typed without its scheme is a video call's: https (Django 6's default too).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    audit_patient_path = "patient"
    list_display = [
        "starts_at",
        patient_time,
        "patient",
        "therapist",
        "kind",
        "status",
        "duration_minutes",
    ]
    list_filter = ["status", "kind", ClinicFilter, ("starts_at", admin.DateFieldListFilter)]
    list_select_related = ["patient", "therapist__user"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    patient_search_prefix = "patient__"
    date_hierarchy = "starts_at"
    actions = [
        *(
            _status_action(status, label)
            for status, label in Appointment.Status.choices
            if status != Appointment.Status.SCHEDULED
        ),
        admin_series.cancel_rest_action,
    ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None and _recording_past_visit(request):
            kwargs["form"] = PastVisitForm
        kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return [] if _recording_past_visit(request) else ["status"]
        # An appointment stays the patient's it was booked for: another patient's visit
        # is a booking of its own, with its own overlap checks.
        fixed = ["patient", "status", "late_entry_reason", *_OUTCOME_FIELDS, patient_time]
        if obj.status not in UPCOMING_STATUSES:
            # Attended, missed or cancelled, a visit is a record: only its notes change
            # (appointment_change_details), so the page offers nothing else to edit.
            record = [f.name for f in Appointment._meta.fields if f.editable and f.name != "id"]
            return [*fixed, *(f for f in record if f != "notes" and f not in fixed)]
        return fixed

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return beside_start(list(super().get_fields(request, obj)))

    def get_urls(self) -> list[URLPattern]:
        return [
            *admin_calendar.urls(self),
            *admin_series.urls(self),
            *admin_cancel.urls(self),
            *super().get_urls(),
        ]

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "patient" and field is not None and field.queryset is not None:
            # Only a patient in care is booked (the services refuse the others).
            field.queryset = field.queryset.filter(status=Patient.Status.ACTIVE)
        return field

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: Any = None) -> Any:
        response = super().response_add(request, obj, post_url_continue)
        if "_save" in request.POST and response.status_code == HTTPStatus.FOUND:
            # Back to the day's calendar, where the visit just booked now shows.
            day = timezone.localtime(obj.starts_at).date().isoformat()
            response["Location"] = f"{reverse('admin:appointments_appointment_calendar')}?day={day}"
        return response

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        initial.pop("past", None)
        # A calendar slot's time, as the split date-and-time widget can show it.
        initial.pop("starts_at", None)
        initial.update(admin_calendar.slot_initial(request))
        staff = staff_of(request.user)
        if staff is not None and staff.is_clinician:
            initial.setdefault("therapist", staff.pk)
        return initial
