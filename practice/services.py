"""Writes of the practice that carry a rule: staff accounts here, appointments in
practice.appointments (re-exported with them, so callers import every write from here).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from .appointments import PAST_VISIT_STATUSES as PAST_VISIT_STATUSES
from .appointments import appointment_book as appointment_book
from .appointments import appointment_change_details as appointment_change_details
from .appointments import appointment_record_past as appointment_record_past
from .appointments import appointment_reschedule as appointment_reschedule
from .appointments import appointment_set_status as appointment_set_status
from .appointments import appointments_cancel_upcoming as appointments_cancel_upcoming
from .models import Clinic, Role, StaffMember, User
from .records import record_save
from .roles import group_name
from .tenancy import ensure_same_clinic as ensure_same_clinic


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
