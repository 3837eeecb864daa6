"""Inline rows written by a service, as `ServiceForm` writes the page's own form.

Django's inlines save their rows with `Model.save()`, which would bypass the rules the
visits services keep (a signed note's procedures, the units a payer's rule gives). A
`ServiceFormSet` calls its service while the page validates, inside the savepoint that
`ClinicScopedAdmin.changeform_view` opens: a refusal is shown as the inline's error and
the whole page's writes are rolled back with it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from practice.models import StaffMember
from practice.tenancy import staff_of

NOT_A_CLINICIAN = "Only a clinician of the clinic records this."


def clinician_of(request: HttpRequest) -> StaffMember:
    """The signed-in staff member, whom the services check; an operator who works at
    no clinic is refused as a form error, not a failure."""
    staff = staff_of(request.user)
    if staff is None:
        raise ValidationError(NOT_A_CLINICIAN)
    return staff


def form_staff(form: Any) -> StaffMember:
    """The staff member a service form acts as (`ServiceForm.staff`), whom the services
    check; none (an operator at no clinic) is a form error."""
    staff: StaffMember | None = form.staff
    if staff is None:
        raise ValidationError(NOT_A_CLINICIAN)
    return staff


def with_request(formset: type[Any], request: HttpRequest) -> type[Any]:
    """The inline's formset class for this request, whose services it calls."""
    return type(formset.__name__, (formset,), {"request": request})


class ServiceFormSet(BaseInlineFormSet):
    """Subclasses implement `perform`, given the rows filled in and kept."""

    request: HttpRequest

    def perform(self, staff: StaffMember, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def filled_rows(self) -> list[dict[str, Any]]:
        return [
            {**form.cleaned_data, "_changed": form.changed_data, "_instance": form.instance}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.instance.pk is None or not self.has_changed():
            return
        try:
            with transaction.atomic():
                self.perform(clinician_of(self.request), self.filled_rows())
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        except PermissionDenied as exc:
            raise ValidationError(str(exc) or NOT_A_CLINICIAN) from None

    def save(self, commit: bool = True) -> list[Any]:
        # The service wrote the rows in clean(); the admin's change message reads these.
        self.new_objects: list[Any] = []
        self.changed_objects: list[Any] = []
        self.deleted_objects: list[Any] = []
        return []
