"""Moving a prescription to its next phase from its page: a button opens a confirmation
listing the exercises the patient will do from then on (the app shows only the current
phase's), and confirming calls `programs.services.prescription_advance_phase`, the rule
the API and the list action obey. Its refusals (not active, the last phase, a hold) come
back as a message on the prescription page; the confirmation says them before it offers
the button. The form carries the phase it showed, so a repeated confirmation (double
click, resent POST, a second tab) is refused instead of skipping a phase.

Only users who may change the prescription (clinicians) are offered the button; the
page is a patient record, so each answer writes the access log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from core.access_log import CHANGE, VIEW
from patients.services import hold_refusal
from practice.admin_base import admin_user

from . import services
from .models import PrescribedExercise, Prescription

if TYPE_CHECKING:
    from practice.admin_base import ClinicScopedAdmin

    _PrescriptionAdminBase = ClinicScopedAdmin
else:
    _PrescriptionAdminBase = object

ADVANCE_URL = "admin:programs_prescription_advance_phase"
REFUSED = "Only a clinician who may change this program moves it to its next phase."


def next_phase_name(prescription: Prescription) -> str | None:
    """The name of the phase after the current one; None in the last phase."""
    if prescription.current_phase >= len(prescription.phase_names):
        return None
    return str(prescription.phase_names[prescription.current_phase])


def move_refusal(prescription: Prescription) -> str | None:
    """Why confirming would be refused now (the service decides again under its lock)."""
    if prescription.status == Prescription.Status.PAUSED:
        return "The program is paused: resume it before moving it to its next phase."
    if prescription.status != Prescription.Status.ACTIVE:
        return "Only an active program moves to its next phase."
    if next_phase_name(prescription) is None:
        return None  # the page says there is no next phase
    return hold_refusal(prescription.patient, doing="the program moves to its next phase")


def shown_phase(request: HttpRequest) -> int | None:
    """The phase the confirmation showed, from its hidden field; None when absent or bad."""
    try:
        return int(request.POST.get("from_phase", ""))
    except ValueError:
        return None


def offers_next_phase(prescription: Prescription) -> bool:
    """Whether the page shows the button: an active program with a phase to come (the
    service judges the rest, the hold included, and says why it refuses)."""
    return (
        prescription.status == Prescription.Status.ACTIVE
        and next_phase_name(prescription) is not None
    )


class AdvancePhaseMixin(_PrescriptionAdminBase):
    """The prescription admin's next-phase button and its confirmation page."""

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/advance-phase/",
                self.admin_site.admin_view(self.advance_phase_view),
                name="programs_prescription_advance_phase",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        prescription: Prescription = self.get_object(request, unquote(object_id))
        offered = self.has_change_permission(request, prescription) and offers_next_phase(
            prescription
        )
        extra_context = {
            **(extra_context or {}),
            "advance_phase_url": reverse(ADVANCE_URL, args=[prescription.pk]) if offered else "",
            "next_phase_name": next_phase_name(prescription) if offered else "",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def advance_phase_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        prescription: Prescription = self.get_object(request, unquote(object_id))  # 404 if not ours
        if not self.has_change_permission(request, prescription):
            raise PermissionDenied(REFUSED)  # said on the admin's 403 page
        change_url = reverse("admin:programs_prescription_change", args=[prescription.pk])
        if request.method == "POST":
            from_phase = shown_phase(request)
            if from_phase is None:
                # A post that did not come from the confirmation: show it instead.
                messages.error(request, "Confirm the move on its page.")
                return HttpResponseRedirect(request.path)
            try:
                moved = services.prescription_advance_phase(
                    prescription=prescription,
                    actor=admin_user(request),
                    expected_phase=from_phase,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                self.log_patient_access(request, [prescription.patient_id], CHANGE)
                messages.success(
                    request,
                    f"{moved.name} moved to phase {moved.current_phase} of "
                    f"{len(moved.phase_names)}: {moved.current_phase_name}.",
                )
            return HttpResponseRedirect(change_url)
        upcoming = next_phase_name(prescription)
        exercises: list[PrescribedExercise] = []
        if upcoming is not None:
            exercises = list(
                prescription.exercises.filter(phase=prescription.current_phase + 1)
                .select_related("exercise")
                .order_by("pk")
            )
        refusal = move_refusal(prescription)
        self.log_patient_access(request, [prescription.patient_id], VIEW)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Move {prescription.name} to its next phase",
            "prescription": prescription,
            "patient": prescription.patient,
            "next_number": prescription.current_phase + 1,
            "next_name": upcoming,
            "exercises": exercises,
            "refusal": refusal,
            "offered": offers_next_phase(prescription) and refusal is None,
            "change_url": change_url,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/programs/advance_phase.html", context)
