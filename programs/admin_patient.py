"""The programs' parts of the patient admin page (patients.admin_sections): the
prescriptions, the exercise sessions the patient logged in the app, and the
"Prescribe program" action."""

from __future__ import annotations

from patients.admin_sections import Link, add_page, register_inline, register_link
from practice.admin_base import ReadOnlyInline

from .models import ExerciseSession, Prescription


class PrescriptionInline(ReadOnlyInline):
    model = Prescription
    fields = readonly_fields = ("name", "status", "current_phase", "start_date", "prescribed_by")


class SessionInline(ReadOnlyInline):
    model = ExerciseSession
    fields = readonly_fields = (
        "performed_at",
        "back_pain_before",
        "back_pain_after",
        "leg_pain_before",
        "leg_pain_after",
        "pain_extent",
        "pain_response",
        "during_hold",
        "notes",
    )
    verbose_name_plural = "exercise sessions (from the app)"


# After the referral outcomes (30); the appointments (50) come between the two.
register_inline(PrescriptionInline, order=40)
register_inline(SessionInline, order=60)

# After "Screen red flags" (20), before "Book appointment" (40).
register_link(Link("Prescribe program", add_page("admin:programs_prescription_add")), order=30)
