"""The patients' requests to close their app accounts: a list to work through (filter
by status) and a page to confirm one. Confirming ends the login and the reminders
(patients.account_closure); the front desk may read requests, not decide them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.access_log import CHANGE, VIEW
from practice.admin_base import ClinicScopedAdmin, add_service_errors, admin_user

from . import account_closure
from .models import AccountClosureRequest

CONFIRM_PERMISSION = "patients.change_accountclosurerequest"


class ConfirmClosureForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the request, e.g. how the patient's identity was checked.",
    )


@admin.register(AccountClosureRequest)
class AccountClosureRequestAdmin(ClinicScopedAdmin):
    """Read only: the patient asks in the app; staff confirm on the request's page."""

    audit_patient_path = "patient"
    list_display = ["patient", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    list_select_related = ["patient", "decided_by__user"]
    fields = readonly_fields = (
        "patient",
        "status",
        "requested_at",
        "reason",
        "decided_by",
        "decided_at",
        "note",
        "decision",
    )

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # A role that cannot confirm is not offered the button that would refuse it.
        fields = super().get_fields(request, obj)
        if request.user.has_perm(CONFIRM_PERMISSION):
            return list(fields)
        return [name for name in fields if name != "decision"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decided through the confirm page, never edited

    @admin.display(description="decision")
    def decision(self, obj: AccountClosureRequest) -> str:
        if not obj.is_open:
            return f"{obj.get_status_display()}: nothing to decide."
        return format_html(
            '<a class="button" href="{}">Confirm the closure…</a>',
            reverse("admin:patients_accountclosurerequest_confirm", args=[obj.pk]),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="patients_accountclosurerequest_confirm",
            ),
            *super().get_urls(),
        ]

    def confirm_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        closure: AccountClosureRequest = self.get_object(request, object_id)  # other clinic: 404
        if not request.user.has_perm(CONFIRM_PERMISSION):
            raise PermissionDenied("Your role cannot close a patient's account.")
        back = reverse("admin:patients_accountclosurerequest_change", args=[closure.pk])
        form = ConfirmClosureForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    account_closure.account_closure_confirm(
                        request=closure, by=admin_user(request), note=form.cleaned_data["note"]
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.log_patient_access(request, [closure.patient_id], CHANGE)
                messages.success(
                    request,
                    f"The account of {closure.patient.full_name} is closed: the app's login "
                    "has ended and no reminders go out. The records are kept.",
                )
                return HttpResponseRedirect(back)
        self.log_patient_access(request, [closure.patient_id], VIEW)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Close the account of {closure.patient.full_name}",
            "closure": closure,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/patients/account_closure_confirm.html", context)
