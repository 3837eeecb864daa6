""" "Document visit" on an appointment's admin page: starts the visit's note
(`visit_note_start`, which copies the examination from the patient's last note) and
opens it; once started, the link opens the note.

The appointment admin lives in appointments.admin, a lower app that may not import the
visits services, so this module registers a subclass of it with the link and its page,
as episodes.admin does for the patient admin. The import below registers
AppointmentAdmin first whatever the order of INSTALLED_APPS; were appointments.admin to
stop registering it, the unregister would fail loudly at startup.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from appointments.admin import AppointmentAdmin
from appointments.models import Appointment
from core.access_log import CHANGE, VIEW
from core.localtime import moment_text

from .admin_formsets import clinician_of
from .note_models import VisitNote
from .services import visit_note_start

DOCUMENTS = "visits.add_visitnote"


def documentable(appointment: Appointment) -> bool:
    """Whether the visit can have a note now, as `visit_note_start` decides it: attended,
    or checked in and still booked (the service is the one that refuses the others)."""
    if appointment.status == Appointment.Status.ATTENDED:
        return True
    return (
        appointment.checked_in_at is not None and appointment.status in Appointment.BOOKED_STATUSES
    )


def _note_of(appointment: Appointment) -> VisitNote | None:
    return VisitNote.objects.filter(appointment=appointment).first()


admin.site.unregister(Appointment)


@admin.register(Appointment)
class VisitAppointmentAdmin(AppointmentAdmin):
    change_form_template = "admin/visits/appointment_change_form.html"

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/document/",
                self.admin_site.admin_view(self.document_view),
                name="appointments_appointment_document",
            ),
            *super().get_urls(),
        ]

    def _visit_note_link(self, request: HttpRequest, appointment: Appointment) -> tuple[str, str]:
        """The label and address of the page's visit-note link, or two blanks."""
        if not request.user.has_perm("visits.view_visitnote"):
            return "", ""
        note = _note_of(appointment)
        if note is not None:
            return "Open visit note", reverse("admin:visits_visitnote_change", args=[note.pk])
        if request.user.has_perm(DOCUMENTS) and documentable(appointment):
            url = reverse("admin:appointments_appointment_document", args=[appointment.pk])
            return "Document visit", url
        return "", ""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        appointment: Appointment = self.get_object(request, unquote(object_id))
        label, url = self._visit_note_link(request, appointment)
        extra_context = {**(extra_context or {}), "visit_note_label": label, "visit_note_url": url}
        return super().change_view(request, object_id, form_url, extra_context)

    def document_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET says what starting the note does; POST starts it and opens it."""
        appointment: Appointment = self.get_object(request, unquote(object_id))
        if not request.user.has_perm(DOCUMENTS):
            raise PermissionDenied("Only a clinician documents a visit.")
        note = _note_of(appointment)
        if note is not None:
            return HttpResponseRedirect(reverse("admin:visits_visitnote_change", args=[note.pk]))
        error = ""
        if request.method == "POST":
            try:
                note = visit_note_start(appointment=appointment, therapist=clinician_of(request))
            except ValidationError as exc:
                error = " ".join(exc.messages)
            except PermissionDenied as exc:
                error = str(exc)
            else:
                self.log_patient_access(request, [appointment.patient_id], CHANGE)
                messages.success(request, "Visit note started: fill it in, save, then sign.")
                return HttpResponseRedirect(
                    reverse("admin:visits_visitnote_change", args=[note.pk])
                )
        self.log_patient_access(request, [appointment.patient_id], VIEW)
        change_url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
        previous = (
            VisitNote.objects.filter(patient_id=appointment.patient_id)
            .order_by("-visit_on", "-id")
            .values_list("visit_on", flat=True)
            .first()
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Document visit",
            "appointment": appointment,
            "patient": appointment.patient,
            "when": moment_text(appointment.starts_at),
            "documentable": documentable(appointment),
            "previous_note_on": previous,
            "error": error,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/visits/document_visit.html", context)
