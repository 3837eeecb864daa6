"""Appointment times through the API: no booking in the past, past visits recorded with
a reason, attendance once begun, and one appointment at a time per patient."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from appointments.models import Appointment
from appointments.services import appointment_book
from practice.models import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

APPOINTMENTS = "/api/v1/appointments/"
RECORD_PAST = f"{APPOINTMENTS}record-past/"
NOW = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=datetime.UTC)
YESTERDAY = "2026-05-31T14:00:00Z"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_booking_in_the_past_is_a_400_pointing_to_past_visits(front_desk_api, patient, therapist):
    body = {"patient": patient.pk, "therapist": therapist.pk, "starts_at": YESTERDAY}
    response = front_desk_api.post(APPOINTMENTS, body)
    assert response.status_code == 400
    assert "record a past visit" in response.json()["errors"]["starts_at"][0]
    assert not Appointment.objects.exists()


def test_a_past_visit_is_recorded_with_its_reason(front_desk_api, patient, therapist):
    body = {
        "patient": patient.pk,
        "therapist": therapist.pk,
        "starts_at": YESTERDAY,
        "status": "no_show",
        "late_entry_reason": "Entered from the paper diary.",
    }
    response = front_desk_api.post(RECORD_PAST, body)
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["status"], answer["late_entry_reason"]) == (
        "no_show",
        "Entered from the paper diary.",
    )
    stored = Appointment.objects.get(pk=answer["id"])
    assert stored.status == Appointment.Status.NO_SHOW
    assert stored.history.get().history_user.username == "desk.one"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"late_entry_reason": ""}, "late_entry_reason", "This field may not be blank."),
        ({"late_entry_reason": "   "}, "late_entry_reason", "This field may not be blank."),
        ({"status": "scheduled"}, "status", '"scheduled" is not a valid choice.'),
        (
            {"starts_at": "2026-06-02T14:00:00Z"},
            "starts_at",
            "This visit has not started yet; book it as an appointment instead.",
        ),
        (
            {"starts_at": "1999-06-01T14:00:00Z"},
            "starts_at",
            "Choose a time between the years 2000 and 2099.",
        ),
    ],
)
def test_a_bad_past_visit_is_a_400_naming_the_field(
    therapist_api, patient, therapist, overrides, field, message
):
    body = {
        "patient": patient.pk,
        "therapist": therapist.pk,
        "starts_at": YESTERDAY,
        "late_entry_reason": "Walk-in.",
        **overrides,
    }
    response = therapist_api.post(RECORD_PAST, body)
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not Appointment.objects.exists()


def test_a_past_visit_without_a_reason_is_a_400(therapist_api, patient, therapist):
    body = {"patient": patient.pk, "therapist": therapist.pk, "starts_at": YESTERDAY}
    response = therapist_api.post(RECORD_PAST, body)
    assert response.status_code == 400
    assert "late_entry_reason" in response.json()["errors"]


def test_a_past_visit_for_another_clinics_patient_is_a_400(therapist_api, other_patient, therapist):
    body = {
        "patient": other_patient.pk,
        "therapist": therapist.pk,
        "starts_at": YESTERDAY,
        "late_entry_reason": "Walk-in.",
    }
    response = therapist_api.post(RECORD_PAST, body)
    assert response.status_code == 400
    assert "does not exist" in response.json()["errors"]["patient"][0]


def test_a_patient_cannot_record_past_visits(patient_api, patient, therapist):
    body = {
        "patient": patient.pk,
        "therapist": therapist.pk,
        "starts_at": YESTERDAY,
        "late_entry_reason": "Walk-in.",
    }
    assert patient_api.post(RECORD_PAST, body).status_code == 403


def test_attendance_before_the_start_is_a_400(front_desk_api, patient, therapist):
    appointment = appointment_book(
        patient=patient, therapist=therapist, starts_at=NOW + datetime.timedelta(hours=1)
    )
    response = front_desk_api.post(
        f"{APPOINTMENTS}{appointment.pk}/status/", {"status": "attended"}
    )
    assert response.status_code == 400
    assert response.json()["errors"]["status"] == [
        "An appointment can be marked attended only once it has started "
        "(2026-06-01 11:00 to 11:45 (America/New_York))."
    ]


def test_a_second_appointment_of_the_patient_at_that_time_is_a_400(
    front_desk_api, clinic, patient, therapist
):
    starts_at = NOW + datetime.timedelta(days=1)
    appointment_book(patient=patient, therapist=therapist, starts_at=starts_at)
    colleague = make_staff(clinic=clinic, role=Role.OSTEOPATHIC_PHYSICIAN, username="do.two")
    body = {"patient": patient.pk, "therapist": colleague.pk, "starts_at": "2026-06-02T14:15:00Z"}
    response = front_desk_api.post(APPOINTMENTS, body)
    assert response.status_code == 400
    assert response.json()["errors"]["starts_at"] == [
        "Alex Rivera already has an appointment from 2026-06-02 10:00 to 10:45 "
        "(America/New_York) with Sam One, PT, DPT."
    ]
