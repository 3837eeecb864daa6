"""Cancelling a patient's waiting messages: theirs, with the reason, and nothing else."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from reminders.models import Channel, Kind, Notification
from reminders.services import notifications_cancel_pending
from tests.factories import make_patient

pytestmark = pytest.mark.django_db

Status = Notification.Status


def row(patient, *, kind=Kind.EXERCISE, staff=None, status=Status.PENDING, tag=""):
    when = timezone.now() + datetime.timedelta(hours=1)
    return Notification.objects.create(
        clinic=patient.clinic,
        patient=patient,
        staff=staff,
        kind=kind,
        channel=Channel.EMAIL,
        source=f"test:{patient.pk}:{kind}:{tag}",
        scheduled_for=when,
        next_attempt_at=when,
        status=status,
    )


def test_cancelling_a_patients_messages_records_the_reason_and_spares_everyone_else(
    patient, therapist, clinic
):
    exercise = row(patient)
    questionnaire = row(patient, kind=Kind.QUESTIONNAIRE)
    alert_to_therapist = row(patient, kind=Kind.URGENT_ALERT, staff=therapist)
    already_sent = row(patient, status=Status.SENT, tag="sent")
    someone_else = row(make_patient(clinic=clinic, first_name="Someone", last_name="Else"))

    cancelled = notifications_cancel_pending(patient=patient, reason="The patient is on hold.")

    assert cancelled == 2
    for cancelled_row in (exercise, questionnaire):
        cancelled_row.refresh_from_db()
        assert cancelled_row.status == Status.CANCELLED
        assert cancelled_row.last_error == "The patient is on hold."
    for kept, status in ((alert_to_therapist, Status.PENDING), (already_sent, Status.SENT)):
        kept.refresh_from_db()
        assert kept.status == status
    someone_else.refresh_from_db()
    assert someone_else.status == Status.PENDING


def test_cancelling_only_some_kinds_leaves_the_others_waiting(patient):
    exercise = row(patient)
    appointment = row(patient, kind=Kind.APPOINTMENT)

    assert notifications_cancel_pending(patient=patient, reason="Held.", kinds=[Kind.EXERCISE]) == 1

    exercise.refresh_from_db()
    appointment.refresh_from_db()
    assert (exercise.status, appointment.status) == (Status.CANCELLED, Status.PENDING)
