"""/me/appointments/{id}/confirm/ and /cancel/: the patient's own, upcoming appointments;
confirming until the start (the reminders ask for it), cancelling until the clinic's
cancellation window; a cancellation keeps the row, stops its reminders and alerts the
therapist once, naming the booked clinician."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from appointments.models import Appointment
from appointments.patient_changes import appointment_cancel_by_patient
from appointments.services import (
    appointment_book,
    appointment_set_status,
)
from patients.models import ClinicalAlert
from reminders import cancel_rules
from reminders.delivery_facts import delivery_facts_load
from reminders.models import Channel, Kind, Notification
from reminders.planner import plan
from tests.clients import bearer, error_of
from tests.factories import make_patient, make_patient_user, make_staff

pytestmark = pytest.mark.django_db

MY_APPOINTMENTS = "/api/v1/me/appointments/"
# A Monday, 10:00 in New York.
NOW = datetime.datetime(2027, 1, 11, 15, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)
WINDOW = datetime.timedelta(hours=24)


@pytest.fixture(autouse=True)
def _frozen():
    # Autouse, so the fixtures' access tokens are issued at the frozen time too.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic(clinic):
    clinic.phone = "+1 212 555 0100"
    clinic.address = "1 Spine Street, New York"
    clinic.save(update_fields=["phone", "address"])
    return clinic


def book(patient, therapist, starts_at=NOW + 3 * WINDOW, **kwargs) -> Appointment:
    return appointment_book(patient=patient, therapist=therapist, starts_at=starts_at, **kwargs)


def confirm(client, appointment):
    return client.post(f"{MY_APPOINTMENTS}{appointment.pk}/confirm/")


def cancel(client, appointment, **body):
    return client.post(f"{MY_APPOINTMENTS}{appointment.pk}/cancel/", body, format="json")


def test_a_patient_confirms_their_appointment(patient_api, patient, therapist):
    appointment = book(patient, therapist)

    response = confirm(patient_api, appointment)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["confirmed_at"]) == ("confirmed", "2027-01-11T15:00:00Z")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED
    assert appointment.history.first().history_user == patient.user


def test_confirming_twice_answers_the_same(patient_api, patient, therapist):
    appointment = book(patient, therapist)
    first = confirm(patient_api, appointment).json()

    with time_machine.travel(NOW + MINUTE, tick=False):
        again = confirm(patient_api, appointment)

    assert again.status_code == 200
    assert again.json() == first


def test_a_patient_cancels_their_appointment_and_it_is_kept(patient_api, patient, therapist):
    appointment = book(patient, therapist)

    response = cancel(patient_api, appointment, reason="  My car broke down.  ")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["cancelled_at"] == "2027-01-11T15:00:00Z"
    assert body["cancelled_by_patient"] is True
    assert body["can_cancel_until"] is None
    stored = Appointment.objects.get(pk=appointment.pk)
    assert stored.cancellation_reason == "My car broke down."
    assert stored.history.first().history_user == patient.user
    listed = patient_api.get(MY_APPOINTMENTS).json()["results"]
    assert [(row["id"], row["status"]) for row in listed] == [(appointment.pk, "cancelled")]


def test_cancelling_twice_answers_the_same_and_alerts_once(patient_api, patient, therapist):
    appointment = book(patient, therapist)
    first = cancel(patient_api, appointment, reason="Flu.")

    again = cancel(patient_api, appointment, reason="Still flu.")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    (alert,) = ClinicalAlert.objects.filter(kind=ClinicalAlert.Kind.APPOINTMENT_CANCELLED)
    assert alert.patient == patient
    assert alert.severity == ClinicalAlert.Severity.ROUTINE
    assert alert.is_open
    assert str(therapist) in alert.message
    assert "2027-01-14 10:00 (America/New_York)" in alert.message
    assert alert.message.endswith("Reason: Flu.")


def test_the_alert_names_the_booked_clinician_when_not_the_primary_therapist(
    patient_api, clinic, patient, therapist
):
    colleague = make_staff(clinic=clinic, username="pt.covering")
    own = book(patient, therapist)
    covered = book(patient, colleague, starts_at=NOW + 4 * WINDOW)

    cancel(patient_api, own)
    cancel(patient_api, covered, reason="Away.")

    by_own, by_colleague = ClinicalAlert.objects.order_by("pk")
    assert "Booked clinician" not in by_own.message
    assert by_colleague.message.endswith(
        f"with {colleague} in the app. Booked clinician: {colleague}, not the primary "
        f"therapist ({therapist}); please tell them. Reason: Away."
    )


def test_without_a_primary_therapist_the_alert_still_names_the_booked_clinician(clinic, therapist):
    patient = make_patient_user(make_patient(clinic=clinic))
    appointment = book(patient, therapist)

    appointment_cancel_by_patient(appointment=appointment, actor=patient.user)

    (alert,) = ClinicalAlert.objects.filter(patient=patient)
    assert alert.message.endswith(f"Booked clinician: {therapist}; please tell them.")


def test_cancelling_after_the_clinic_cancelled_answers_the_appointment_and_alerts_no_one(
    patient_api, patient, therapist
):
    appointment = book(patient, therapist)
    appointment_set_status(appointment=appointment, status="cancelled", actor=therapist.user)

    response = cancel(patient_api, appointment)

    assert response.status_code == 200
    assert response.json()["cancelled_by_patient"] is False
    assert not ClinicalAlert.objects.exists()


@pytest.mark.parametrize("change", [confirm, cancel])
def test_a_minute_before_the_window_the_app_may_still_change_it(
    patient_api, patient, therapist, change
):
    appointment = book(patient, therapist, starts_at=NOW + WINDOW + MINUTE)

    assert change(patient_api, appointment).status_code == 200


def test_a_minute_inside_the_window_a_cancelling_patient_is_told_to_call_the_clinic(
    patient_api, patient, therapist
):
    appointment = book(patient, therapist, starts_at=NOW + WINDOW - MINUTE)

    response = cancel(patient_api, appointment)

    assert error_of(response) == {
        "status": 409,
        "code": "inside_cancellation_window",
        "detail": "Appointments can be cancelled in the app until 24 hours before "
        "they start. Please call the clinic at +1 212 555 0100.",
        "errors": {},
    }
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.SCHEDULED
    assert not ClinicalAlert.objects.exists()


# The default reminders go out 24 and 2 hours before; each asks the patient to confirm.
@pytest.mark.parametrize(
    "before", [WINDOW, WINDOW - MINUTE, datetime.timedelta(hours=3), 2 * 60 * MINUTE, MINUTE]
)
def test_confirming_is_open_inside_the_window_until_the_start(
    patient_api, patient, therapist, before
):
    appointment = book(patient, therapist, starts_at=NOW + before)

    response = confirm(patient_api, appointment)

    assert response.status_code == 200, response.json()
    assert response.json()["confirmed_at"] == "2027-01-11T15:00:00Z"
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.CONFIRMED


def test_confirming_at_the_start_is_too_late(patient_api, patient, therapist):
    appointment = book(patient, therapist, starts_at=NOW + datetime.timedelta(hours=2))

    with time_machine.travel(appointment.starts_at, tick=False):
        response = confirm(bearer(patient.user), appointment)

    assert error_of(response)["code"] == "appointment_started"
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.SCHEDULED


def test_the_window_is_the_clinics(patient_api, clinic, patient, therapist):
    clinic.cancellation_window_hours = 2
    clinic.save(update_fields=["cancellation_window_hours"])
    appointment = book(patient, therapist, starts_at=NOW + 3 * datetime.timedelta(hours=1))

    row = patient_api.get(f"{MY_APPOINTMENTS}{appointment.pk}/").json()

    assert row["can_cancel_until"] == "2027-01-11T16:00:00Z"
    assert cancel(patient_api, appointment).status_code == 200


def test_an_appointment_under_way_cannot_be_changed(patient_api, patient, therapist):
    appointment = book(patient, therapist, starts_at=NOW + 3 * WINDOW)

    with time_machine.travel(NOW + 3 * WINDOW + MINUTE, tick=False):
        client = bearer(patient.user)
        refused = cancel(client, appointment)
        appointment_set_status(appointment=appointment, status="attended")
        confirmed_late = confirm(client, appointment)

    assert error_of(refused)["code"] == "appointment_started"
    assert "Please call the clinic at +1 212 555 0100." in error_of(refused)["detail"]
    assert error_of(confirmed_late)["code"] == "appointment_started"


def test_a_cancelled_appointment_cannot_be_confirmed(patient_api, patient, therapist):
    appointment = book(patient, therapist)
    cancel(patient_api, appointment)

    assert error_of(confirm(patient_api, appointment))["code"] == "appointment_cancelled"


def test_another_patients_or_clinics_appointment_is_not_found(
    patient_api, same_clinic_patient, other_patient, therapist
):
    neighbour = book(same_clinic_patient, therapist)
    elsewhere = book(other_patient, make_staff(clinic=other_patient.clinic, username="pt.north"))

    for appointment in (neighbour, elsewhere):
        for change in (confirm, cancel):
            response = change(patient_api, appointment)
            assert error_of(response)["code"] == "not_found"
    assert set(Appointment.objects.values_list("status", flat=True)) == {"scheduled"}
    assert patient_api.post(f"{MY_APPOINTMENTS}99999999/cancel/").status_code == 404
    assert patient_api.post(f"{MY_APPOINTMENTS}abc/confirm/").status_code == 404


def test_staff_cannot_use_the_patients_endpoints(therapist_api, patient, therapist):
    appointment = book(patient, therapist)

    assert cancel(therapist_api, appointment).status_code == 403


def test_a_reason_too_long_is_a_400(patient_api, patient, therapist):
    appointment = book(patient, therapist)

    response = cancel(patient_api, appointment, reason="x" * 2001)

    assert response.status_code == 400
    assert error_of(response)["detail"].startswith("reason:")


def test_the_app_reads_where_the_appointment_is_held(patient_api, patient, therapist):
    at_clinic = book(patient, therapist)
    remote = book(
        patient,
        therapist,
        starts_at=NOW + 4 * WINDOW,
        location="Room 2, second floor",
        telehealth_url="https://video.example.com/r/abc",
    )

    rows = {row["id"]: row for row in patient_api.get(MY_APPOINTMENTS).json()["results"]}

    assert rows[at_clinic.pk]["location"] == "1 Spine Street, New York"
    assert rows[at_clinic.pk]["telehealth_url"] == ""
    assert rows[at_clinic.pk]["can_cancel_until"] == "2027-01-13T15:00:00Z"
    assert rows[at_clinic.pk]["therapist_name"] == str(therapist)
    assert rows[remote.pk]["location"] == "Room 2, second floor"
    assert rows[remote.pk]["telehealth_url"] == "https://video.example.com/r/abc"


def test_a_video_visit_without_a_place_is_not_sent_to_the_clinics_address(
    patient_api, patient, therapist
):
    video = book(patient, therapist, telehealth_url="https://video.example.com/r/v")

    row = patient_api.get(f"{MY_APPOINTMENTS}{video.pk}/").json()

    assert (row["location"], row["telehealth_url"]) == ("", "https://video.example.com/r/v")


# Reminders


def _reminded_patient(clinic, therapist):
    therapist.user.email = "pt.one@example.com"
    therapist.user.save(update_fields=["email"])
    return make_patient(clinic=clinic, primary_therapist=therapist, consent_email=True)


def test_a_cancelled_appointments_pending_reminder_is_cancelled(clinic, therapist):
    patient = _reminded_patient(clinic, therapist)
    make_patient_user(patient)
    appointment = book(patient, therapist, starts_at=NOW + WINDOW + 2 * datetime.timedelta(hours=1))
    plan(now=NOW, horizon=datetime.timedelta(hours=3))
    (row,) = Notification.objects.filter(kind=Kind.APPOINTMENT)
    assert row.status == Notification.Status.PENDING

    assert cancel(bearer(patient.user), appointment).status_code == 200
    plan(now=NOW + 5 * MINUTE, horizon=datetime.timedelta(hours=3))

    row.refresh_from_db()
    assert row.status == Notification.Status.CANCELLED
    assert row.last_error == "The appointment is cancelled."


def test_a_claimed_reminder_of_a_cancelled_appointment_is_not_sent(clinic, therapist):
    patient = _reminded_patient(clinic, therapist)
    make_patient_user(patient)
    appointment = book(patient, therapist)
    claimed = Notification.objects.create(
        clinic=clinic,
        patient=patient,
        kind=Kind.APPOINTMENT,
        channel=Channel.EMAIL,
        source=f"appointment:{appointment.pk}:24h",
        scheduled_for=appointment.starts_at - WINDOW,
        next_attempt_at=appointment.starts_at - WINDOW,
        status=Notification.Status.SENDING,
    )

    cancel(bearer(patient.user), appointment)

    fresh = Notification.objects.select_related("clinic", "patient", "staff__user").get(
        pk=claimed.pk
    )
    facts = delivery_facts_load(notifications=[fresh], now=claimed.scheduled_for)
    assert cancel_rules.cancel_reason(fresh, facts=facts) == "The appointment is cancelled."
