"""Clinics, staff and logins."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from practice import services as practice_services
from practice.models import Clinic, Role, StaffMember, User

PASSWORD = "correct-horse-battery-staple"

_users = itertools.count(1)


class ClinicFactory(factory.django.DjangoModelFactory[Clinic]):
    class Meta:
        model = Clinic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    time_zone = "America/New_York"


def make_staff(
    *, clinic: Clinic | None = None, role: str = Role.PHYSICAL_THERAPIST, username: str = ""
) -> StaffMember:
    clinic = clinic or ClinicFactory.create()
    username = username or f"{role}.{StaffMember.objects.count() + 1}.{clinic.slug}"
    return practice_services.staff_member_create(
        clinic=clinic,
        username=username,
        password=PASSWORD,
        role=role,
        first_name="Sam",
        last_name=username.split(".")[-1].title(),
        credentials="PT, DPT" if role == Role.PHYSICAL_THERAPIST else "",
    )


def make_user(*, username: str = "", password: str = PASSWORD, **fields: Any) -> User:
    """A login that is neither staff nor patient (a superuser, a stranger)."""
    return User.objects.create_user(
        username=username or f"user.{next(_users)}", password=password, **fields
    )
