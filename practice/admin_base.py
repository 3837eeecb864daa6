"""Admin building blocks shared by every app.

- `ClinicScopedAdmin` lists, opens and offers in drop-downs only the user's clinic's
  rows; an object of another clinic answers 404, as in the API.
- `ServiceForm` makes an admin form write through a service: the service runs while
  the form validates, inside a savepoint, so a rule it refuses becomes a form error
  and leaves nothing half-written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import StaffMember
from .records import ClinicalRecord
from .tenancy import clinic_of


def staff_of(request: HttpRequest) -> StaffMember | None:
    return getattr(request.user, "staff_profile", None)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, exc.messages)


class ServiceForm(forms.ModelForm):
    """A model form whose write is a service call; subclasses implement `perform`."""

    request: HttpRequest

    def perform(self, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def _post_clean(self) -> None:
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.instance = self.perform(self.cleaned_data)
        except ValidationError as exc:
            add_service_errors(self, exc)

    @property
    def staff(self) -> StaffMember | None:
        return staff_of(self.request)


class CalendarEndsChangeList(ChangeList):
    """Django ends a date-hierarchy period by adding a day, a month or a year to its start,
    which does not exist for the last ones of the calendar (9999): a bad date stored
    before the plausibility checks, or a hand-made URL, would answer 500. Such a period
    is refused like any other lookup the list cannot make (the list again, flagged)."""

    def get_filters(self, request: HttpRequest):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc


class ClinicScopedMixin:
    """Scopes the changelist, object URLs and foreign-key choices to the user's clinic."""

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).for_user(request.user)

    def get_changelist(self, request: HttpRequest, **kwargs):
        return CalendarEndsChangeList

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("Not found.")
        return obj

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        related = db_field.remote_field.model
        if hasattr(related, "clinic_path"):
            kwargs["queryset"] = related._default_manager.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ClinicScopedAdmin(ClinicScopedMixin, SimpleHistoryAdmin):
    """Clinic-scoped admin for clinical models, with their change history."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if (
                request.method == "POST"
                and response.status_code == 200
                and IS_POPUP_VAR not in request.POST
            ):
                # The page came back with errors (in the form or an inline), so keep
                # nothing the form's service may already have written.
                transaction.set_rollback(True)
        return response

    # django-simple-history looks objects up unscoped (and falls back to old versions),
    # so both history pages check the live object against the clinic first.
    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def save_model(self, request, obj, form, change) -> None:
        if isinstance(form, ServiceForm):
            return  # the service already wrote it while the form validated
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if issubclass(self.model, ClinicalRecord):
            return False  # clinical records are archived or closed, never deleted
        return super().has_delete_permission(request, obj)

    def run_service(self, request: HttpRequest, label: str, call) -> bool:
        """Run a service from an admin action, reporting a refusal as a message."""
        try:
            with transaction.atomic():
                call()
        except ValidationError as exc:
            messages.error(request, f"{label}: {' '.join(exc.messages)}")
            return False
        return True


class ReadOnlyInline(admin.TabularInline):
    """Related clinical records shown on a parent page; each has its own page to edit."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ClinicFilter(admin.SimpleListFilter):
    """A staff filter that lists only the user's clinic's staff."""

    title = "therapist"
    parameter_name = "therapist"
    field_path = "therapist"

    def lookups(self, request, model_admin):
        clinic = clinic_of(request.user)
        staff = StaffMember.objects.select_related("user")
        staff = staff.for_clinic(clinic) if clinic else staff.for_user(request.user)
        return [(s.pk, str(s)) for s in staff if s.is_clinician]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field_path: self.value()})
        return queryset
