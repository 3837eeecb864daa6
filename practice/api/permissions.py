"""Who may call what. Staff are scoped to their clinic, patients to themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import CharField, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.permissions import BasePermission, DjangoModelPermissions
from rest_framework.request import Request
from rest_framework.views import APIView

from practice.models import StaffMember
from practice.tenancy import staff_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practice.models import User


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


def staff_with_clinic(
    user: User | AnonymousUser, *, with_permissions: bool = False
) -> StaffMember | None:
    """`staff_of(user)`, its clinic read in the same query: cached on the user as
    `user.staff_profile` caches itself, so every later `staff_of` and `clinic_of` of the
    request (the clinic scope, the services' author) asks the database nothing more.

    `with_permissions` also loads the user's permissions as `load_permissions` does, on
    PostgreSQL in that same query (two arrays), elsewhere in a query of their own."""
    if not user.is_authenticated:
        return None
    related = StaffMember.user.field.remote_field  # the reverse side, user.staff_profile
    if not related.is_cached(user):
        staffs = StaffMember.objects.select_related("clinic").filter(user=user)
        folded = with_permissions and _permissions_folded(user)
        if folded:
            staffs = staffs.annotate(
                own_permissions=_permission_names(user=user.pk),
                group_permissions=_permission_names(group__user=user.pk),
            )
        staff = staffs.first()
        related.set_cached_value(user, staff)
        if staff is not None:
            StaffMember.user.field.set_cached_value(staff, user)
            if folded:
                found = vars(staff)
                _cache_permissions(
                    user, own=set(found["own_permissions"]), group=set(found["group_permissions"])
                )
    if with_permissions:
        load_permissions(user)
    return staff_of(user)


def _permission_names(**lookups: Any) -> ArraySubquery:
    """The names ("app_label.codename") of the permissions matching `lookups`."""
    names = Concat("content_type__app_label", Value("."), "codename", output_field=CharField())
    return ArraySubquery(
        Permission.objects.filter(**lookups)
        .order_by()
        .annotate(full_name=names)
        .values("full_name")
    )


def _permissions_folded(user: User | AnonymousUser) -> bool:
    return connection.vendor == "postgresql" and _loads_permissions(user)


def _loads_permissions(user: User | AnonymousUser) -> bool:
    """Whether `load_permissions` would read them (see there)."""
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and not hasattr(user, "_perm_cache")
        and list(settings.AUTHENTICATION_BACKENDS) == [_MODEL_BACKEND]
    )


def _cache_permissions(user: User | AnonymousUser, *, own: set[str], group: set[str]) -> None:
    caches = {"_user_perm_cache": own, "_group_perm_cache": group, "_perm_cache": own | group}
    for name, perms in caches.items():
        setattr(user, name, perms)


_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def load_permissions(user: User | AnonymousUser) -> None:
    """Read the user's permissions, their own and their groups', in one query instead of
    ModelBackend's two, into the caches ModelBackend keeps on the user for the request
    (`_user_perm_cache`, `_group_perm_cache`, `_perm_cache`), so `has_perm` then asks the
    database nothing. Left to ModelBackend itself when another backend is configured,
    and for superusers and inactive users, which it treats apart."""
    if not _loads_permissions(user):
        return
    names = ("source", "content_type__app_label", "codename")
    own = Permission.objects.filter(user=user.pk).annotate(source=Value("user"))
    grouped = Permission.objects.filter(group__user=user.pk).annotate(source=Value("group"))
    found: dict[str, set[str]] = {"user": set(), "group": set()}
    rows = own.values_list(*names).order_by().union(grouped.values_list(*names).order_by())
    for source, app_label, codename in rows:
        found[source].add(f"{app_label}.{codename}")
    _cache_permissions(user, own=found["user"], group=found["group"])


def patient_of(user: User | AnonymousUser) -> Any:
    """The patient profile of a signed-in patient, or None. Typed Any: it is a
    patients.Patient, an app above this one that it may not import."""
    return getattr(user, "patient_profile", None) if user.is_authenticated else None


class IsStaff(BasePermission):
    message = gettext_lazy("Only clinic staff can use this endpoint.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return staff_with_clinic(request.user, with_permissions=True) is not None


class IsPatient(BasePermission):
    message = gettext_lazy("Only patients can use this endpoint.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        patient = patient_of(request.user)
        return patient is not None and patient.status == patient.Status.ACTIVE


class IsPatientWithLogin(BasePermission):
    """A patient whose care here has ended (discharged) keeps the login until archived:
    they may still read their own record, their contacts and inbox, and ask to close the
    account; what changes their care (`IsPatient`) needs them in care."""

    message = gettext_lazy("Only patients can use this endpoint.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        patient = patient_of(request.user)
        return patient is not None and patient.status != patient.Status.ARCHIVED


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
        if staff_with_clinic(request.user, with_permissions=True) is None:
            return False
        named = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if named is not None:
            return request.user.has_perms([named] if isinstance(named, str) else named)
        return super().has_permission(request, view)
