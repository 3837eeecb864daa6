"""On PostgreSQL a staff request reads the caller's permissions in the same query as
their staff profile and clinic, and they are the permissions ModelBackend would read."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practice.api.permissions import staff_with_clinic
from practice.models import User
from tests.factories import make_patient

pytestmark = pytest.mark.django_db


def test_a_staff_request_reads_its_permissions_with_the_staff_profile(
    therapist_api, clinic, therapist
):
    make_patient(clinic=clinic, primary_therapist=therapist)

    with CaptureQueriesContext(connection) as captured:
        assert therapist_api.get("/api/v1/patients/").status_code == 200

    permission_reads = [q["sql"] for q in captured if '"auth_permission"' in q["sql"]]
    assert len(permission_reads) == 1
    assert 'FROM "practice_staffmember"' in permission_reads[0]


def test_the_permissions_read_with_the_staff_profile_are_those_modelbackend_reads(
    therapist, front_desk
):
    front_desk.user.user_permissions.add(Permission.objects.get(codename="view_recordaccess"))
    for user in (therapist.user, front_desk.user):
        loaded = User.objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as captured:
            staff = staff_with_clinic(loaded, with_permissions=True)
            perms = loaded.get_all_permissions()
            own = loaded.get_user_permissions()
            grouped = loaded.get_group_permissions()
        fresh = User.objects.get(pk=user.pk)

        assert staff is not None
        assert staff.user_id == user.pk
        assert len(captured) == 1
        assert perms == fresh.get_all_permissions()
        assert own == fresh.get_user_permissions()
        assert grouped == fresh.get_group_permissions()
    assert User.objects.get(pk=front_desk.user.pk).has_perm("audit.view_recordaccess")


def test_a_superuser_keeps_modelbackend_s_answer(therapist):
    User.objects.filter(pk=therapist.user.pk).update(is_superuser=True)
    loaded = User.objects.get(pk=therapist.user.pk)

    staff_with_clinic(loaded, with_permissions=True)

    assert not hasattr(loaded, "_perm_cache")
    assert loaded.has_perm("patients.delete_patient")
