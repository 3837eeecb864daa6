"""A patient in the middle of an episode of care: a program, appointments past, under way
and to come, and messages waiting in the outbox."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine

from practice import services as practice_services
from practice.models import Appointment, Role
from reminders.models import Channel, Kind, Notification
from tests.factories import make_prescription, make_staff

NOW = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=datetime.UTC)  # 10:00 in New York
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic_admin(clinic):
    return make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")


def outbox_row(patient, *, kind: str, status: str = Notification.Status.PENDING, staff=None):
    return Notification.objects.create(
        clinic=patient.clinic,
        # A staff message may name the patient it is about; it is still not the patient's.
        patient=patient,
        staff=staff,
        kind=kind,
        channel=Channel.EMAIL,
        source=f"test:{kind}:{status}:{Notification.objects.count()}",
        scheduled_for=NOW + datetime.timedelta(hours=1),
        next_attempt_at=NOW + datetime.timedelta(hours=1),
        status=status,
    )


@pytest.fixture
def episode(patient, therapist, diagnosis):
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    book = practice_services.appointment_book
    record_past = practice_services.appointment_record_past
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
    practice_services.appointment_set_status(
        appointment=confirmed, status=Appointment.Status.CONFIRMED
    )
    pending = [
        outbox_row(patient, kind=kind)
        for kind in (Kind.EXERCISE, Kind.APPOINTMENT, Kind.QUESTIONNAIRE, Kind.NUDGE)
    ]
    sent = outbox_row(patient, kind=Kind.EXERCISE, status=Notification.Status.SENT)
    to_staff = outbox_row(patient, kind=Kind.URGENT_ALERT, staff=therapist)
    guidance = outbox_row(patient, kind=Kind.HOLD_GUIDANCE)
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
