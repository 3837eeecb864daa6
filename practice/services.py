"""Writes of the practice that carry a rule: clinics and staff accounts."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from core.records import record_save

from .models import Clinic, Role, StaffMember, User
from .roles import group_name


@transaction.atomic
def staff_member_create(
    *,
    clinic: Clinic,
    username: str,
    password: str | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    credentials: str = "",
    licence_number: str = "",
) -> StaffMember:
    if User.objects.with_username(username).exists():
        raise ValidationError({"username": f"The username {username} is taken."})
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email, is_staff=True
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    staff = StaffMember(
        user=user,
        clinic=clinic,
        role=role,
        credentials=credentials,
        licence_number=licence_number,
    )
    record_save(staff)
    _sync_role_group(staff)
    return staff


@transaction.atomic
def staff_member_change_role(*, staff_member: StaffMember, role: str, actor: User) -> StaffMember:
    staff_member.role = role
    record_save(staff_member, actor=actor)
    _sync_role_group(staff_member)
    return staff_member


def _sync_role_group(staff: StaffMember) -> None:
    role_groups = Group.objects.filter(name__in=[label for _, label in Role.choices])
    staff.user.groups.remove(*role_groups)
    group, _ = Group.objects.get_or_create(name=group_name(staff.role))
    staff.user.groups.add(group)
