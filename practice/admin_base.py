"""Admin building blocks shared by every app.

- `ClinicScopedAdmin` lists, opens and offers in drop-downs only the user's clinic's rows
  (another clinic's object answers 404, as in the API), and for the staff keys in
  `CLINICIAN_KEYS` only its clinicians. Each page of a patient record writes the access
  log (`audit_patient_path`, see `ClinicScopedMixin`).
- `ServiceForm` makes an admin form write through a service while it validates, in a
  savepoint: a rule the service refuses is a form error and leaves nothing half-written.
- `service_action` makes an admin action that runs a service on each selected row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from core.access_log import CHANGE, VIEW, record_patient_access
from core.api.fields import MAX_ID, as_id
from core.forms import STORABLE_JSON_OVERRIDES
from practice.tenancy import ClinicalRecord, staff_of, visible_to

from .admin_clinicians import CLINICIAN_KEYS, clinicians_of, keeping_current_staff
from .admin_filters import offered_value
from .admin_timezone import ClinicTimeMixin
from .models import StaffMember, User

if TYPE_CHECKING:
    from django.contrib.admin.filters import ListFilter

    # What the mixin below extends: typed as the ModelAdmin it is always mixed into.
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object


def admin_user(request: HttpRequest) -> User:
    """The user of an admin page: the admin site lets no one in who is not signed in."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


def given_id(value: object) -> int | None:
    """The id a form's data or a query string names (`as_id`), or None when it can name no
    row: a lookup with an id beyond PostgreSQL's bigint would fail with a 500."""
    pk = as_id(value)
    return pk if pk is not None and 0 < pk <= MAX_ID else None


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
        return staff_of(self.request.user)

    @property
    def actor(self) -> User:
        return admin_user(self.request)


class CalendarEndsChangeList(ChangeList):
    """A date-hierarchy period in year 9999 (a bad date stored before the plausibility
    checks, a hand-made URL) has no end for Django: refused as a bad lookup, not a 500."""

    def get_filters(
        self, request: HttpRequest
    ) -> tuple[list[ListFilter], bool, dict[str, bool | str], bool, bool]:
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc


# Restoring an old version would write past the services (a discharged patient active
# again, a cleared hold set back): a version is for reading.
_NO_REVERT = "An earlier version cannot be restored here; make the change on the record's own page."


def _has_simple_history(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def _shown(response: HttpResponse) -> bool:
    # A refusal or a failure (403, 404, 5xx) showed no record (most never reach here).
    return response.status_code < HTTPStatus.BAD_REQUEST


class ClinicScopedMixin(ClinicTimeMixin, _ModelAdminBase):
    """Scopes the changelist, object URLs and foreign-key choices to the user's clinic,
    and logs each page showing a patient's record in the access log.

    `audit_patient_path` is the lookup from a row to its patient ("pk" on the patient admin,
    "patient" on most, "prescription__patient" further away, None if no patient record). A
    change or history page logs its object's patient (a saved form as a change), a
    changelist every patient shown in one insert; custom views call `log_patient_access`.
    """

    audit_patient_path: str | None = None
    formfield_overrides = STORABLE_JSON_OVERRIDES

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return visible_to(super().get_queryset(request), request.user)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return CalendarEndsChangeList

    def response_action(
        self, request: HttpRequest, queryset: QuerySet[Any], *args: Any, **kwargs: Any
    ) -> HttpResponse | None:
        # Django filters the selection by the ids as posted, and an id that is not one
        # (a tampered form) would fail there with a 500.
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                self.model._meta.pk.to_python(value)
        except ValidationError:
            self.message_user(
                request, "The selection is not valid; select the rows again.", messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, *args, **kwargs)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("Not found.")
        return obj

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        related = db_field.remote_field.model
        if related is StaffMember and db_field.name in CLINICIAN_KEYS:
            kwargs["queryset"] = clinicians_of(request)
        elif hasattr(related, "clinic_path"):
            kwargs["queryset"] = visible_to(related._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def log_patient_access(
        self, request: HttpRequest, patients: Iterable[Any], action: str
    ) -> None:
        """Log patients (or their ids) a page of this admin showed or changed."""
        if self.audit_patient_path is not None:
            record_patient_access(request=request, patients=patients, action=action)

    def patient_ids_of(self, rows: Iterable[models.Model]) -> list[int | None]:
        """The patient id of each row, read from the rows themselves (the patient key is
        a column of theirs) or, for a patient further away, in one query for them all."""
        path = self.audit_patient_path
        rows = list(rows)
        if path is None or not rows:
            return []
        if path == "pk":
            return [row.pk for row in rows]
        field = self.model._meta.get_field(path) if LOOKUP_SEP not in path else None
        if field is not None and field.many_to_one:
            return [getattr(row, field.attname) for row in rows]
        found = dict(
            self.model._default_manager.filter(pk__in=[row.pk for row in rows]).values_list(
                "pk", path
            )
        )
        return [found.get(row.pk) for row in rows]

    def _object_patient_id(self, object_id: str) -> int | None:
        try:
            return (
                self.model._default_manager.filter(pk=unquote(object_id))
                .values_list(self.audit_patient_path, flat=True)
                .first()
            )
        except (ValueError, TypeError, ValidationError):
            return None

    def log_object_access(self, request: HttpRequest, object_id: str, action: str) -> None:
        if self.audit_patient_path is not None:
            self.log_patient_access(request, [self._object_patient_id(object_id)], action)

    # change_view runs outside changeform_view's transaction, so a form re-shown with
    # errors (whose writes are rolled back) still logs that the record was shown.
    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if _shown(response):
            saved = request.method == "POST" and response.status_code == HTTPStatus.FOUND
            self.log_object_access(request, object_id, CHANGE if saved else VIEW)
        return response

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        self.log_patient_access(request, self.patient_ids_of([obj]), CHANGE)
        return entry

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        if _shown(response):
            self.log_object_access(request, object_id, VIEW)
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if self.audit_patient_path is not None and changelist is not None and _shown(response):
            # The page's own rows: evaluating them here fills the queryset's cache, which
            # the template then reads, so the log adds no query per row.
            rows = changelist.result_list
            self.log_patient_access(request, self.patient_ids_of(rows), VIEW)
        return response


class ClinicScopedAdmin(ClinicScopedMixin, SimpleHistoryAdmin):
    """Clinic-scoped admin for clinical models, with their change history."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if (
                request.method == "POST"
                and response.status_code == HTTPStatus.OK
                and IS_POPUP_VAR not in request.POST
            ):
                # Errors shown (form or inline): keep nothing the service already wrote.
                transaction.set_rollback(True)
        return response

    # django-simple-history looks objects up unscoped (and falls back to old versions),
    # so both history pages check the live object against the clinic first.
    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        if not _has_simple_history(self.model):
            # An untracked model (the clinic, a closure record) has only Django's log of
            # admin changes, which django-simple-history's page cannot read.
            response = admin.ModelAdmin.history_view(self, request, object_id, extra_context)
            if _shown(response):
                self.log_object_access(request, object_id, VIEW)
            return response
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        if not _has_simple_history(self.model):
            raise Http404("This record keeps no versions.")
        if request.method == "POST":
            raise PermissionDenied(_NO_REVERT)
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if _shown(response):
            self.log_object_access(request, object_id, VIEW)  # a POST was refused above
        return response

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return True  # see _NO_REVERT

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        if (
            kwargs.get("fields", ()) is None
            and change
            and not self.has_change_permission(request, obj)
        ):
            # A view-only page excludes the listed fields, and "all" (None) cannot be.
            kwargs["fields"] = list((kwargs.get("form") or self.form).base_fields)
        form = keeping_current_staff(super().get_form(request, obj, change=change, **kwargs), obj)
        if issubclass(form, ServiceForm):
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

    def run_service(self, request: HttpRequest, label: str, call: Callable[[], object]) -> bool:
        """Run a service from an admin action, reporting a refusal as a message."""
        try:
            with transaction.atomic():
                call()
        except ValidationError as exc:
            messages.error(request, f"{label}: {' '.join(exc.messages)}")
            return False
        return True


def service_action(
    *,
    name: str,
    description: str,
    service: Callable[[Any, User], object],
    done: Callable[[int], str],
) -> Callable[[ClinicScopedAdmin, HttpRequest, QuerySet[Any]], None]:
    """An admin action (needing the change permission) that calls `service(row, user)`
    for each selected row, each in its own savepoint: a row the service refuses is
    reported by name and the others still go through. `done(count)` is the closing
    message, given the number of rows that went through."""

    @admin.action(description=description, permissions=["change"])
    def action(
        modeladmin: ClinicScopedAdmin, request: HttpRequest, queryset: QuerySet[Any]
    ) -> None:
        actor = admin_user(request)
        count = sum(
            modeladmin.run_service(request, str(row), partial(service, row, actor))
            for row in queryset
        )
        modeladmin.message_user(request, done(count))

    action.__name__ = name
    return action


class ReadOnlyInline(admin.TabularInline):
    """Related clinical records shown on a parent page; each has its own page to edit."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ClinicFilter(admin.SimpleListFilter):
    """A staff filter that lists only the user's clinic's clinicians."""

    title = "therapist"
    parameter_name = "therapist"
    field_path = "therapist"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [(str(s.pk), str(s)) for s in clinicians_of(request)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = offered_value(self)
        return queryset.filter(**{self.field_path: value}) if value else queryset
