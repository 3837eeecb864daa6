"""The visits' parts of the patient admin page (patients.admin_sections): the plans of
care with where the current one stands, the remote monitoring with what it counted and
bills, the visit notes and the coverage, and the actions to add a plan, start
monitoring and add coverage. Each is shown only to roles that may read it: the front
desk sees the coverage, never a note, a plan or the monitoring."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

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

from .admin_plan import status_lines
from .admin_rtm import episode_status
from .billing_models import Coverage
from .note_models import VisitNote
from .rtm_services import open_episode


class VisitNoteInline(ReadOnlyInline):
    model = VisitNote
    fields = readonly_fields = ("visit_on", "kind", "therapist", "signed_at")
    verbose_name_plural = "visit notes"

    def get_queryset(self, request: HttpRequest) -> QuerySet[VisitNote]:
        # The therapist's name on every row: one query for the list, not two a note.
        return super().get_queryset(request).select_related("therapist__user")


class CoverageInline(ReadOnlyInline):
    model = Coverage
    fields = readonly_fields = ("payer", "member_id", "starts_on")
    verbose_name_plural = "coverage"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Coverage]:
        return super().get_queryset(request).select_related("payer")


@admin.display(description="plans of care")
def plans_of_care(patient: Patient) -> str:
    """Every plan, newest first, each linked; the one in force with its deadlines."""
    plans = list(
        patient.plans_of_care.select_related("superseded_by").order_by("-starts_on", "-id")
    )
    if not plans:
        return "No plan of care yet."
    items = []
    for plan in plans:
        url = reverse("admin:visits_planofcare_change", args=[plan.pk])
        lines = status_lines(plan) if plan.superseded_by_id is None else ["Superseded."]
        items.append(
            (
                url,
                str(plan),
                plan.physician_name,
                format_html_join(" ", "{}", ((line,) for line in lines)),
            )
        )
    return format_html(
        '<ul class="plans-of-care">{}</ul>',
        format_html_join("", '<li><a href="{}">{}</a> (certifying: {}): {}</li>', items),
    )


@admin.display(description="remote monitoring")
def remote_monitoring(patient: Patient) -> str:
    episode = open_episode(patient=patient)
    if episode is None:
        return "Not monitored."
    url = reverse("admin:visits_rtmepisode_change", args=[episode.pk])
    return format_html('<p><a href="{}">{}</a></p>{}', url, episode, episode_status(episode))


def _not_monitored(patient: Patient) -> bool:
    return open_episode(patient=patient) is None


# After the progress charts (10): where care stands, then what the app's data bills.
register_panel(
    Panel(
        title="Plan of care",
        field=plans_of_care,
        description=(
            "Recertification is due at 90 days or at the plan's end, whichever comes first; "
            "Medicare asks for a progress report at least every 10 treatment days."
        ),
        permission="visits.view_planofcare",
    ),
    order=20,
)
register_panel(
    Panel(
        title="Remote monitoring",
        field=remote_monitoring,
        description=(
            "Days with data are the patient's own days with a session, a symptom report or "
            "a questionnaire from the app; 16 in a 30-day period bill 98977."
        ),
        permission="visits.view_rtmepisode",
    ),
    order=25,
)

# After the appointments (50), before the exercise sessions (60).
register_inline(VisitNoteInline, order=55)
register_inline(CoverageInline, order=65)

# After "Book appointment" (40), before "Contact consent" (50).
register_link(
    Link(
        "Add plan of care",
        add_page("admin:visits_planofcare_add"),
        permission="visits.add_planofcare",
    ),
    order=44,
)
register_link(
    Link(
        "Start remote monitoring",
        add_page("admin:visits_rtmepisode_add"),
        permission="visits.add_rtmepisode",
        shown_for=_not_monitored,
    ),
    order=45,
)
register_link(
    Link("Add coverage", add_page("admin:visits_coverage_add"), permission="visits.add_coverage"),
    order=46,
)
