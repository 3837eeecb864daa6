"""The programs' parts of the patient admin page (patients.admin_sections): the
prescriptions, the exercise sessions the patient logged in the app, the exercises the
pain rules stopped (each with its Resume page, which comes back here), and the
"Prescribe program" action."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from patients.admin_sections import (
    Link,
    Panel,
    add_page,
    register_inline,
    register_link,
    register_panel,
)
from patients.models import Patient
from practice.admin_base import ReadOnlyInline

from .admin_stops import RESUME_URL, stop_html
from .models import ExerciseSession, PrescribedExercise, Prescription
from .selectors import open_prescription, stopped_exercises


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


def resume_from_patient_page(item: PrescribedExercise, patient: Patient) -> str:
    """The Resume page of `item`, which returns to the patient page when done."""
    back = reverse("admin:patients_patient_change", args=[patient.pk])
    resume = reverse(RESUME_URL, args=[item.prescription_id, item.pk])
    return f"{resume}?{urlencode({'next': back})}"


@admin.display(description="stopped")
def stopped_exercises_list(patient: Patient) -> str:
    """The open program's exercises stopped for pain, each with why and a Resume link
    (a closed program's stops cannot be resumed: the service refuses them)."""
    program = open_prescription(patient)
    if program is None:
        return "No program open."
    stopped = stopped_exercises(program)
    if not stopped:
        return "None: the patient may do every exercise of the program."
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            '<li><strong>{}</strong>: {}<br><a class="button" href="{}">Resume...</a></li>',
            (
                (
                    item.exercise.name,
                    stop_html(item, link=False),
                    resume_from_patient_page(item, patient),
                )
                for item in stopped
            ),
        ),
    )


# Before the progress charts (10): a stop waits for the therapist's review.
register_panel(
    Panel(
        title="Stopped exercises",
        field=stopped_exercises_list,
        description="Stopped by the pain rules until a clinician reviews and resumes them.",
        permission="programs.change_prescribedexercise",
    ),
    order=5,
)

# After the referral outcomes (30); the appointments (50) come between the two.
register_inline(PrescriptionInline, order=40)
register_inline(SessionInline, order=60)

# After "Screen red flags" (20), before "Book appointment" (40).
register_link(
    Link(
        "Prescribe program",
        add_page("admin:programs_prescription_add"),
        permission="programs.add_prescription",
    ),
    order=30,
)
