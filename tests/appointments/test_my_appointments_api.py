"""/me/appointments/: a patient's own upcoming visits."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appointments.services import appointment_book, appointment_record_past
from tests.clients import error_of

pytestmark = pytest.mark.django_db

MY_APPOINTMENTS = "/api/v1/me/appointments/"


def test_my_appointments_are_mine_only_upcoming_first(
    patient_api, same_clinic_patient_api, patient, same_clinic_patient, therapist
):
    now = timezone.now().replace(microsecond=0)

    def book(who, days):
        starts_at = now + datetime.timedelta(days=days)
        if days < 0:  # a visit already past is recorded, not booked
            return appointment_record_past(
                patient=who, therapist=therapist, starts_at=starts_at, reason="Paper diary."
            )
        return appointment_book(patient=who, therapist=therapist, starts_at=starts_at)

    past_old, past_recent = book(patient, -20), book(patient, -2)
    soon, later = book(patient, 3), book(patient, 10)
    theirs = book(same_clinic_patient, 5)

    mine = [row["id"] for row in patient_api.get(MY_APPOINTMENTS).json()["results"]]
    assert mine == [soon.pk, later.pk, past_recent.pk, past_old.pk]

    upcoming = patient_api.get(MY_APPOINTMENTS, {"upcoming": "true"}).json()["results"]
    assert [row["id"] for row in upcoming] == [soon.pk, later.pk]

    others = same_clinic_patient_api.get(MY_APPOINTMENTS).json()["results"]
    assert [row["id"] for row in others] == [theirs.pk]
    assert same_clinic_patient_api.get(f"{MY_APPOINTMENTS}{soon.pk}/").status_code == 404
    assert patient_api.get(f"{MY_APPOINTMENTS}{soon.pk}/").json()["therapist_name"]


def test_my_appointments_do_not_show_staff_notes(patient_api, patient, therapist):
    appointment_book(
        patient=patient,
        therapist=therapist,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        notes="Discuss adherence",
    )
    row = patient_api.get(MY_APPOINTMENTS).json()["results"][0]
    assert "notes" not in row
    assert "patient" not in row


def test_bad_appointment_filters_are_a_400(patient_api):
    assert patient_api.get(MY_APPOINTMENTS, {"starts_after": "soon"}).status_code == 400


def test_my_appointments_cost_the_same_queries_for_one_or_fifty(patient_api, patient, therapist):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert patient_api.get(MY_APPOINTMENTS, {"page_size": 100}).status_code == 200
        return len(captured.captured_queries)

    appointment_book(patient=patient, therapist=therapist, starts_at=start)
    one = queries_for_page()
    for n in range(1, 50):
        appointment_book(
            patient=patient, therapist=therapist, starts_at=start + datetime.timedelta(hours=n)
        )
    assert queries_for_page() == one


@pytest.mark.parametrize("value", ["maybe", "yes please", "2"])
def test_an_upcoming_that_is_not_true_or_false_is_a_400(patient_api, value):
    response = patient_api.get(MY_APPOINTMENTS, {"upcoming": value})
    assert response.status_code == 400
    assert list(error_of(response)["errors"]) == ["upcoming"]
