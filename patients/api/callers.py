"""Who calls an endpoint, as the services take it.

Every endpoint of this API lets in only signed-in users, and the staff endpoints only
staff (practice.api.permissions), so these never refuse a request that reached a view;
they say so to the type checker, and refuse rather than write without an author should
a view ever be opened wider."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.request import Request

from practice.models import StaffMember, User
from practice.tenancy import staff_of


def caller(request: Request) -> User:
    user = request.user
    if not user.is_authenticated:
        raise exceptions.NotAuthenticated
    return user


def staff_caller(request: Request) -> StaffMember:
    staff = staff_of(request.user)
    if staff is None:
        raise exceptions.PermissionDenied
    return staff
