"""Writes of the practice that carry a rule: clinics and staff accounts."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.records import record_save

from .models import USERNAME_TAKEN, Clinic, Role, StaffMember, User
from .roles import group_name


def user_ensure_username_free(*, username: str) -> None:
    """Refuse a username another account holds in any case, compared as the unique index
    compares (LOWER): `__iexact` compares UPPER, which lets the Kelvin sign past."""
    if User.objects.with_username(username).exists():
        raise ValidationError({"username": USERNAME_TAKEN})


def user_insert(*, user: User, exclude: Iterable[str] = ()) -> User:
    """Validate and insert a new account. A clash on the username is refused on
    `username` with one wording, also when two sign-ups race for the name: the check
    answers most clashes, the unique index the ones committed after it, and the
    caller's transaction goes on to roll back cleanly."""
    user_ensure_username_free(username=user.username)
    # full_clean's own unique checks are left out: a name committed between the check
    # above and the insert would come back from them off the username field.
    user.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # The index refused a name another sign-up committed while this one ran; the
        # savepoint keeps the transaction usable to look again (a new snapshot per
        # statement shows that account now). Any other refusal goes on up.
        if not User.objects.with_username(user.username).exists():
            raise
        raise ValidationError({"username": USERNAME_TAKEN}) from None
    return user


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
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email, is_staff=True
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user_insert(user=user)
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
