from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from practice.admin_base import ClinicScopedAdmin

from . import admin_patient  # noqa: F401  (registers the patient page's charts)
from .admin_in_clinic import InClinicPagesMixin
from .models import QuestionnaireResponse


@admin.register(QuestionnaireResponse)
class QuestionnaireResponseAdmin(InClinicPagesMixin, ClinicScopedAdmin):
    """Answers as the patient gave them, in the app or to a clinician in the clinic
    (admin_in_clinic's pages): readable, never edited here."""

    audit_patient_path = "patient"
    list_display = [
        "patient",
        "code",
        "occasion",
        "score",
        "band",
        "subscale",
        "answered_at",
        "entered",
    ]
    list_filter = ["code", "occasion", "band"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    list_select_related = ["patient", "entered_by__user"]
    date_hierarchy = "answered_at"
    fields = readonly_fields = (
        "patient",
        "code",
        "occasion",
        "due_on",
        "answered_at",
        "score",
        "band",
        "subscale",
        "answers_table",
        "entered",
        "created_at",
    )

    def has_add_permission(self, request) -> bool:
        return False  # patients answer in the app; clinicians on the in-clinic pages

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="entered by", ordering="entered_by")
    def entered(self, obj: QuestionnaireResponse) -> str:
        return str(obj.entered_by) if obj.entered_by_id else "The patient, in the app"

    @admin.display(description="answers")
    def answers_table(self, obj: QuestionnaireResponse):
        rows = []
        for item in obj.instrument.items:
            value = (obj.answers or {}).get(item.key)
            chosen = next((o.label for o in item.options if o.value == value), None)
            rows.append((item.text, "(skipped)" if chosen is None else chosen))
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )
