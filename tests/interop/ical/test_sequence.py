"""Every way an appointment's time, place or status changes raises its SEQUENCE (the
`sequence` a feed's event carries), the bulk cancellations and a series' included; what
a calendar does not show (kind, notes, a check-in) leaves it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from appointments import services
from appointments.arrivals import appointment_check_in
from appointments.cancel import appointment_cancel
from appointments.cancellations import appointments_cancel_upcoming
from appointments.models import Appointment
from appointments.patient_changes import appointment_cancel_by_patient, appointment_confirm
from appointments.series import appointment_series_book, appointment_series_cancel_rest
from tests.factories import make_appointment, make_patient_user

pytestmark = pytest.mark.django_db


def _sequence(appointment: Appointment) -> int:
    return Appointment.objects.values_list("sequence", flat=True).get(pk=appointment.pk)


def _reschedule(a: Appointment, actor) -> None:
    services.appointment_reschedule(
        appointment=a, starts_at=a.starts_at + datetime.timedelta(hours=2), actor=actor
    )


def _longer(a: Appointment, actor) -> None:
    services.appointment_reschedule(
        appointment=a, starts_at=a.starts_at, duration_minutes=60, actor=actor
    )


CHANGES = {
    "rescheduled": _reschedule,
    "made longer": _longer,
    "moved to another room": lambda a, actor: services.appointment_change_details(
        appointment=a, location="Room 4", actor=actor
    ),
    "made a video visit": lambda a, actor: services.appointment_change_details(
        appointment=a, telehealth_url="https://video.example.com/x", actor=actor
    ),
    "confirmed by staff": lambda a, actor: services.appointment_set_status(
        appointment=a, status=Appointment.Status.CONFIRMED, actor=actor
    ),
    "cancelled by the clinic": lambda a, actor: appointment_cancel(
        appointment=a, reason="Closed for snow.", actor=actor
    ),
    "cancelled on discharge": lambda a, actor: appointments_cancel_upcoming(
        patient=a.patient, reason="Discharged.", actor=actor
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_of_time_place_or_status_raises_the_sequence(change, patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist)
    before = _sequence(appointment)

    CHANGES[change](appointment, therapist.user)

    assert _sequence(appointment) == before + 1


def test_the_patient_confirming_and_cancelling_in_the_app_raise_it(patient, therapist):
    user = make_patient_user(patient).user
    confirmed = make_appointment(patient=patient, therapist=therapist)
    cancelled = make_appointment(
        patient=patient, therapist=therapist, starts_at=confirmed.starts_at + datetime.timedelta(1)
    )

    appointment_confirm(appointment=confirmed, actor=user)
    appointment_cancel_by_patient(appointment=cancelled, actor=user)

    assert (_sequence(confirmed), _sequence(cancelled)) == (1, 1)


def test_a_visit_marked_attended_raises_it(patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist)
    with time_machine.travel(appointment.starts_at + datetime.timedelta(minutes=5)):
        services.appointment_set_status(
            appointment=appointment, status=Appointment.Status.ATTENDED, actor=therapist.user
        )

    assert _sequence(appointment) == 1


def test_cancelling_the_rest_of_a_series_raises_each_visit_once(patient, therapist):
    first = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
    series = appointment_series_book(
        patient=patient, therapist=therapist, first_starts_at=first, weeks=3, actor=therapist.user
    )

    appointment_series_cancel_rest(appointment=series[1], actor=therapist.user)

    assert [_sequence(a) for a in series] == [0, 1, 1]


# Mid-morning in New York, the clinic's zone, so the visit an hour later is today's.
_MORNING = datetime.datetime(2027, 2, 10, 15, 0, tzinfo=datetime.UTC)


@time_machine.travel(_MORNING, tick=False)
def test_what_a_calendar_does_not_show_leaves_it(patient, therapist):
    appointment = make_appointment(
        patient=patient, therapist=therapist, starts_at=_MORNING + datetime.timedelta(hours=1)
    )

    services.appointment_change_details(
        appointment=appointment, kind=Appointment.Kind.RE_EVALUATION, notes="Bring the MRI."
    )
    appointment_check_in(appointment=appointment, actor=therapist.user)

    assert _sequence(appointment) == 0
