"""The desk finds a patient as it types them: by name in either order, by phone in any
common format, or by date of birth; in the patient list and the appointment list, only
in its own clinic, in one query however many match."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_patient
from tests.factories.appointments import make_appointment

pytestmark = pytest.mark.django_db

PATIENTS = reverse("admin:patients_patient_changelist")
APPOINTMENTS = reverse("admin:appointments_appointment_changelist")


@pytest.fixture
def desk_client(client, front_desk):
    client.force_login(front_desk.user)
    return client


@pytest.fixture
def dana(clinic, therapist):
    return make_patient(
        clinic=clinic,
        primary_therapist=therapist,
        first_name="Dana",
        last_name="Whitaker",
        phone="+12025550101",
        date_of_birth=datetime.date(1961, 3, 14),
    )


@pytest.fixture
def others(clinic, other_clinic, therapist):
    """Patients sharing part of Dana's details, and one of another clinic with all."""
    return [
        make_patient(clinic=clinic, first_name="Dana", last_name="Cole", phone="+12025550199"),
        make_patient(clinic=clinic, first_name="Sam", last_name="Whitaker"),
        make_patient(
            clinic=other_clinic,
            first_name="Dana",
            last_name="Whitaker",
            phone="+12025550101",
            date_of_birth=datetime.date(1961, 3, 14),
        ),
    ]


def found(client, url, term):
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(
    "term",
    [
        "Whitaker, Dana",
        "whitaker,dana",
        "Dana Whitaker",
        "  Dana   Whitaker ",
        "+1 202 555 0101",
        "(202) 555-0101",
        "202-555-0101",
        "202.555.0101",
        "2025550101",
        "+12025550101",
        "1961-03-14",
    ],
)
def test_the_patient_list_finds_dana_as_the_desk_types_her(desk_client, dana, others, term):
    assert found(desk_client, PATIENTS, term) == [dana]


def test_the_name_as_the_admin_prints_it_finds_her(desk_client, dana, others):
    assert found(desk_client, PATIENTS, str(dana)) == [dana]


def test_a_date_that_does_not_exist_finds_no_one_and_fails_nothing(desk_client, dana):
    assert found(desk_client, PATIENTS, "1961-02-30") == []
    assert found(desk_client, PATIENTS, "555") == []


@pytest.mark.parametrize("term", ["Whitaker, Dana", "(202) 555-0101", "1961-03-14"])
def test_the_appointment_list_finds_danas_visits(desk_client, dana, others, therapist, term):
    visit = make_appointment(patient=dana, therapist=therapist)
    later = visit.starts_at + datetime.timedelta(hours=2)
    make_appointment(patient=others[0], therapist=therapist, starts_at=later)

    assert found(desk_client, APPOINTMENTS, term) == [visit]


def test_a_phone_search_reads_the_same_queries_for_one_match_as_for_many(desk_client, clinic, dana):
    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = found(desk_client, PATIENTS, "(202) 555-0101")
        return len(captured), len(rows)

    one, one_found = queries()
    for n in range(20):
        make_patient(clinic=clinic, first_name=f"Twin{n}", phone="+12025550101")
    many, many_found = queries()

    assert (one_found, many_found) == (1, 21)
    assert one == many
