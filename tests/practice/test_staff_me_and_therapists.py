"""Staff read who they are, and the clinicians their clinic books with."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practice.logins import user_set_active
from practice.models import CLINICIAN_ROLES, Role, StaffMember
from tests.clients import bearer, error_of
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

ME = "/api/v1/staff/me/"
THERAPISTS = "/api/v1/therapists/"


@pytest.mark.parametrize("role", sorted(Role.values))
def test_every_staff_role_reads_who_they_are_and_their_clinic(clinic, role):
    clinic.phone = "+1 555 0100"
    clinic.address = "1 Main St"
    clinic.opening_hours = "Mon-Fri 8:00-18:00"
    clinic.cancellation_window_hours = 12
    clinic.save()
    staff = make_staff(clinic=clinic, role=role, username="who.am.i")
    StaffMember.objects.filter(pk=staff.pk).update(licence_number="L-1", work_phone="+1 555 0199")
    staff.user.email = "who@example.com"
    staff.user.save()

    response = bearer(staff.user).get(ME)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": staff.pk,
        "user_id": staff.user.pk,
        "username": "who.am.i",
        "full_name": "Sam I",
        "email": "who@example.com",
        "role": role,
        "credentials": staff.credentials,
        "licence_number": "L-1",
        "work_phone": "+1 555 0199",
        "clinic": {
            "id": clinic.pk,
            "name": "Demo Spine Clinic",
            "slug": "demo-spine",
            "time_zone": "America/New_York",
            "phone": "+1 555 0100",
            "address": "1 Main St",
            "opening_hours": "Mon-Fri 8:00-18:00",
            "cancellation_window_hours": 12,
        },
    }


def test_who_am_i_asks_the_database_only_for_the_caller(therapist_api):
    therapist_api.get(ME)  # the first request of a process loads content types
    with CaptureQueriesContext(connection) as ctx:
        assert therapist_api.get(ME).status_code == 200
    assert len(ctx.captured_queries) <= 2  # the token's user; the profile with its clinic


@pytest.mark.parametrize("url", [ME, THERAPISTS])
def test_a_patient_is_refused_the_staff_endpoints(patient_api, url):
    response = patient_api.get(url)
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


@pytest.mark.parametrize("url", [ME, THERAPISTS])
def test_without_a_token_the_staff_endpoints_are_a_401(anon, url):
    assert anon.get(url).status_code == 401


def _listed(client, **params) -> dict[int, dict]:
    response = client.get(THERAPISTS, params)
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def test_the_therapist_list_is_the_clinics_clinicians_only(
    clinic, therapist, front_desk, other_therapist, front_desk_api
):
    admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")
    clinicians = {
        role: make_staff(clinic=clinic, role=role, username=f"{role}.here")
        for role in sorted(CLINICIAN_ROLES)
    }
    rows = _listed(front_desk_api, page_size=100)
    expected = {therapist.pk, *(staff.pk for staff in clinicians.values())}
    assert set(rows) == expected
    assert not {front_desk.pk, admin.pk, other_therapist.pk} & set(rows)
    assert {rows[staff.pk]["role"] for staff in clinicians.values()} == set(CLINICIAN_ROLES)


def test_a_clinician_whose_login_is_closed_is_not_listed(clinic, therapist, therapist_api):
    gone = make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="gone.one")
    user_set_active(user_id=gone.user_id, active=False, reason="left the clinic")
    assert set(_listed(therapist_api)) == {therapist.pk}


def test_a_blank_work_phone_is_the_clinics_and_says_so(clinic, therapist, therapist_api):
    clinic.phone = "+1 555 0100"
    clinic.save()
    direct = make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="direct.line")
    StaffMember.objects.filter(pk=direct.pk).update(work_phone="+1 555 0142")

    rows = _listed(therapist_api)

    assert rows[therapist.pk] == {
        "id": therapist.pk,
        "full_name": "Sam One",
        "role": "physical_therapist",
        "credentials": "PT, DPT",
        "work_phone": "+1 555 0100",
        "work_phone_is_clinic": True,
    }
    assert rows[direct.pk]["work_phone"] == "+1 555 0142"
    assert rows[direct.pk]["work_phone_is_clinic"] is False


def test_the_therapist_list_is_paginated_in_name_order(clinic, therapist, therapist_api):
    for name in ("zed", "abe", "kim"):
        make_staff(clinic=clinic, role=Role.PHYSIATRIST, username=f"dr.{name}")
    first = therapist_api.get(THERAPISTS, {"page_size": 2}).json()
    assert first["count"] == 4
    assert [row["full_name"] for row in first["results"]] == ["Sam Abe", "Sam Kim"]
    assert first["next"]


def _query_count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(THERAPISTS, {"page_size": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_therapist_list_runs_as_many_queries_for_one_as_for_fifty(clinic, therapist):
    client = bearer(therapist.user)
    _query_count(client)  # the first request of a process loads content types
    one = _query_count(client)
    for n in range(49):
        make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username=f"pt.many{n}")
    assert client.get(THERAPISTS, {"page_size": 100}).json()["count"] == 50
    assert _query_count(client) == one
