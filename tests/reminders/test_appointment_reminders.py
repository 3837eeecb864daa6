"""The planner's appointment reminders: lead times, cancelling and rescheduling."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from appointments import services as appointment_services
from reminders.models import Channel, ClinicReminderSettings, Kind, Notification
from reminders.planner import plan
from tests.reminders.planner_helpers import (
    DAY,
    MONDAY,
    H,
    book,
    emailed_therapist,
    new_patient,
    outbox_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_hour_horizon")]


@pytest.fixture
def therapist(clinic):
    return emailed_therapist(clinic)


def test_an_appointment_is_reminded_24_and_2_hours_before(clinic, therapist):
    patient = new_patient(clinic, therapist)
    appointment = book(patient, therapist, MONDAY + 2 * DAY)

    plan(now=MONDAY + DAY - H)  # window holds the 24 h reminder only
    plan(now=MONDAY + 2 * DAY - 3 * H)  # and now the 2 h one

    rows = outbox_rows(Kind.APPOINTMENT)
    assert [(row.source, row.scheduled_for) for row in rows] == [
        (f"appointment:{appointment.pk}:24h", appointment.starts_at - 24 * H),
        (f"appointment:{appointment.pk}:2h", appointment.starts_at - 2 * H),
    ]
    assert {row.channel for row in rows} == {Channel.EMAIL}


def test_appointment_lead_times_come_from_the_clinic(clinic, therapist):
    ClinicReminderSettings.objects.create(clinic=clinic, appointment_lead_hours=[48])
    patient = new_patient(clinic, therapist)
    appointment = book(patient, therapist, MONDAY + 3 * DAY)

    plan(now=MONDAY, horizon=3 * DAY)

    assert [row.source for row in outbox_rows(Kind.APPOINTMENT)] == [
        f"appointment:{appointment.pk}:48h"
    ]


def test_an_attended_appointment_is_not_reminded(clinic, therapist):
    patient = new_patient(clinic, therapist)
    appointment = book(patient, therapist, MONDAY + 25 * H)
    # Attendance is recorded once the visit has begun; a pass planning an earlier window
    # (a late or replayed run) must still leave it alone.
    with time_machine.travel(MONDAY + 25 * H + datetime.timedelta(minutes=5), tick=False):
        appointment_services.appointment_set_status(
            appointment=appointment, status="attended", actor=therapist.user
        )

    plan(now=MONDAY)

    assert outbox_rows(Kind.APPOINTMENT) == []


def test_cancelling_an_appointment_cancels_its_pending_reminders(clinic, therapist):
    patient = new_patient(clinic, therapist)
    appointment = book(patient, therapist, MONDAY + 25 * H)
    plan(now=MONDAY)
    appointment_services.appointment_set_status(
        appointment=appointment, status="cancelled", actor=therapist.user
    )

    result = plan(now=MONDAY + datetime.timedelta(minutes=10))

    (row,) = outbox_rows(Kind.APPOINTMENT)
    assert row.status == Notification.Status.CANCELLED
    assert row.last_error == "The appointment is cancelled."
    assert result.cancelled_by_kind[Kind.APPOINTMENT] == 1


def test_rescheduling_moves_the_reminders(clinic, therapist):
    patient = new_patient(clinic, therapist)
    appointment = book(patient, therapist, MONDAY + 25 * H)
    plan(now=MONDAY)
    appointment_services.appointment_reschedule(
        appointment=appointment, starts_at=MONDAY + 25 * H + datetime.timedelta(minutes=30)
    )

    result = plan(now=MONDAY)

    old, new = outbox_rows(Kind.APPOINTMENT)
    assert old.status == Notification.Status.CANCELLED
    assert old.last_error.startswith("The appointment was moved")
    assert new.status == Notification.Status.PENDING
    assert new.scheduled_for == MONDAY + H + datetime.timedelta(minutes=30)
    assert (
        result.cancelled_by_kind[Kind.APPOINTMENT],
        result.created_by_kind[Kind.APPOINTMENT],
    ) == (1, 1)


def test_an_appointment_moved_back_gets_its_reminder_back(clinic, therapist):
    patient = new_patient(clinic, therapist)
    appointment = book(patient, therapist, MONDAY + 25 * H)
    plan(now=MONDAY)
    moved = MONDAY + 25 * H + datetime.timedelta(minutes=30)
    appointment_services.appointment_reschedule(appointment=appointment, starts_at=moved)
    plan(now=MONDAY)
    appointment_services.appointment_reschedule(appointment=appointment, starts_at=MONDAY + 25 * H)

    result = plan(now=MONDAY)

    statuses = [(row.scheduled_for - MONDAY, row.status) for row in outbox_rows(Kind.APPOINTMENT)]
    assert statuses == [
        (H, Notification.Status.PENDING),
        (H + datetime.timedelta(minutes=30), Notification.Status.CANCELLED),
    ]
    assert result.revived_by_kind[Kind.APPOINTMENT] == 1


def test_a_claimed_appointment_reminder_is_left_to_the_delivery_task(clinic, therapist):
    patient = new_patient(clinic, therapist)
    appointment = book(patient, therapist, MONDAY + 25 * H)
    plan(now=MONDAY)
    Notification.objects.update(status=Notification.Status.SENDING)
    appointment_services.appointment_set_status(
        appointment=appointment, status="cancelled", actor=therapist.user
    )

    plan(now=MONDAY)

    assert [row.status for row in outbox_rows(Kind.APPOINTMENT)] == [Notification.Status.SENDING]
