"""Patients, programs and outbox reads shared by the planner tests."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from appointments import services as appointment_services
from patients.models import Patient
from practice.models import Role, StaffMember
from programs.models import Prescription
from reminders.models import Kind, Notification
from tests.factories import make_diagnosis, make_patient, make_prescription, make_staff

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
H = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# A Monday, 10:00 in New York: awake, and nowhere near a DST change.
MONDAY = datetime.datetime(2027, 1, 11, 15, 0, tzinfo=UTC)


def emailed_therapist(clinic) -> StaffMember:
    """The primary therapist of the planner tests, with an email for their alerts."""
    staff = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.one")
    staff.user.email = "pt.one@example.com"
    staff.user.save(update_fields=["email"])
    return staff


def new_patient(clinic, therapist, **fields) -> Patient:
    fields.setdefault("consent_email", True)
    return make_patient(clinic=clinic, primary_therapist=therapist, **fields)


def prescribe(patient, therapist, **kwargs) -> Prescription:
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist, **kwargs)


def outbox_rows(kind=Kind.EXERCISE, **filters):
    return list(Notification.objects.filter(kind=kind, **filters).order_by("scheduled_for"))


def book(patient, therapist, starts_at):
    return appointment_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=starts_at
    )
