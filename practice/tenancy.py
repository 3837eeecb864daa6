"""One place that decides which rows a user may see.

Every clinical model declares `clinic_path`, the lookup from the model to its Clinic,
and uses `ClinicScopedQuerySet`; the admin and the API scope through `for_user`, so a
new view cannot forget the tenant filter by writing it by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn, Self, TypeVar

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models

from core.records import HardDeleteRefused

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import Clinic, StaffMember, User

_M = TypeVar("_M", bound=models.Model)


def staff_of(user: User | AnonymousUser) -> StaffMember | None:
    """The staff profile of a signed-in user; None for anonymous users, patients and an
    operator who works at no clinic."""
    if not user.is_authenticated:
        return None
    return getattr(user, "staff_profile", None)


def clinic_of(user: User | AnonymousUser) -> Clinic | None:
    """The clinic a staff user works at; None for anonymous users and non-staff."""
    staff = staff_of(user)
    return staff.clinic if staff is not None else None


def ensure_same_clinic(clinic: Clinic, **objects: object) -> None:
    """Refuse references that cross the tenant boundary, naming the offending field."""
    for field, obj in objects.items():
        if obj is not None and getattr(obj, "clinic_id", None) != clinic.pk:
            raise ValidationError({field: "Not found in this clinic."})


def clinic_path(model: type[models.Model]) -> str:
    """The lookup from `model` to its Clinic, which every clinic-scoped model declares."""
    path = getattr(model, "clinic_path", None)
    if not isinstance(path, str):
        raise ImproperlyConfigured(f"{model.__name__} declares no clinic_path.")
    return path


class ClinicScopedQuerySet(models.QuerySet):
    def for_clinic(self, clinic: Clinic) -> Self:
        return self.filter(**{clinic_path(self.model): clinic.pk})

    def for_user(self, user: User | AnonymousUser) -> Self:
        """Rows of the user's clinic; everything for a superuser (the operator)."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        clinic = clinic_of(user)
        if clinic is None:
            return self.none()
        return self.for_clinic(clinic)


def visible_to(queryset: models.QuerySet[_M], user: User | AnonymousUser) -> models.QuerySet[_M]:
    """The rows of `queryset` that `user` may see; `queryset` is of a clinic-scoped model."""
    if not isinstance(queryset, ClinicScopedQuerySet):
        raise ImproperlyConfigured(f"{queryset.model.__name__} rows are not clinic-scoped.")
    return queryset.for_user(user)


class ClinicalRecordQuerySet(ClinicScopedQuerySet):
    def delete(self) -> NoReturn:
        raise HardDeleteRefused(f"{self.model._meta.verbose_name_plural} are never deleted.")


class ClinicalRecord(models.Model):
    objects = ClinicalRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise HardDeleteRefused(f"A {self._meta.verbose_name} is never deleted.")
