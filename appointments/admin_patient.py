"""The appointments' parts of the patient admin page (patients.admin_sections): their
list and the "Book appointment" action."""

from __future__ import annotations

from patients.admin_sections import Link, add_page, register_inline, register_link
from practice.admin_base import ReadOnlyInline

from .models import Appointment


class AppointmentInline(ReadOnlyInline):
    model = Appointment
    fields = readonly_fields = ("starts_at", "kind", "status", "therapist", "duration_minutes")


# Between the prescriptions (40) and the exercise sessions (60).
register_inline(AppointmentInline, order=50)

# After "Prescribe program" (30), before "Contact consent" (50).
register_link(
    Link(
        "Book appointment",
        add_page("admin:appointments_appointment_add"),
        permission="appointments.add_appointment",
    ),
    order=40,
)
