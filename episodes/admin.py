"""Discharge, archive and reactivate in the patient admin, with a confirmation page.

The patient admin lives in patients.admin, a lower app that must not import the
episode services. So this module unregisters that PatientAdmin and registers a
subclass adding the three actions; the patient pages themselves stay in
patients.admin. The import of PatientAdmin below registers it first whatever the
order of INSTALLED_APPS, and autodiscovery does not run patients.admin a second
time, so the subclass is the one in use either way; were patients.admin ever to
stop registering it, the unregister would fail loudly at startup.
"""

from __future__ import annotations

from functools import partial
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from appointments.models import Appointment
from core.access_log import CHANGE, VIEW
from core.localtime import zone_of
from patients.admin import PatientAdmin
from patients.models import Patient
from practice.admin_base import ClinicScopedAdmin

from . import services
from .models import EpisodeClosure
from .selectors import ClosurePreview, episode_closure_previews

_VERB: dict[str, str] = {Patient.Status.DISCHARGED: "discharge", Patient.Status.ARCHIVED: "archive"}


class CloseEpisodeForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: why the episode ends (goals met, moved away, ...).",
    )


def appointment_line(appointment: Appointment, zone: ZoneInfo) -> str:
    """An appointment as the clinic reads it: local time, kind and therapist."""
    start = appointment.starts_at.astimezone(zone)
    return (
        f"{start:%a %Y-%m-%d %H:%M} ({zone.key}), {appointment.get_kind_display()} "
        f"with {appointment.therapist}"
    )


def _preview_context(preview: ClosurePreview) -> dict[str, object]:
    zone = zone_of(preview.patient.clinic.time_zone)
    return {
        "patient": preview.patient,
        "programs": [str(program) for program in preview.programs],
        "appointments": [appointment_line(a, zone) for a in preview.appointments],
        "pending_reminders": preview.pending_reminders,
    }


admin.site.unregister(Patient)


@admin.register(Patient)
class EpisodePatientAdmin(PatientAdmin):
    actions = [*PatientAdmin.actions, "discharge", "archive", "reactivate"]
    # The patient page adds Discharge and Archive buttons to the patients app's page.
    change_form_template = "admin/episodes/patient_change_form.html"

    def has_close_episode_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("episodes.close_episode")

    def get_urls(self):
        def view(status: str):
            def close(request: HttpRequest, object_id: str):
                return self.close_view(request, object_id, status)

            return self.admin_site.admin_view(close)

        return [
            path(
                "<path:object_id>/discharge/",
                view(Patient.Status.DISCHARGED),
                name="patients_patient_discharge",
            ),
            path(
                "<path:object_id>/archive/",
                view(Patient.Status.ARCHIVED),
                name="patients_patient_archive",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        patient = self.get_object(request, unquote(object_id))
        closable = [
            (f"admin:patients_patient_{_VERB[status]}", _VERB[status].capitalize())
            for status, starts in services.CLOSABLE_FROM.items()
            if patient.status in starts
        ]
        extra_context = {
            **(extra_context or {}),
            "episode_actions": closable if self.has_close_episode_permission(request) else [],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def close_view(self, request: HttpRequest, object_id: str, status: str):
        """The same confirmation for one patient, from the buttons on the patient page."""
        patient = self.get_object(request, unquote(object_id))
        if not self.has_close_episode_permission(request):
            raise PermissionDenied(services.CLOSING_REFUSED)  # said on the admin's 403 page
        response = self._confirm_then_close(
            request, Patient.objects.filter(pk=patient.pk), status, from_page=True
        )
        if response is None:
            return HttpResponseRedirect(reverse("admin:patients_patient_change", args=[patient.pk]))
        return response

    @admin.action(description="Discharge selected patients", permissions=["close_episode"])
    def discharge(self, request, queryset):
        return self._confirm_then_close(request, queryset, Patient.Status.DISCHARGED)

    @admin.action(description="Archive selected patients", permissions=["close_episode"])
    def archive(self, request, queryset):
        return self._confirm_then_close(request, queryset, Patient.Status.ARCHIVED)

    @admin.action(description="Reactivate selected patients", permissions=["change"])
    def reactivate(self, request, queryset):
        reactivated = [
            p
            for p in queryset
            if self.run_service(
                request,
                str(p),
                partial(services.patient_reactivate, patient=p, actor=request.user),
            )
        ]
        self.log_patient_access(request, reactivated, CHANGE)
        self.message_user(request, f"{len(reactivated)} patient(s) reactivated.")

    def _confirm_then_close(self, request, queryset, status: str, *, from_page: bool = False):
        """First the page listing what will be closed; on its confirmation, the closing.

        From the changelist the page posts back there with the same action and
        selection, as Django's own delete confirmation does, plus `confirm`; from a
        patient's page it posts back to itself."""
        patients = list(queryset.select_related("clinic").order_by("last_name", "first_name"))
        if not patients:
            self.message_user(request, "No patient of your clinic was selected.", messages.WARNING)
            return None
        form = CloseEpisodeForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            closed = [
                p
                for p in patients
                if self.run_service(
                    request,
                    str(p),
                    partial(
                        services.patient_change_status,
                        patient=p,
                        status=status,
                        actor=request.user,
                        note=form.cleaned_data["note"],
                    ),
                )
            ]
            self.log_patient_access(request, closed, CHANGE)
            if closed:
                self.message_user(
                    request, f"{len(closed)} patient(s) {Patient.Status(status).label.lower()}."
                )
            return None  # back to the changelist
        previews = episode_closure_previews(patients=patients)
        self.log_patient_access(request, patients, VIEW)
        verb = _VERB[status]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{verb.capitalize()} {len(patients)} patient(s)?",
            "verb": verb,
            "action": None if from_page else verb,
            "back_url": (
                reverse("admin:patients_patient_change", args=[patients[0].pk])
                if from_page
                else reverse("admin:patients_patient_changelist")
            ),
            "previews": [_preview_context(p) for p in previews],
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/episodes/confirm_close.html", context)


@admin.register(EpisodeClosure)
class EpisodeClosureAdmin(ClinicScopedAdmin):
    """Who discharged or archived whom, and what was closed with it (read only)."""

    audit_patient_path = "patient"
    list_display = [
        "patient",
        "outcome",
        "closed_at",
        "closed_by",
        "programs_completed",
        "appointments_cancelled",
        "reminders_cancelled",
    ]
    list_filter = ["outcome"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    list_select_related = ["patient", "closed_by"]

    def has_add_permission(self, request) -> bool:
        return False  # written by the discharge and archive services only

    def has_change_permission(self, request, obj=None) -> bool:
        return False
