"""The clinic's alerts inbox: open alerts first, urgent before routine, newest first,
with bulk acknowledge and resolve; each alert's page is read-only but for its
Acknowledge and Resolve buttons. Both go through patients.services, as the API does."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Case, F, QuerySet, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from core.access_log import CHANGE, VIEW
from practice.admin_base import ClinicFilter, ClinicScopedAdmin
from practice.models import StaffMember
from practice.tenancy import staff_of

from . import services
from .alerts import OPEN_ALERT
from .models import ClinicalAlert

ACT_PERMISSION = "patients.change_clinicalalert"
READ_ONLY_PAGE = "An alert changes only by Acknowledge or Resolve."


class ResolveForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How the matter was closed (who was called, what was advised).",
    )


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
    actions = ["acknowledge", "resolve_selected"]

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

    def get_urls(self):
        return [
            path(
                "<path:object_id>/acknowledge/",
                self.admin_site.admin_view(self.acknowledge_view),
                name="patients_clinicalalert_acknowledge",
            ),
            path(
                "<path:object_id>/resolve/",
                self.admin_site.admin_view(self.resolve_view),
                name="patients_clinicalalert_resolve",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            # No free-form Save: the page's buttons are the only writes. Refused before
            # the access log, which would count a posted page as a change.
            self.get_object(request, object_id)  # another clinic's: 404
            messages.error(request, READ_ONLY_PAGE)
            return HttpResponseRedirect(request.get_full_path())
        return super().change_view(request, object_id, form_url, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "can_act": request.user.has_perm(ACT_PERMISSION),
            "resolve_form": ResolveForm(),
        }
        return super().changeform_view(request, object_id, form_url, context)

    def _acting_staff(
        self, request: HttpRequest, alert: ClinicalAlert
    ) -> tuple[StaffMember | None, HttpResponseRedirect]:
        """The staff member acting, or None with the refusal already in the messages."""
        back = HttpResponseRedirect(reverse("admin:patients_clinicalalert_change", args=[alert.pk]))
        if request.method != "POST":
            return None, back
        if not request.user.has_perm(ACT_PERMISSION):
            messages.error(request, "Your role cannot acknowledge or resolve alerts.")
            if not self.has_view_permission(request, alert):
                back = HttpResponseRedirect(reverse("admin:index"))
            return None, back
        staff = staff_of(request.user)
        if staff is None:
            messages.error(request, "Only clinic staff acknowledge or resolve alerts.")
        return staff, back

    def acknowledge_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        alert: ClinicalAlert = self.get_object(request, object_id)  # another clinic's: 404
        staff, back = self._acting_staff(request, alert)
        if staff is None:
            return back
        done = alert.acknowledged_at is None
        if self.run_service(
            request,
            str(alert),
            lambda: services.alert_acknowledge(alert=alert, staff_member=staff),
        ):
            self.log_patient_access(request, [alert.patient_id], CHANGE)
            if done:
                messages.success(request, "Alert acknowledged.")
            else:
                messages.info(request, "Already acknowledged; the first acknowledgement stands.")
        return back

    def resolve_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        alert: ClinicalAlert = self.get_object(request, object_id)  # another clinic's: 404
        staff, back = self._acting_staff(request, alert)
        if staff is None:
            return back
        if alert.resolved_at is not None:
            messages.info(request, "Already resolved; the first resolution stands.")
            return back
        form = ResolveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Resolve: say how the matter was closed.")
            return back
        note = form.cleaned_data["note"]
        if self.run_service(
            request,
            "Resolve",
            lambda: services.alert_resolve(alert=alert, staff_member=staff, note=note),
        ):
            self.log_patient_access(request, [alert.patient_id], CHANGE)
            messages.success(request, "Alert resolved.")
        return back

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

    @admin.action(description="Acknowledge selected", permissions=["change"])
    def acknowledge(self, request, queryset):
        staff = staff_of(request.user)
        if staff is None:
            self.message_user(request, "Only clinic staff acknowledge alerts.", messages.ERROR)
            return
        selected = list(queryset.order_by())
        try:
            done = services.alerts_acknowledge(alerts=selected, staff_member=staff)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.log_patient_access(request, [a.patient_id for a in done], CHANGE)
        already = len(selected) - len(done)
        text = f"{len(done)} alert(s) acknowledged."
        if already:
            text += f" {already} already were; their first acknowledgement stands."
        self.message_user(request, text)

    @admin.action(description="Resolve selected", permissions=["change"])
    def resolve_selected(self, request: HttpRequest, queryset: QuerySet[ClinicalAlert]):
        """Asks for the note first (a page like Django's delete confirmation), then
        resolves the selection with it."""
        staff = staff_of(request.user)
        if staff is None:
            self.message_user(request, "Only clinic staff resolve alerts.", messages.ERROR)
            return None
        selected = list(queryset.select_related("patient").order_by("pk"))
        form = ResolveForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                done, held = services.alerts_resolve_selected(
                    alerts=selected, staff_member=staff, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return None
            self.log_patient_access(request, [a.patient_id for a in done], CHANGE)
            text = f"{len(done)} alert(s) resolved."
            if already := len(selected) - len(done) - held:
                text += f" {already} already were."
            self.message_user(request, text)
            if held:
                self.message_user(
                    request,
                    f"{held} alert(s) wait for their patient's hold to be cleared, "
                    "which resolves them.",
                    messages.WARNING,
                )
            return None
        self.log_patient_access(request, [a.patient_id for a in selected], VIEW)
        context = {
            **self.admin_site.each_context(request),
            "title": "Resolve the selected alerts",
            "alerts": selected,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/patients/clinicalalert/resolve_selected.html", context
        )
