"""Staff /appointments/: booking, rescheduling, status changes, never a double booking."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments.models import Appointment
from appointments.services import appointment_book
from practice.models import Role
from tests.clients import bearer
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db

APPOINTMENTS = "/api/v1/appointments/"
NINE = datetime.datetime(2030, 5, 6, 13, 0, tzinfo=datetime.UTC)


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def detail(appointment) -> str:
    return f"{APPOINTMENTS}{appointment.pk}/"


def book(patient, therapist, starts_at=NINE, **kwargs) -> Appointment:
    return appointment_book(patient=patient, therapist=therapist, starts_at=starts_at, **kwargs)


@pytest.fixture
def appointment(patient, therapist):
    return book(patient, therapist)


def test_front_desk_books_an_appointment(front_desk_api, patient, therapist):
    response = front_desk_api.post(
        APPOINTMENTS,
        {
            "patient": patient.pk,
            "therapist": therapist.pk,
            "starts_at": iso(NINE),
            "duration_minutes": 60,
            "kind": "evaluation",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ends_at"] == "2030-05-06T14:00:00Z"
    assert body["status"] == "scheduled"
    assert body["therapist_name"] == "Sam One, PT, DPT"
    stored = Appointment.objects.get(pk=body["id"])
    assert stored.kind == Appointment.Kind.EVALUATION
    assert stored.history.get().history_user.username == "desk.one"


def test_the_duration_defaults_to_45_minutes(therapist_api, patient, therapist):
    body = {"patient": patient.pk, "therapist": therapist.pk, "starts_at": iso(NINE)}
    response = therapist_api.post(APPOINTMENTS, body)
    assert response.status_code == 201
    assert response.json()["duration_minutes"] == 45


def test_double_booking_is_a_400_on_starts_at(front_desk_api, appointment, therapist, clinic):
    second = make_patient(clinic=clinic, first_name="Jamie")
    response = front_desk_api.post(
        APPOINTMENTS,
        {
            "patient": second.pk,
            "therapist": therapist.pk,
            "starts_at": iso(NINE + datetime.timedelta(minutes=30)),
        },
    )
    assert response.status_code == 400
    assert "already booked" in response.json()["errors"]["starts_at"][0]
    assert Appointment.objects.count() == 1


def test_booking_front_desk_as_the_therapist_is_refused(therapist_api, patient, front_desk):
    body = {"patient": patient.pk, "therapist": front_desk.pk, "starts_at": iso(NINE)}
    response = therapist_api.post(APPOINTMENTS, body)
    assert response.status_code == 400
    assert "therapist" in response.json()["errors"]


def test_patch_reschedules(front_desk_api, appointment):
    later = NINE + datetime.timedelta(days=1)
    response = front_desk_api.patch(
        detail(appointment), {"starts_at": iso(later), "duration_minutes": 30}
    )
    assert response.status_code == 200, response.json()
    appointment.refresh_from_db()
    assert appointment.starts_at == later
    assert appointment.ends_at == later + datetime.timedelta(minutes=30)


def test_patch_moves_to_another_therapist_at_the_same_time(therapist_api, appointment, clinic):
    colleague = make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="md.two")
    response = therapist_api.patch(detail(appointment), {"therapist": colleague.pk})
    assert response.status_code == 200, response.json()
    appointment.refresh_from_db()
    assert appointment.therapist == colleague
    assert appointment.starts_at == NINE


def test_rescheduling_onto_a_busy_slot_is_a_400_and_nothing_moves(
    therapist_api, appointment, therapist, clinic
):
    other = book(make_patient(clinic=clinic), therapist, NINE + datetime.timedelta(hours=2))
    response = therapist_api.patch(detail(other), {"starts_at": iso(NINE)})
    assert response.status_code == 400
    assert "starts_at" in response.json()["errors"]
    other.refresh_from_db()
    assert other.starts_at == NINE + datetime.timedelta(hours=2)


def test_an_empty_patch_is_a_400(therapist_api, appointment):
    response = therapist_api.patch(detail(appointment), {})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


def test_put_is_not_allowed(therapist_api, appointment):
    assert therapist_api.put(detail(appointment), {"starts_at": iso(NINE)}).status_code == 405


def test_status_confirms_then_records_attendance(front_desk_api, front_desk, appointment):
    path = f"{detail(appointment)}status/"
    assert front_desk_api.post(path, {"status": "confirmed"}).json()["status"] == "confirmed"
    with time_machine.travel(NINE + datetime.timedelta(minutes=2)):
        # A token issued at the appointment's time: one from before would have expired.
        at_the_desk = bearer(front_desk.user)
        assert at_the_desk.post(path, {"status": "attended"}).status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ATTENDED


def test_an_impossible_status_change_is_a_400_on_status(therapist_api, appointment):
    path = f"{detail(appointment)}status/"
    therapist_api.post(path, {"status": "cancelled"})
    response = therapist_api.post(path, {"status": "attended"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_delete_is_405_and_the_appointment_remains(therapist_api, appointment):
    response = therapist_api.delete(detail(appointment))
    assert response.status_code == 405
    assert "cancel instead" in response.json()["detail"]
    assert Appointment.objects.filter(pk=appointment.pk).exists()


def test_the_list_filters_by_therapist_patient_status_kind_and_time(
    therapist_api, patient, therapist, clinic
):
    colleague = make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="dc.two")
    other_patient = make_patient(clinic=clinic, first_name="Jamie")
    early = book(patient, therapist, NINE, kind=Appointment.Kind.EVALUATION)
    late = book(other_patient, colleague, NINE + datetime.timedelta(days=2))
    cancelled = book(patient, therapist, NINE + datetime.timedelta(days=5))
    cancelled.status = Appointment.Status.CANCELLED
    cancelled.save()

    def ids(**params):
        response = therapist_api.get(APPOINTMENTS, params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [early.pk, late.pk, cancelled.pk]
    assert ids(ordering="-starts_at") == [cancelled.pk, late.pk, early.pk]
    assert ids(therapist=colleague.pk) == [late.pk]
    assert ids(patient=patient.pk) == [early.pk, cancelled.pk]
    assert ids(status="cancelled") == [cancelled.pk]
    assert ids(kind="evaluation") == [early.pk]
    day = NINE + datetime.timedelta(days=1)
    assert ids(starts_after=iso(day)) == [late.pk, cancelled.pk]
    assert ids(starts_before=iso(day)) == [early.pk]


def test_the_list_costs_the_same_queries_for_one_or_fifty(therapist_api, patient, therapist):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert therapist_api.get(APPOINTMENTS, {"page_size": 100}).status_code == 200
        return len(captured.captured_queries)

    book(patient, therapist)
    one = queries_for_page()
    for n in range(1, 50):
        book(patient, therapist, NINE + datetime.timedelta(hours=n))
    assert queries_for_page() == one


# Tenancy and roles


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"starts_at": "2031-01-01T09:00:00Z"}),
        ("delete", "", None),
        ("post", "status/", {"status": "cancelled"}),
    ],
)
def test_another_clinic_gets_404_on_every_appointment_endpoint(
    other_therapist_api, appointment, method, suffix, body
):
    response = getattr(other_therapist_api, method)(f"{detail(appointment)}{suffix}", body)
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.starts_at == NINE
    assert appointment.status == Appointment.Status.SCHEDULED


def test_another_clinics_appointments_never_appear(other_therapist_api, appointment):
    assert other_therapist_api.get(APPOINTMENTS).json()["count"] == 0


@pytest.mark.parametrize("field", ["patient", "therapist"])
def test_booking_with_another_clinics_ids_is_a_400_does_not_exist(
    therapist_api, patient, therapist, other_patient, other_therapist, field
):
    body = {"patient": patient.pk, "therapist": therapist.pk, "starts_at": iso(NINE)}
    body[field] = {"patient": other_patient, "therapist": other_therapist}[field].pk
    response = therapist_api.post(APPOINTMENTS, body)
    assert response.status_code == 400
    assert "does not exist" in response.json()["errors"][field][0]
    assert not Appointment.objects.exists()


def test_rescheduling_to_another_clinics_therapist_is_a_400(
    therapist_api, appointment, other_therapist
):
    response = therapist_api.patch(detail(appointment), {"therapist": other_therapist.pk})
    assert response.status_code == 400
    assert "does not exist" in response.json()["errors"]["therapist"][0]


def test_a_patient_gets_403_on_staff_appointments(patient_api, appointment):
    assert patient_api.get(APPOINTMENTS).status_code == 403
    assert patient_api.get(detail(appointment)).status_code == 403
    assert (
        patient_api.post(f"{detail(appointment)}status/", {"status": "cancelled"}).status_code
        == 403
    )


# Bad input


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": "tomorrow at nine"}, "starts_at"),
        ({"starts_at": "2030-02-30T09:00:00Z"}, "starts_at"),
        ({"starts_at": 1893456000}, "starts_at"),
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"duration_minutes": "an hour"}, "duration_minutes"),
        ({"kind": "massage"}, "kind"),
        ({"notes": "nul\x00byte"}, "notes"),
        ({"patient": None}, "patient"),
        ({"patient": "1; drop table"}, "patient"),
        ({"therapist": 2**40}, "therapist"),
        ({"starts_at": "9999-12-31T23:59:00Z"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:00:00+05:00"}, "starts_at"),
    ],
)
def test_bad_booking_input_is_a_400_naming_the_field(
    therapist_api, patient, therapist, overrides, field
):
    body = {"patient": patient.pk, "therapist": therapist.pk, "starts_at": iso(NINE), **overrides}
    response = therapist_api.post(APPOINTMENTS, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "params",
    [
        {"starts_after": "yesterday"},
        {"starts_before": "2030-13-01T00:00:00Z"},
        {"therapist": "me"},
        {"status": "booked"},
        {"starts_before": "0001-01-01T00:00:00+05:00"},
        {"starts_after": "9999-12-31T23:00:00-05:00"},
    ],
)
def test_bad_list_parameters_are_a_400(therapist_api, params):
    assert therapist_api.get(APPOINTMENTS, params).status_code == 400


def test_a_time_filter_with_an_unusual_offset_is_compared_in_utc(therapist_api, appointment):
    # +20:00 is valid ISO 8601 but beyond what PostgreSQL takes; it is converted first.
    after = therapist_api.get(APPOINTMENTS, {"starts_after": "2030-05-07T09:00:00+20:00"})
    before = therapist_api.get(APPOINTMENTS, {"starts_after": "2030-05-07T08:59:00+20:00"})
    assert after.status_code == 200
    assert after.json()["count"] == 1  # 2030-05-06T13:00Z, exactly the start
    assert before.json()["count"] == 1
    later = therapist_api.get(APPOINTMENTS, {"starts_after": "2030-05-07T09:01:00+20:00"})
    assert later.json()["count"] == 0
