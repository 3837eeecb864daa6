"""A staff request reads the caller's staff profile and clinic once, in one query, and the
caller's permissions in one more."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practice.api.permissions import load_permissions
from practice.models import User
from tests.factories import make_patient

pytestmark = pytest.mark.django_db


def _reads_from(queries: list[dict], table: str) -> list[str]:
    return [q["sql"] for q in queries if f' FROM "{table}"' in q["sql"]]


@pytest.mark.parametrize("url", ["/api/v1/patients/", "/api/v1/diagnoses/"])
def test_the_callers_staff_profile_comes_with_its_clinic_in_one_query(
    therapist_api, clinic, therapist, url
):
    make_patient(clinic=clinic, primary_therapist=therapist)

    with CaptureQueriesContext(connection) as captured:
        response = therapist_api.get(url)

    assert response.status_code == 200
    staff_reads = _reads_from(captured.captured_queries, "practice_staffmember")
    callers = [sql for sql in staff_reads if 'WHERE "practice_staffmember"."user_id" =' in sql]
    assert len(callers) == 1
    assert 'JOIN "practice_clinic"' in callers[0]
    assert _reads_from(captured.captured_queries, "practice_clinic") == []


def test_a_patient_is_refused_a_staff_endpoint_as_before(patient_api):
    response = patient_api.get("/api/v1/patients/")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_the_callers_permissions_are_read_in_one_query(therapist_api, clinic, therapist):
    make_patient(clinic=clinic, primary_therapist=therapist)

    with CaptureQueriesContext(connection) as captured:
        assert therapist_api.get("/api/v1/patients/").status_code == 200

    assert len(_reads_from(captured.captured_queries, "auth_permission")) == 1


def test_the_permissions_read_at_once_are_those_modelbackend_reads(therapist, front_desk):
    own = Permission.objects.get(codename="view_recordaccess")
    front_desk.user.user_permissions.add(own)
    for user in (therapist.user, front_desk.user):
        loaded = User.objects.get(pk=user.pk)
        load_permissions(loaded)
        fresh = User.objects.get(pk=user.pk)

        assert loaded.get_all_permissions() == fresh.get_all_permissions()
        assert loaded.get_user_permissions() == fresh.get_user_permissions()
        assert loaded.get_group_permissions() == fresh.get_group_permissions()
    assert front_desk.user.has_perm("audit.view_recordaccess")
    assert not User.objects.get(pk=front_desk.user.pk).has_perm("patients.view_diagnosis")
