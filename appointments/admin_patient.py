"""The appointments' list on the patient admin page (patients.admin_sections)."""

from __future__ import annotations

from patients.admin_sections import register_inline
from practice.admin_base import ReadOnlyInline

from .models import Appointment


class AppointmentInline(ReadOnlyInline):
    model = Appointment
    fields = readonly_fields = ("starts_at", "kind", "status", "therapist", "duration_minutes")


# Between the prescriptions (40) and the exercise sessions (60).
register_inline(AppointmentInline, order=50)
