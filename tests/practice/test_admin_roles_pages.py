"""Every staff member and prescription page opens for every role that can reach it,
read-only where the role cannot edit it (the issue's 500s from get_form)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.urls import reverse

from programs.models import Prescription
from tests.admin_world import World, build_world

pytestmark = pytest.mark.django_db

ROLES = ["physical_therapist", "osteopathic_physician", "front_desk", "clinic_admin", "superuser"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _program(world: World) -> Prescription:
    return Prescription.objects.filter(patient__clinic=world.own.clinic).order_by("pk")[0]


def _pages(name: str, pk: int) -> list[str]:
    return [
        reverse(f"admin:{name}_change", args=[pk]),
        reverse(f"admin:{name}_history", args=[pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_a_staff_member_page_opens_for_every_role(client, world, role):
    client.force_login(world.users[role])
    staff = world.own.therapist
    for url in _pages("practice_staffmember", staff.pk):
        assert client.get(url).status_code == 200, url
    version = staff.history.latest()
    url = reverse("admin:practice_staffmember_simple_history", args=[staff.pk, version.pk])
    assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["physical_therapist", "clinic_admin", "superuser"])
def test_a_prescription_page_opens_for_every_role_that_reads_programs(client, world, role):
    client.force_login(world.users[role])
    program = _program(world)
    for url in _pages("programs_prescription", program.pk):
        assert client.get(url).status_code == 200, url
    version = program.history.latest()
    url = reverse("admin:programs_prescription_simple_history", args=[program.pk, version.pk])
    assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("role", "page", "field"),
    [
        ("physical_therapist", "practice_staffmember", "licence_number"),
        ("front_desk", "practice_staffmember", "licence_number"),
        ("clinic_admin", "programs_prescription", "notes"),
    ],
)
def test_a_page_the_role_cannot_edit_is_read_only(client, world, role, page, field):
    client.force_login(world.users[role])
    obj = world.own.therapist if page == "practice_staffmember" else _program(world)
    url = reverse(f"admin:{page}_change", args=[obj.pk])

    response = client.get(url)
    posted = client.post(url, {field: "changed"})

    assert response.status_code == 200
    assert field not in response.context["adminform"].form.fields  # shown as text
    assert not response.context["has_change_permission"]
    assert 'name="_save"' not in response.text
    assert posted.status_code == 403
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == getattr(obj, field)
