"""One place that decides which rows a user may see.

Every clinical model declares `clinic_path`, the lookup from the model to its Clinic,
and uses `ClinicScopedQuerySet`; the admin and the API scope through `for_user`, so a
new view cannot forget the tenant filter by writing it by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.core.exceptions import ValidationError
from django.db import models

if TYPE_CHECKING:
    from .models import Clinic, User


def clinic_of(user: User) -> Clinic | None:
    """The clinic a staff user works at; None for anonymous users and non-staff."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.clinic if profile is not None else None


def ensure_same_clinic(clinic: Clinic, **objects: object) -> None:
    """Refuse references that cross the tenant boundary, naming the offending field."""
    for field, obj in objects.items():
        if obj is not None and getattr(obj, "clinic_id", None) != clinic.pk:
            raise ValidationError({field: "Not found in this clinic."})


class ClinicScopedQuerySet(models.QuerySet):
    def for_clinic(self, clinic: Clinic) -> Self:
        return self.filter(**{self.model.clinic_path: clinic.pk})

    def for_user(self, user: User) -> Self:
        """Rows of the user's clinic; everything for a superuser (the operator)."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        clinic = clinic_of(user)
        if clinic is None:
            return self.none()
        return self.for_clinic(clinic)
