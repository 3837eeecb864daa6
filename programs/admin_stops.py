"""The stop flag of each exercise on the prescription page, and the page that resumes one.

The page calls `programs.services.exercise_resume`, the same rule as the API: its
refusals (a hold, no note, not stopped, a closed program) come back as form errors.
Both pages are patient records, so each answer is in the access log (as the API's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from core.access_log import CHANGE, VIEW
from core.localtime import moment_text
from practice.admin_base import add_service_errors
from practice.admin_returns import came_from
from practice.models import StaffMember
from practice.tenancy import staff_of

from . import services
from .models import PrescribedExercise, Prescription
from .stops import RESUME_NOTE_MAX

if TYPE_CHECKING:
    from practice.admin_base import ClinicScopedAdmin

    # What the mixins below extend: typed as the admin classes they are mixed into.
    _PrescriptionAdminBase = ClinicScopedAdmin
    _ExerciseInlineBase = admin.TabularInline[PrescribedExercise, Prescription]
else:
    _PrescriptionAdminBase = _ExerciseInlineBase = object

RESUME_URL = "admin:programs_prescription_exercise_resume"


def stop_html(item: PrescribedExercise, *, link: bool = True) -> str:
    """A dash for an exercise the patient may do; else when and why it was stopped, the pain
    that stopped it, what the app tells the patient, and (`link`) a link to resume it."""
    if not item.stop_and_contact_therapist:
        return "-"
    pain = ""
    if item.stop_pain_before is not None and item.stop_pain_after is not None:
        pain = f" (pain {item.stop_pain_before} to {item.stop_pain_after})"
    html = format_html(
        '<strong style="color:#ba2121">Stopped {}</strong>: {}{}.<br>{}',
        moment_text(item.stopped_for_pain_at),
        item.get_stop_reason_display() or "pain rose during the exercise",
        pain,
        item.stop_message,
    )
    if not link:
        return html
    return format_html(
        '{}<br><a class="button" href="{}">Resume...</a>',
        html,
        reverse(RESUME_URL, args=[item.prescription_id, item.pk]),
    )


def resumption_text(item: PrescribedExercise) -> str:
    if item.resumed_at is None:
        return "-"
    return f"{moment_text(item.resumed_at)} by {item.resumed_by}: {item.resume_note}"


class ResumeForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=RESUME_NOTE_MAX,
        help_text="Why the patient may do the exercise again: what your review found.",
    )


def _resumer(request: HttpRequest) -> StaffMember:
    staff = staff_of(request.user)
    if staff is None:
        raise ValidationError("Only clinic staff resume exercises.")
    return staff


class PrescriptionPageMixin(_PrescriptionAdminBase):
    """The prescription admin's resume page (in the access log, as its other pages)."""

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/exercises/<int:item_id>/resume/",
                self.admin_site.admin_view(self.exercise_resume_view),
                name="programs_prescription_exercise_resume",
            ),
            *super().get_urls(),
        ]

    def exercise_resume_view(
        self, request: HttpRequest, object_id: str, item_id: int
    ) -> HttpResponse:
        prescription: Prescription = self.get_object(request, unquote(object_id))  # 404 if not ours
        if not (
            self.has_change_permission(request, prescription)
            and request.user.has_perm("programs.change_prescribedexercise")
        ):
            raise PermissionDenied
        item = get_object_or_404(prescription.exercises.select_related("exercise"), pk=item_id)
        change_url = reverse("admin:programs_prescription_change", args=[prescription.pk])
        back_url = came_from(request) or change_url
        form = ResumeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.exercise_resume(
                    item=item, staff_member=_resumer(request), note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.log_patient_access(request, [prescription.patient_id], CHANGE)
                messages.success(
                    request, f"{item.exercise.name} is resumed: the patient may do it again."
                )
                return HttpResponseRedirect(back_url)
        self.log_patient_access(request, [prescription.patient_id], VIEW)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Resume {item.exercise.name}",
            "prescription": prescription,
            "patient": prescription.patient,
            "item": item,
            "stop": stop_html(item, link=False) if item.stop_and_contact_therapist else "",
            "change_url": change_url,
            "back_url": back_url,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/programs/exercise_resume.html", context)


class StopColumnsMixin(_ExerciseInlineBase):
    """The stop and last-resumption columns of the prescribed-exercise inline."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[PrescribedExercise]:
        return super().get_queryset(request).select_related("exercise", "resumed_by__user")

    @admin.display(description="stop")
    def stop(self, obj: PrescribedExercise) -> str:
        return stop_html(obj)

    @admin.display(description="last resumed")
    def last_resumed(self, obj: PrescribedExercise) -> str:
        return resumption_text(obj)
