"""What the clinical visits views share: the permission each method needs, and the
patient a /patients/{patient_id}/... route names, resolved within the caller's clinic."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api.routing import RoutedMethodsOnly, path_id
from patients.models import Patient
from practice.api.permissions import RolePermissions, staff_with_clinic


class MethodPermissions(RolePermissions):
    """The role's permission for each method as the view names it in
    `method_permissions` (signing a note is a POST that changes it, not one that adds
    one); methods it does not name map as in RolePermissions."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if staff_with_clinic(request.user, with_permissions=True) is None:
            return False
        method = "GET" if request.method == "HEAD" else request.method
        named = getattr(view, "method_permissions", {}).get(method)
        if named is not None:
            return request.user.has_perm(named)
        return super().has_permission(request, view)


class ClinicalView(RoutedMethodsOnly, GenericAPIView[Any]):
    permission_classes = [MethodPermissions]
    # Nothing here is filtered or ordered by the query string.
    filter_backends: list[Any] = []
    method_permissions: dict[str, str] = {}


class PatientScopedView(ClinicalView):
    """A route under /patients/{patient_id}/: another clinic's patient (or none) is a
    404. The access log reads the patient from the same URL argument."""

    def get_patient(self) -> Patient:
        found: Patient | None = self.__dict__.get("_patient")
        if found is None:
            found = self.__dict__["_patient"] = get_object_or_404(
                Patient.objects.for_user(self.request.user).select_related("clinic"),
                pk=path_id(self.kwargs["patient_id"]),
            )
        return found
