"""`?since=` on /me/appointments/ and the staff list: what changed after a moment,
cancellations included, for an app catching up after being offline; and where an
appointment is held, as staff set it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments.cancellations import appointments_cancel_upcoming
from appointments.models import Appointment
from appointments.patient_changes import appointment_cancel_by_patient
from appointments.services import (
    appointment_book,
    appointment_change_details,
    appointment_set_status,
)
from tests.clients import error_of

pytestmark = pytest.mark.django_db

MY_APPOINTMENTS = "/api/v1/me/appointments/"
APPOINTMENTS = "/api/v1/appointments/"
NOW = datetime.datetime(2027, 1, 11, 15, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def traveller():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def book(patient, therapist, starts_at, **kwargs) -> Appointment:
    return appointment_book(patient=patient, therapist=therapist, starts_at=starts_at, **kwargs)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_since_answers_a_cancellation_and_leaves_out_older_changes(
    traveller, patient_api, therapist_api, patient, therapist
):
    untouched = book(patient, therapist, NOW + 3 * DAY)
    cancelled = book(patient, therapist, NOW + 4 * DAY)
    # Access tokens last 15 minutes: the phone syncs and changes come within them.
    traveller.move_to(NOW + 5 * MINUTE)
    synced = "2027-01-11T11:05:00-04:00"  # NOW + 5 minutes, as a phone in UTC-4 says it
    traveller.move_to(NOW + 10 * MINUTE)
    appointment_cancel_by_patient(appointment=cancelled, actor=patient.user)

    mine = patient_api.get(MY_APPOINTMENTS, {"since": synced})
    staff = therapist_api.get(APPOINTMENTS, {"since": synced})

    assert ids(mine) == [cancelled.pk]
    assert mine.json()["results"][0]["status"] == "cancelled"
    assert mine.json()["results"][0]["updated_at"] == "2027-01-11T15:10:00Z"
    assert ids(staff) == [cancelled.pk]
    assert untouched.pk in ids(patient_api.get(MY_APPOINTMENTS, {"since": "2027-01-11T14:59Z"}))


def test_a_staff_cancellation_and_a_discharge_move_the_change_time(
    traveller, patient_api, patient, therapist
):
    by_desk = book(patient, therapist, NOW + 3 * DAY)
    by_discharge = book(patient, therapist, NOW + 4 * DAY)
    traveller.move_to(NOW + 10 * MINUTE)
    appointment_set_status(appointment=by_desk, status="cancelled", actor=therapist.user)
    appointments_cancel_upcoming(patient=patient, reason="Discharged.", actor=therapist.user)

    rows = patient_api.get(MY_APPOINTMENTS, {"since": "2027-01-11T15:05:00Z"}).json()["results"]

    assert {(row["id"], row["status"], row["cancelled_at"]) for row in rows} == {
        (by_desk.pk, "cancelled", "2027-01-11T15:10:00Z"),
        (by_discharge.pk, "cancelled", "2027-01-11T15:10:00Z"),
    }
    assert Appointment.objects.get(pk=by_discharge.pk).cancellation_reason == "Discharged."


@pytest.mark.parametrize(
    "since", ["yesterday", "2027-01-11T15:00:00", "2027-13-01T00:00:00Z", "9999-12-31T23:59-23:00"]
)
def test_a_bad_since_is_a_400_naming_it(patient_api, therapist_api, since):
    for client, path in ((patient_api, MY_APPOINTMENTS), (therapist_api, APPOINTMENTS)):
        response = client.get(path, {"since": since})
        assert response.status_code == 400
        assert list(error_of(response)["errors"]) == ["since"]
        assert error_of(response)["detail"].startswith("since: ")


def test_a_time_without_its_offset_is_refused_with_why(patient_api):
    response = patient_api.get(MY_APPOINTMENTS, {"since": "2027-01-11T15:00:00"})

    assert error_of(response)["detail"].startswith(
        "since: Give an ISO 8601 date and time with its UTC offset"
    )


def test_my_appointments_cost_the_same_queries_for_one_or_fifty_with_since(
    patient_api, patient, therapist
):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = patient_api.get(
                MY_APPOINTMENTS, {"page_size": 100, "since": "2027-01-01T00:00Z"}
            )
            assert response.status_code == 200
        return len(captured.captured_queries)

    book(patient, therapist, NOW + DAY, location="Room 1")
    one = queries_for_page()
    for n in range(1, 50):
        book(patient, therapist, NOW + DAY + n * H, telehealth_url="https://v.example.com/x")
    assert queries_for_page() == one


# Where it is held, as staff set it


def test_staff_book_and_move_an_appointment_to_a_telehealth_link(therapist_api, patient, therapist):
    response = therapist_api.post(
        APPOINTMENTS,
        {
            "patient": patient.pk,
            "therapist": therapist.pk,
            "starts_at": "2027-01-14T15:00:00Z",
            "location": "Annex, room 4",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["location"] == "Annex, room 4"
    detail = f"{APPOINTMENTS}{response.json()['id']}/"

    changed = therapist_api.patch(
        detail, {"location": "", "telehealth_url": "https://video.example.com/r/1"}, format="json"
    )

    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert (body["location"], body["telehealth_url"]) == ("", "https://video.example.com/r/1")
    assert body["starts_at"] == "2027-01-14T15:00:00Z"
    stored = Appointment.objects.get(pk=body["id"])
    assert stored.history.first().history_user == therapist.user


def test_a_telehealth_link_must_be_a_web_address(therapist_api, patient, therapist):
    appointment = book(patient, therapist, NOW + DAY)

    response = therapist_api.patch(
        f"{APPOINTMENTS}{appointment.pk}/", {"telehealth_url": "ftp://x.example.com/"}
    )

    assert response.status_code == 400
    assert list(error_of(response)["errors"]) == ["telehealth_url"]


HTTP_LINK = "http://video.example.com/r/1"


def test_a_plain_http_telehealth_link_is_refused_when_booking_moving_or_recording(
    therapist_api, patient, therapist
):
    appointment = book(patient, therapist, NOW + DAY)
    new = {"patient": patient.pk, "therapist": therapist.pk, "telehealth_url": HTTP_LINK}

    refused = [
        therapist_api.post(APPOINTMENTS, {**new, "starts_at": "2027-01-14T15:00:00Z"}),
        therapist_api.patch(f"{APPOINTMENTS}{appointment.pk}/", {"telehealth_url": HTTP_LINK}),
        therapist_api.post(
            f"{APPOINTMENTS}record-past/",
            {**new, "starts_at": "2027-01-10T15:00:00Z", "late_entry_reason": "Walk-in."},
        ),
    ]

    for response in refused:
        assert error_of(response)["status"] == 400
        assert error_of(response)["errors"] == {
            "telehealth_url": ["The video link must start with https://."]
        }
    assert list(Appointment.objects.values_list("telehealth_url", flat=True)) == [""]


def test_a_link_stored_before_https_only_does_not_block_other_edits(therapist, patient):
    appointment = book(patient, therapist, NOW + DAY)
    Appointment.objects.filter(pk=appointment.pk).update(telehealth_url=HTTP_LINK)
    appointment.refresh_from_db()

    appointment_change_details(
        appointment=appointment, notes="Bring the MRI.", telehealth_url=HTTP_LINK
    )

    assert Appointment.objects.get(pk=appointment.pk).notes == "Bring the MRI."


def test_rescheduling_clears_the_confirmation(therapist_api, patient, therapist):
    appointment = book(patient, therapist, NOW + 3 * DAY)
    appointment_set_status(appointment=appointment, status="confirmed", actor=therapist.user)
    assert Appointment.objects.get(pk=appointment.pk).confirmed_at == NOW

    response = therapist_api.patch(
        f"{APPOINTMENTS}{appointment.pk}/", {"starts_at": "2027-01-15T15:00:00Z"}
    )

    assert (response.json()["status"], response.json()["confirmed_at"]) == ("scheduled", None)


def test_where_a_cancelled_visit_was_held_is_a_record_but_its_notes_still_change(
    therapist_api, patient, therapist
):
    appointment = book(patient, therapist, NOW + DAY, location="Room 2")
    appointment_set_status(appointment=appointment, status="cancelled", actor=therapist.user)
    url = f"{APPOINTMENTS}{appointment.pk}/"

    moved = therapist_api.patch(url, {"location": "Room 9"}, format="json")
    noted = appointment_change_details(appointment=appointment, notes="Rebook in March.")

    assert moved.status_code == 400
    assert "only its notes can change" in error_of(moved)["detail"]
    stored = Appointment.objects.get(pk=appointment.pk)
    assert (
        (stored.location, stored.notes)
        == ("Room 2", "Rebook in March.")
        == (
            noted.location,
            noted.notes,
        )
    )
