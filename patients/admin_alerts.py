"""The clinic's alerts inbox: open alerts first, urgent before routine, newest first,
with a bulk acknowledge."""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.db.models import Case, F, When
from django.utils.html import format_html
from django.utils.text import Truncator

from practice.admin_base import ClinicFilter, ClinicScopedAdmin
from practice.tenancy import staff_of

from . import services
from .alerts import OPEN_ALERT
from .models import ClinicalAlert


class AcknowledgedFilter(admin.SimpleListFilter):
    """The inbox opens on open alerts: neither acknowledged nor resolved (a red-flag alert
    is resolved when its hold is cleared). "All" shows the handled ones too."""

    title = "status"
    parameter_name = "acknowledged"

    def lookups(self, request, model_admin):
        return [
            ("no", "Open (inbox)"),
            ("yes", "Acknowledged"),
            ("resolved", "Resolved"),
            ("all", "All"),
        ]

    def value(self):
        return super().value() or "no"

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(OPEN_ALERT)
        if self.value() == "yes":
            return queryset.filter(acknowledged_at__isnull=False)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


OPEN_FIRST = Case(When(OPEN_ALERT, then=0), default=1)
URGENT_FIRST = Case(When(severity=ClinicalAlert.Severity.URGENT, then=0), default=1)


class AlertTherapistFilter(ClinicFilter):
    title = "primary therapist"
    parameter_name = "therapist"
    field_path = "patient__primary_therapist"


@admin.register(ClinicalAlert)
class ClinicalAlertAdmin(ClinicScopedAdmin):
    """The clinic's alerts inbox: open alerts, urgent first, newest first."""

    audit_patient_path = "patient"
    list_display = [
        "patient",
        "kind",
        "severity_badge",
        "short_message",
        "created_at",
        "acknowledged_by",
        "acknowledged_at",
        "resolved_at",
    ]
    list_display_links = ["patient", "kind"]
    list_filter = [AcknowledgedFilter, "severity", "kind", AlertTherapistFilter]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    list_select_related = ["patient", "acknowledged_by__user"]
    # Replaces the model's ordering, which the changelist would otherwise put first.
    ordering = [
        OPEN_FIRST.asc(),
        URGENT_FIRST.asc(),
        F("created_at").desc(),
    ]
    actions = ["acknowledge"]

    def has_add_permission(self, request) -> bool:
        return False  # alerts are raised by the rules, not typed in

    def get_readonly_fields(self, request, obj=None):
        return [
            "patient",
            "kind",
            "severity",
            "message",
            "screening",
            "created_at",
            "acknowledged_at",
            "acknowledged_by",
            "resolved_at",
            "resolved_by",
            "resolution_note",
        ]

    @admin.display(description="severity", ordering=URGENT_FIRST)
    def severity_badge(self, obj: ClinicalAlert):
        if obj.severity == ClinicalAlert.Severity.URGENT:
            return format_html(
                '<strong style="color:#ba2121">{}</strong>', obj.get_severity_display()
            )
        return obj.get_severity_display()

    @admin.display(description="message")
    def short_message(self, obj: ClinicalAlert) -> str:
        return Truncator(obj.message).chars(140)

    @admin.action(description="Acknowledge selected alerts", permissions=["change"])
    def acknowledge(self, request, queryset):
        staff = staff_of(request.user)
        if staff is None:
            self.message_user(request, "Only clinic staff acknowledge alerts.", messages.ERROR)
            return
        queryset = queryset.select_related("patient__clinic").order_by()
        already = sum(1 for a in queryset if a.acknowledged_at is not None)
        done = sum(
            self.run_service(
                request, str(a), partial(services.alert_acknowledge, alert=a, staff_member=staff)
            )
            for a in queryset
            if a.acknowledged_at is None
        )
        text = f"{done} alert(s) acknowledged."
        if already:
            text += f" {already} already were; their first acknowledgement stands."
        self.message_user(request, text)
