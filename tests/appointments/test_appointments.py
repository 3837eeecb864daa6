"""Booking appointments: a clinician of the clinic, never double-booked.

The clock stands a few days before the appointments booked here (see `_before_nine`);
tests/practice/test_appointment_times.py covers the past and the patient's own diary."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from appointments.models import Appointment
from appointments.services import appointment_book, appointment_reschedule, appointment_set_status
from patients.models import Patient
from patients.services import patient_set_status
from practice.models import Role
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db

S = Appointment.Status
NINE = datetime.datetime(2026, 5, 4, 13, 0, tzinfo=datetime.UTC)  # 09:00 in New York


@pytest.fixture(autouse=True)
def _before_nine():
    with time_machine.travel(NINE - datetime.timedelta(days=3)):
        yield


def _minutes(n: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


@pytest.fixture
def second_patient(clinic):
    return make_patient(clinic=clinic, first_name="Jamie", last_name="Chen")


def _set(appointment, status, **kwargs):
    """Set a status at the appointment's time: attendance needs the appointment begun."""
    with time_machine.travel(appointment.starts_at + _minutes(1)):
        return appointment_set_status(appointment=appointment, status=status, **kwargs)


def _book(patient, therapist, starts_at=NINE, **kwargs):
    return appointment_book(patient=patient, therapist=therapist, starts_at=starts_at, **kwargs)


def test_booking_stores_the_end_time_and_the_booker(patient, therapist, front_desk):
    appointment = _book(
        patient,
        therapist,
        duration_minutes=60,
        kind=Appointment.Kind.EVALUATION,
        actor=front_desk.user,
    )
    appointment.refresh_from_db()
    assert appointment.starts_at == NINE
    assert appointment.ends_at == NINE + _minutes(60)
    assert appointment.status == S.SCHEDULED
    assert appointment.kind == Appointment.Kind.EVALUATION
    assert appointment.history.get().history_user == front_desk.user


@pytest.mark.parametrize(
    ("offset", "duration"),
    [
        (0, 45),  # the same slot
        (30, 45),  # starts inside
        (-30, 45),  # ends inside
        (-10, 120),  # covers it
        (10, 10),  # inside it
        (44, 30),  # one minute of overlap at the end
    ],
)
def test_double_booking_the_same_therapist_is_refused(
    patient, second_patient, therapist, offset, duration
):
    first = _book(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        _book(second_patient, therapist, NINE + _minutes(offset), duration_minutes=duration)
    message = exc.value.message_dict["starts_at"][0]
    assert "already booked from 2026-05-04 09:00 to 09:45 (America/New_York)" in message
    assert str(therapist) in message
    assert list(Appointment.objects.all()) == [first]


@pytest.mark.parametrize("offset", [45, -45])
def test_back_to_back_appointments_are_allowed(patient, second_patient, therapist, offset):
    _book(patient, therapist)
    _book(second_patient, therapist, NINE + _minutes(offset))
    assert Appointment.objects.count() == 2


def test_another_therapist_may_be_booked_at_the_same_time(
    clinic, patient, second_patient, therapist
):
    colleague = make_staff(clinic=clinic, role=Role.CHIROPRACTOR)
    _book(patient, therapist)
    _book(second_patient, colleague)
    assert Appointment.objects.count() == 2


@pytest.mark.parametrize("freeing", [S.CANCELLED, S.NO_SHOW])
def test_cancelled_and_no_show_appointments_do_not_block_the_slot(
    patient, second_patient, therapist, freeing
):
    first = _book(patient, therapist)
    _set(first, freeing)
    second = _book(second_patient, therapist)
    assert second.pk != first.pk


@pytest.mark.parametrize("holding", [S.CONFIRMED, S.ATTENDED])
def test_confirmed_and_attended_appointments_block_the_slot(
    patient, second_patient, therapist, holding
):
    first = _book(patient, therapist)
    _set(first, holding)
    with pytest.raises(ValidationError, match="already booked"):
        _book(second_patient, therapist)


def test_a_therapist_of_another_clinic_cannot_be_booked(patient, other_therapist):
    with pytest.raises(ValidationError) as exc:
        _book(patient, other_therapist)
    assert exc.value.message_dict == {"therapist": ["Not found in this clinic."]}
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINIC_ADMIN])
def test_staff_who_are_not_clinicians_cannot_be_booked_as_therapist(clinic, patient, role):
    staff = make_staff(clinic=clinic, role=role)
    with pytest.raises(ValidationError) as exc:
        _book(patient, staff)
    assert "not a clinician" in exc.value.message_dict["therapist"][0]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("duration", [0, 4, 481, -45])
def test_a_duration_outside_5_to_480_minutes_is_refused(patient, therapist, duration):
    with pytest.raises(ValidationError) as exc:
        _book(patient, therapist, duration_minutes=duration)
    assert "duration_minutes" in exc.value.message_dict
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("status", [Patient.Status.DISCHARGED, Patient.Status.ARCHIVED])
def test_a_patient_who_is_not_active_cannot_be_booked(patient, therapist, status):
    patient_set_status(patient=patient, status=status)
    with pytest.raises(ValidationError) as exc:
        _book(patient, therapist)
    assert "patient" in exc.value.message_dict
    assert not Appointment.objects.exists()


def test_rescheduling_moves_the_appointment(patient, therapist):
    appointment = _book(patient, therapist)
    later = NINE + datetime.timedelta(days=1)
    appointment_reschedule(appointment=appointment, starts_at=later, duration_minutes=30)
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.ends_at) == (later, later + _minutes(30))
    assert appointment.duration_minutes == 30


def test_rescheduling_a_confirmed_appointment_needs_confirming_again(patient, therapist):
    appointment = _book(patient, therapist)
    _set(appointment, S.CONFIRMED)
    appointment.refresh_from_db()
    appointment_reschedule(appointment=appointment, starts_at=NINE + _minutes(120))
    appointment.refresh_from_db()
    assert appointment.status == S.SCHEDULED


def test_rescheduling_within_its_own_slot_does_not_clash_with_itself(patient, therapist):
    appointment = _book(patient, therapist)
    appointment_reschedule(appointment=appointment, starts_at=NINE + _minutes(15))
    appointment.refresh_from_db()
    assert appointment.starts_at == NINE + _minutes(15)


def test_rescheduling_into_a_clash_is_refused_and_keeps_the_old_time(
    patient, second_patient, therapist
):
    _book(patient, therapist)
    other = _book(second_patient, therapist, NINE + _minutes(60))
    with pytest.raises(ValidationError) as exc:
        appointment_reschedule(appointment=other, starts_at=NINE + _minutes(30))
    assert "already booked" in exc.value.message_dict["starts_at"][0]
    other.refresh_from_db()
    assert other.starts_at == NINE + _minutes(60)


def test_rescheduling_to_another_therapist_checks_that_therapists_diary(
    clinic, patient, second_patient, therapist
):
    colleague = make_staff(clinic=clinic, role=Role.PHYSIATRIST)
    _book(patient, colleague)
    mine = _book(second_patient, therapist)
    with pytest.raises(ValidationError, match="already booked"):
        appointment_reschedule(appointment=mine, starts_at=NINE, therapist=colleague)
    appointment_reschedule(appointment=mine, starts_at=NINE + _minutes(45), therapist=colleague)
    mine.refresh_from_db()
    assert mine.therapist == colleague


def test_rescheduling_to_a_therapist_of_another_clinic_is_refused(
    patient, therapist, other_therapist
):
    appointment = _book(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        appointment_reschedule(appointment=appointment, starts_at=NINE, therapist=other_therapist)
    assert "therapist" in exc.value.message_dict
    appointment.refresh_from_db()
    assert appointment.therapist == therapist


def test_rescheduling_to_front_desk_is_refused(patient, therapist, front_desk):
    appointment = _book(patient, therapist)
    with pytest.raises(ValidationError):
        appointment_reschedule(appointment=appointment, starts_at=NINE, therapist=front_desk)


@pytest.mark.parametrize("outcome", [S.ATTENDED, S.CANCELLED, S.NO_SHOW])
def test_an_appointment_with_an_outcome_cannot_be_moved(patient, therapist, outcome):
    appointment = _book(patient, therapist)
    _set(appointment, outcome)
    appointment.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be moved"):
        appointment_reschedule(appointment=appointment, starts_at=NINE + _minutes(120))
    appointment.refresh_from_db()
    assert appointment.starts_at == NINE


@pytest.mark.parametrize("duration", [481, 1000])
def test_rescheduling_to_an_impossible_duration_is_refused(patient, therapist, duration):
    appointment = _book(patient, therapist)
    with pytest.raises(ValidationError):
        appointment_reschedule(appointment=appointment, starts_at=NINE, duration_minutes=duration)
    appointment.refresh_from_db()
    assert appointment.duration_minutes == 45


@pytest.mark.parametrize(
    ("path", "final"),
    [
        ([S.CONFIRMED], S.CONFIRMED),
        ([S.CONFIRMED, S.ATTENDED], S.ATTENDED),
        ([S.CONFIRMED, S.CANCELLED], S.CANCELLED),
        ([S.CONFIRMED, S.NO_SHOW], S.NO_SHOW),
        ([S.ATTENDED], S.ATTENDED),
        ([S.CANCELLED], S.CANCELLED),
        ([S.NO_SHOW], S.NO_SHOW),
    ],
)
def test_allowed_status_transitions(patient, therapist, front_desk, path, final):
    appointment = _book(patient, therapist)
    for status in path:
        appointment = _set(appointment, status, actor=front_desk.user)
    appointment.refresh_from_db()
    assert appointment.status == final
    assert appointment.history.first().history_user == front_desk.user


@pytest.mark.parametrize(
    ("outcome", "target"),
    [
        (S.ATTENDED, S.CANCELLED),
        (S.ATTENDED, S.SCHEDULED),
        (S.CANCELLED, S.CONFIRMED),
        (S.CANCELLED, S.SCHEDULED),
        (S.NO_SHOW, S.ATTENDED),
    ],
)
def test_an_outcome_is_final(patient, therapist, outcome, target):
    appointment = _book(patient, therapist)
    _set(appointment, outcome)
    with pytest.raises(ValidationError) as exc:
        _set(appointment, target)
    assert (
        f"{outcome.label.lower()} appointment cannot become {target.label.lower()}"
        in exc.value.message_dict["status"][0]
    )
    appointment.refresh_from_db()
    assert appointment.status == outcome


def test_a_confirmed_appointment_cannot_go_back_to_scheduled(patient, therapist):
    appointment = _book(patient, therapist)
    _set(appointment, S.CONFIRMED)
    with pytest.raises(ValidationError):
        _set(appointment, S.SCHEDULED)


def test_setting_the_same_status_is_harmless(patient, therapist):
    appointment = _book(patient, therapist)
    assert _set(appointment, S.SCHEDULED).status == (S.SCHEDULED)
    assert appointment.history.count() == 1


def test_rescheduling_to_a_zero_duration_is_refused(patient, therapist):
    appointment = _book(patient, therapist)
    with pytest.raises(ValidationError):
        appointment_reschedule(appointment=appointment, starts_at=NINE, duration_minutes=0)
