"""The "Cancel visit" page of an upcoming visit: asks for the reason, then cancels it
through `appointment_cancel`. A visit no longer to come shows why it cannot be
cancelled. The page shows a patient's visit, so each answer is in the access log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from core.access_log import CHANGE, VIEW
from core.localtime import moment_text
from practice.admin_base import add_service_errors, admin_user
from practice.admin_returns import came_from

from .cancel import MAX_REASON_LENGTH, appointment_cancel, cancel_refusal
from .models import Appointment

if TYPE_CHECKING:
    from practice.admin_base import ClinicScopedAdmin


class CancelForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON_LENGTH,
        help_text="Why the visit is cancelled, e.g. the therapist is ill or the patient called.",
    )


def cancel_view(
    model_admin: ClinicScopedAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    # Another clinic's visit is not found (ClinicScopedMixin.get_object).
    appointment: Appointment = model_admin.get_object(request, unquote(object_id))
    if not model_admin.has_change_permission(request, appointment):
        raise PermissionDenied("Your role cannot cancel appointments.")
    change_url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    refusal = cancel_refusal(appointment)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            appointment_cancel(
                appointment=appointment,
                reason=form.cleaned_data["reason"],
                actor=admin_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            model_admin.log_patient_access(request, [appointment.patient_id], CHANGE)
            messages.success(
                request,
                f"Cancelled {appointment.patient}'s {appointment.get_kind_display().lower()} "
                f"of {moment_text(appointment.starts_at)}.",
            )
            back = came_from(request) or reverse("admin:appointments_appointment_changelist")
            return HttpResponseRedirect(back)
    model_admin.log_patient_access(request, [appointment.patient_id], VIEW)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Cancel visit",
        "appointment": appointment,
        "when": moment_text(appointment.starts_at),
        "refusal": refusal,
        "form": form,
        "change_url": change_url,
        "back_url": came_from(request) or change_url,
    }
    return TemplateResponse(request, "admin/appointments/cancel.html", context)


def urls(model_admin: ClinicScopedAdmin) -> list[URLPattern]:
    def view(request: HttpRequest, object_id: str) -> HttpResponse:
        return cancel_view(model_admin, request, object_id)

    return [
        path(
            "<path:object_id>/cancel/",
            model_admin.admin_site.admin_view(view),
            name="appointments_appointment_cancel",
        )
    ]
