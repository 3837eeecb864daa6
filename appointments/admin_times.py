"""The patient's own time of a visit, beside the clinic's, where the two differ: a
patient who moved to Chicago reads "09:00" in the app for a 10:00 visit in New York,
and the desk on the phone with them should see that too."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from core.localtime import patient_zone

from .models import Appointment


def patient_time_text(appointment: Appointment) -> str:
    """The start in the patient's zone when its wall time differs from the admin's
    (the clinic's); "" when they read the same. Reads `appointment.patient`: select it
    with the rows."""
    clinic_time = timezone.localtime(appointment.starts_at)
    zone = patient_zone(appointment.patient)
    own = appointment.starts_at.astimezone(zone)
    if own.replace(tzinfo=None) == clinic_time.replace(tzinfo=None):
        return ""
    return f"{own:%Y-%m-%d %H:%M} ({appointment.patient.time_zone})"


@admin.display(description="patient's own time")
def patient_time(appointment: Appointment) -> str:
    return patient_time_text(appointment) or "-"


def beside_start(fields: list[object]) -> list[object]:
    """The change page's fields with the patient's own time moved next to the start."""
    if patient_time not in fields or "starts_at" not in fields:
        return fields
    rest = [f for f in fields if f is not patient_time]
    at = rest.index("starts_at") + 1
    return [*rest[:at], patient_time, *rest[at:]]
