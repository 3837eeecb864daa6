"""Who may call what. Staff are scoped to their clinic, patients to themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import exceptions
from rest_framework.permissions import BasePermission, DjangoModelPermissions
from rest_framework.request import Request
from rest_framework.views import APIView

from practice.tenancy import staff_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practice.models import StaffMember, User


def caller(request: Request) -> User:
    """The signed-in user calling; every endpoint lets in only signed-in users, so this
    refuses only should a view ever be opened wider, rather than write without an author."""
    user = request.user
    if not user.is_authenticated:
        raise exceptions.NotAuthenticated
    return user


def staff_caller(request: Request) -> StaffMember:
    """The staff member calling, as the services take an author; `IsStaff` has already
    refused anyone else, so this refuses only should a view ever be opened wider."""
    staff = staff_of(request.user)
    if staff is None:
        raise exceptions.PermissionDenied
    return staff


def patient_of(user: User | AnonymousUser) -> Any:
    """The patient profile of a signed-in patient, or None. Typed Any: it is a
    patients.Patient, an app above this one that it may not import."""
    return getattr(user, "patient_profile", None) if user.is_authenticated else None


class IsStaff(BasePermission):
    message = "Only clinic staff can use this endpoint."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return staff_of(request.user) is not None


class IsPatient(BasePermission):
    message = "Only patients can use this endpoint."

    def has_permission(self, request: Request, view: APIView) -> bool:
        patient = patient_of(request.user)
        return patient is not None and patient.status == patient.Status.ACTIVE


class RolePermissions(DjangoModelPermissions):
    """The role's Django permissions (groups in practice/roles.py), reads included.

    A view may name the permission an action needs in `action_permissions`, e.g.
    {"prescribe": "programs.add_prescription"}; other actions map by HTTP method.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request: Request, view: APIView) -> bool:
        if staff_of(request.user) is None:
            return False
        named = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if named is not None:
            return request.user.has_perms([named] if isinstance(named, str) else named)
        return super().has_permission(request, view)
