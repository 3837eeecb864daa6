"""Appointments."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from appointments import services as appointment_services
from appointments.models import Appointment
from patients.models import Patient
from practice.models import StaffMember

from .patients import patient_and_clinician


def make_appointment(
    *,
    patient: Patient | None = None,
    therapist: StaffMember | None = None,
    starts_at: datetime.datetime | None = None,
    **kwargs: Any,
) -> Appointment:
    """A visit booked with the therapist, two days from now on the hour unless given."""
    patient, therapist = patient_and_clinician(patient, therapist)
    soon = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    return appointment_services.appointment_book(
        patient=patient,
        therapist=therapist,
        starts_at=starts_at or soon,
        actor=therapist.user,
        **kwargs,
    )
