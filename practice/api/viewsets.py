"""Base views: the clinic scope is applied here once, so no endpoint filters by hand."""

from __future__ import annotations

from rest_framework import viewsets

from .permissions import IsPatient, RolePermissions, patient_of


class ClinicScopedMixin:
    """Staff endpoints: rows of the caller's clinic only; others answer 404."""

    permission_classes = [RolePermissions]

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)


class StaffReadOnlyViewSet(ClinicScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class StaffViewSet(ClinicScopedMixin, viewsets.GenericViewSet):
    pass


class PatientSelfMixin:
    """Patient endpoints: the caller's own records only."""

    permission_classes = [IsPatient]

    @property
    def patient(self):
        return patient_of(self.request.user)


def clinic_choices(model):
    """For django-filter's `queryset=`: the caller's clinic's rows of `model`, so a
    filter never accepts (or lists) another clinic's ids."""

    def choices(request):
        if request is None:
            return model.objects.none()
        return model.objects.for_user(request.user)

    return choices
