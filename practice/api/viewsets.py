"""Base views: the clinic scope is applied here once, so no endpoint filters by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework import viewsets

from practice.tenancy import visible_to

from .permissions import IsPatient, RolePermissions, patient_of

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    # What the mixins below extend: typed as the generic view they are always mixed into.
    _ViewBase = GenericAPIView[Any]
else:
    _ViewBase = object

_M = TypeVar("_M", bound=models.Model)


class ClinicScopedMixin(_ViewBase):
    """Staff endpoints: rows of the caller's clinic only; others answer 404."""

    permission_classes = [RolePermissions]

    def get_queryset(self) -> QuerySet[Any]:
        return visible_to(super().get_queryset(), self.request.user)


class StaffReadOnlyViewSet(ClinicScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class StaffViewSet(ClinicScopedMixin, viewsets.GenericViewSet):
    pass


class PatientSelfMixin(_ViewBase):
    """Patient endpoints: the caller's own records only."""

    permission_classes = [IsPatient]

    @property
    def patient(self) -> Any:
        """The caller's patients.Patient (see `patient_of`)."""
        return patient_of(self.request.user)


def clinic_choices(model: type[_M]) -> Callable[[HttpRequest | None], QuerySet[_M]]:
    """For django-filter's `queryset=`: the caller's clinic's rows of `model`, so a
    filter never accepts (or lists) another clinic's ids."""

    def choices(request: HttpRequest | None) -> QuerySet[_M]:
        if request is None:
            return model._default_manager.none()
        return visible_to(model._default_manager.all(), request.user)

    return choices
