"""A patient in the middle of an episode of care: a program, appointments past, under way
and to come, and messages waiting in the outbox."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine

from appointments import services as appointment_services
from appointments.models import Appointment
from practice.models import Role
from reminders.models import Kind, Notification
from tests.factories import make_notification, make_prescription, make_staff

NOW = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=datetime.UTC)  # 10:00 in New York
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic_admin(clinic):
    return make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")


@pytest.fixture
def episode(patient, therapist, diagnosis):
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    book = appointment_services.appointment_book
    record_past = appointment_services.appointment_record_past
    attended = record_past(
        patient=patient, therapist=therapist, starts_at=NOW - 7 * DAY, reason="Walk-in."
    )
    under_way = book(
        patient=patient,
        therapist=therapist,
        starts_at=NOW - datetime.timedelta(minutes=4),
        duration_minutes=30,
    )
    upcoming = [
        book(patient=patient, therapist=therapist, starts_at=NOW + DAY),
        book(patient=patient, therapist=therapist, starts_at=NOW + 8 * DAY, kind="re_evaluation"),
    ]
    confirmed = upcoming[1]
    appointment_services.appointment_set_status(
        appointment=confirmed, status=Appointment.Status.CONFIRMED
    )
    pending = [
        make_notification(patient, kind=kind)
        for kind in (Kind.EXERCISE, Kind.APPOINTMENT, Kind.QUESTIONNAIRE, Kind.NUDGE)
    ]
    sent = make_notification(patient, kind=Kind.EXERCISE, status=Notification.Status.SENT)
    # A staff message may name the patient it is about; it is still not the patient's.
    to_staff = make_notification(patient, kind=Kind.URGENT_ALERT, staff=therapist)
    guidance = make_notification(patient, kind=Kind.HOLD_GUIDANCE)
    return SimpleNamespace(
        program=program,
        attended=attended,
        under_way=under_way,
        upcoming=upcoming,
        pending=pending,
        sent=sent,
        to_staff=to_staff,
        guidance=guidance,
    )
