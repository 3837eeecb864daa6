"""When an appointment may be: never two at once for a patient, never booked into the
past (a past visit is recorded as such, with a reason), attendance only once begun."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from appointments.models import Appointment
from appointments.services import (
    appointment_book,
    appointment_record_past,
    appointment_reschedule,
    appointment_set_status,
)
from patients.models import Patient
from patients.services import patient_set_status
from practice.models import Role
from reminders import planner
from reminders.models import Notification
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db

S = Appointment.Status
NOW = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=datetime.UTC)  # 10:00 in New York
TOMORROW = NOW + datetime.timedelta(days=1)


def _minutes(n: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def colleague(clinic):
    return make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="dc.two")


def _book(patient, therapist, starts_at=TOMORROW, **kwargs):
    return appointment_book(patient=patient, therapist=therapist, starts_at=starts_at, **kwargs)


def _past(patient, therapist, starts_at=NOW - datetime.timedelta(days=1), **kwargs):
    kwargs.setdefault("reason", "Walk-in; the diary was down.")
    return appointment_record_past(
        patient=patient, therapist=therapist, starts_at=starts_at, **kwargs
    )


# A patient is in one appointment at a time, with any therapist.


@pytest.mark.parametrize(("offset", "duration"), [(0, 45), (30, 45), (-30, 45), (44, 30)])
def test_a_patient_cannot_be_in_two_appointments_with_different_therapists(
    patient, therapist, colleague, offset, duration
):
    _book(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        _book(patient, colleague, TOMORROW + _minutes(offset), duration_minutes=duration)
    assert exc.value.message_dict == {
        "starts_at": [
            "Alex Rivera already has an appointment from 2026-06-02 10:00 to 10:45 "
            "(America/New_York) with Sam One, PT, DPT."
        ]
    }
    assert Appointment.objects.count() == 1


def test_the_clash_is_named_in_the_clinics_own_time_zone(clinic, patient, therapist, colleague):
    clinic.time_zone = "America/Los_Angeles"
    clinic.save()
    _book(patient, therapist)
    with pytest.raises(
        ValidationError, match=r"from 2026-06-02 07:00 to 07:45 \(America/Los_Angeles\)"
    ):
        _book(patient, colleague)


def test_back_to_back_appointments_of_one_patient_are_allowed(patient, therapist, colleague):
    _book(patient, therapist)
    _book(patient, colleague, TOMORROW + _minutes(45))
    assert Appointment.objects.filter(patient=patient).count() == 2


@pytest.mark.parametrize("freeing", [S.CANCELLED, S.NO_SHOW])
def test_a_cancelled_or_missed_appointment_does_not_hold_the_patient(
    clock, patient, therapist, colleague, freeing
):
    first = _book(patient, therapist)
    clock.move_to(TOMORROW + _minutes(1))
    appointment_set_status(appointment=first, status=freeing)
    clock.move_to(NOW)
    _book(patient, colleague)
    assert Appointment.objects.filter(patient=patient, therapist=colleague).exists()


def test_rescheduling_into_the_patients_other_appointment_is_refused(patient, therapist, colleague):
    _book(patient, therapist)
    later = _book(patient, colleague, TOMORROW + _minutes(120))
    with pytest.raises(ValidationError, match="Alex Rivera already has an appointment"):
        appointment_reschedule(appointment=later, starts_at=TOMORROW + _minutes(15))
    later.refresh_from_db()
    assert later.starts_at == TOMORROW + _minutes(120)


def test_another_patients_appointment_with_another_therapist_is_no_clash(
    clinic, patient, therapist, colleague
):
    _book(patient, therapist)
    _book(make_patient(clinic=clinic, first_name="Jamie"), colleague)
    assert Appointment.objects.count() == 2


# Not in the past; a small clock skew is allowed.


def test_a_booking_cannot_start_in_the_past(patient, therapist):
    with pytest.raises(ValidationError) as exc:
        _book(patient, therapist, NOW - _minutes(6))
    assert exc.value.message_dict == {
        "starts_at": [
            "An appointment cannot start in the past. To enter a visit that already "
            "happened, record a past visit and give the reason."
        ]
    }
    assert not Appointment.objects.exists()


def test_a_booking_a_few_minutes_behind_the_clock_is_still_a_booking(patient, therapist):
    appointment = _book(patient, therapist, NOW - _minutes(4))
    assert appointment.status == S.SCHEDULED


def test_rescheduling_into_the_past_is_refused(patient, therapist):
    appointment = _book(patient, therapist)
    with pytest.raises(ValidationError, match="cannot start in the past"):
        appointment_reschedule(appointment=appointment, starts_at=NOW - _minutes(60))
    appointment.refresh_from_db()
    assert appointment.starts_at == TOMORROW


def test_an_appointment_under_way_may_change_therapist(clock, patient, therapist, colleague):
    appointment = _book(patient, therapist)
    clock.move_to(TOMORROW + _minutes(20))  # well past the clock-skew allowance
    appointment_reschedule(appointment=appointment, starts_at=TOMORROW, therapist=colleague)
    appointment.refresh_from_db()
    assert appointment.therapist == colleague


@pytest.mark.parametrize(
    "starts_at",
    [
        datetime.datetime(1999, 12, 31, 23, 59, tzinfo=datetime.UTC),
        datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(2099, 12, 31, 23, 30, tzinfo=datetime.UTC),  # ends in 2100
        datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC),  # no overflow either
        datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.UTC),
    ],
)
def test_appointment_dates_outside_2000_to_2099_are_refused(patient, therapist, starts_at):
    message = {"starts_at": ["Choose a time between the years 2000 and 2099."]}
    with pytest.raises(ValidationError) as booking:
        _book(patient, therapist, starts_at)
    assert booking.value.message_dict == message
    with pytest.raises(ValidationError) as past:
        _past(patient, therapist, starts_at)
    assert past.value.message_dict == message
    assert not Appointment.objects.exists()


def test_the_first_and_last_possible_dates_are_accepted(clock, patient, therapist):
    _past(patient, therapist, datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    _book(patient, therapist, datetime.datetime(2099, 12, 31, 23, 15, tzinfo=datetime.UTC))
    assert Appointment.objects.count() == 2


def test_a_time_without_a_zone_is_refused(patient, therapist):
    with pytest.raises(ValidationError, match="time zone"):
        _book(patient, therapist, datetime.datetime(2026, 6, 2, 10, 0))  # noqa: DTZ001  the naive time under test


# Attended and no-show only once the appointment has started.


@pytest.mark.parametrize("outcome", [S.ATTENDED, S.NO_SHOW])
def test_attendance_cannot_be_recorded_before_the_appointment_starts(
    clock, patient, therapist, outcome
):
    appointment = _book(patient, therapist)
    clock.move_to(TOMORROW - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError) as exc:
        appointment_set_status(appointment=appointment, status=outcome)
    assert exc.value.message_dict == {
        "status": [
            f"An appointment can be marked {outcome.label.lower()} only once it has started "
            "(2026-06-02 10:00 to 10:45 (America/New_York))."
        ]
    }
    appointment.refresh_from_db()
    assert appointment.status == S.SCHEDULED
    clock.move_to(TOMORROW)
    assert appointment_set_status(appointment=appointment, status=outcome).status == outcome


def test_an_appointment_to_come_can_be_confirmed_and_cancelled(patient, therapist):
    appointment = _book(patient, therapist)
    appointment_set_status(appointment=appointment, status=S.CONFIRMED)
    assert appointment_set_status(appointment=appointment, status=S.CANCELLED).status == (
        S.CANCELLED
    )


# A past visit is its own action, with a reason, and is never reminded of.


def test_a_past_visit_is_stored_with_its_outcome_and_reason(patient, therapist, front_desk):
    visit = _past(
        patient,
        therapist,
        duration_minutes=30,
        kind=Appointment.Kind.EVALUATION,
        reason="  Seen as a walk-in.  ",
        actor=front_desk.user,
    )
    visit.refresh_from_db()
    assert visit.status == S.ATTENDED
    assert visit.late_entry_reason == "Seen as a walk-in."
    assert visit.ends_at == visit.starts_at + _minutes(30)
    assert visit.history.get().history_user == front_desk.user


def test_a_missed_past_visit_can_be_recorded(patient, therapist):
    assert _past(patient, therapist, status=S.NO_SHOW).status == S.NO_SHOW


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_past_visit_needs_a_reason(patient, therapist, reason):
    with pytest.raises(ValidationError) as exc:
        _past(patient, therapist, reason=reason)
    assert exc.value.message_dict == {
        "late_entry_reason": ["Say why this visit is recorded after it happened."]
    }
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("status", [S.SCHEDULED, S.CONFIRMED, S.CANCELLED])
def test_a_past_visit_is_attended_or_missed(patient, therapist, status):
    with pytest.raises(ValidationError) as exc:
        _past(patient, therapist, status=status)
    assert exc.value.message_dict == {
        "status": ["A past visit is recorded as attended or no-show."]
    }


def test_a_visit_still_to_come_cannot_be_recorded_as_past(patient, therapist):
    with pytest.raises(ValidationError) as exc:
        _past(patient, therapist, NOW + datetime.timedelta(seconds=1))
    assert exc.value.message_dict == {
        "starts_at": ["This visit has not started yet; book it as an appointment instead."]
    }
    _past(patient, therapist, NOW)  # starting now has started
    assert Appointment.objects.count() == 1


def test_past_visits_cannot_overlap_for_the_patient(patient, therapist, colleague):
    first = _past(patient, therapist)
    with pytest.raises(ValidationError, match="Alex Rivera already has an appointment"):
        _past(patient, colleague, first.starts_at + _minutes(10))


def test_a_past_visit_of_a_discharged_patient_can_be_recorded_but_not_of_an_archived_one(
    patient, therapist
):
    patient_set_status(patient=patient, status=Patient.Status.DISCHARGED)
    assert _past(patient, therapist).pk is not None
    patient_set_status(patient=patient, status=Patient.Status.ARCHIVED)
    with pytest.raises(ValidationError) as exc:
        _past(patient, therapist, NOW - datetime.timedelta(days=3))
    assert exc.value.message_dict == {
        "patient": [f"{patient} is archived; reactivate the patient first."]
    }


def test_a_past_visit_of_another_clinics_therapist_is_refused(patient, other_therapist):
    with pytest.raises(ValidationError) as exc:
        _past(patient, other_therapist)
    assert exc.value.message_dict == {"therapist": ["Not found in this clinic."]}


def test_a_past_visit_sends_no_reminder(patient, therapist):
    patient.consent_email = True
    patient.save()
    _past(patient, therapist, NOW - _minutes(30))
    booked = _book(patient, therapist, NOW + datetime.timedelta(hours=3))
    planner.plan(now=NOW)
    reminded = set(
        Notification.objects.filter(patient=patient, source__startswith="appointment:").values_list(
            "source", flat=True
        )
    )
    assert reminded == {f"appointment:{booked.pk}:2h"}


def test_a_booking_exactly_at_the_skew_allowance_is_accepted(patient, therapist):
    assert _book(patient, therapist, NOW - _minutes(5)).pk is not None


def test_a_clash_past_midnight_names_both_dates(patient, therapist, colleague):
    late = datetime.datetime(2026, 6, 3, 3, 30, tzinfo=datetime.UTC)  # 23:30 in New York
    _book(patient, therapist, late)
    with pytest.raises(ValidationError) as exc:
        _book(patient, colleague, late + _minutes(30))
    assert "from 2026-06-02 23:30 to 2026-06-03 00:15 (America/New_York)" in str(exc.value)


def test_a_discharged_patients_appointment_cannot_be_moved(patient, therapist):
    appointment = _book(patient, therapist)
    patient_set_status(patient=patient, status=Patient.Status.DISCHARGED)
    with pytest.raises(ValidationError) as exc:
        appointment_reschedule(appointment=appointment, starts_at=TOMORROW + _minutes(60))
    assert exc.value.message_dict == {"patient": [f"{patient} is discharged."]}


def test_a_missed_past_visit_neither_blocks_nor_is_blocked(patient, therapist, colleague):
    attended = _past(patient, therapist)
    missed = _past(patient, colleague, attended.starts_at, status=S.NO_SHOW)
    assert missed.status == S.NO_SHOW
    _past(patient, colleague, attended.starts_at + _minutes(60))
    assert Appointment.objects.count() == 3
