"""Which staff the admin offers where a form names who treats, diagnoses, prescribes or
screens: the clinic's clinicians, and on a change page also whoever is named already (a
therapist who has since become the front desk stays until someone picks another, so
saving the page for another reason does not fail)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from .models import CLINICIAN_ROLES, StaffMember
from .tenancy import visible_to

CLINICIAN_KEYS = ("therapist", "primary_therapist", "diagnosed_by", "prescribed_by", "screened_by")


def clinicians_of(request: HttpRequest) -> QuerySet[StaffMember]:
    staff = StaffMember.objects.filter(role__in=CLINICIAN_ROLES).select_related("user")
    return visible_to(staff, request.user)  # is_clinician, as the services require


def keeping_current_staff(form: type[Any], obj: Any) -> type[Any]:
    """`form`, whose clinician fields also accept the staff `obj` names now."""
    ids = {key: getattr(obj, f"{key}_id", None) for key in CLINICIAN_KEYS}
    named: dict[str, int] = {key: pk for key, pk in ids.items() if isinstance(pk, int)}
    if obj is None or not named:
        return form

    class KeepingCurrentStaff(form):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for key, pk in named.items():
                field = self.fields.get(key)
                if field is not None and hasattr(field, "queryset"):
                    kept = StaffMember.objects.filter(pk=pk)
                    field.queryset = (field.queryset | kept).distinct()

    return KeepingCurrentStaff
