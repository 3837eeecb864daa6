"""The visit note in the admin: a form the therapist fills during the visit, saved and
signed through visits.services, read-only once signed, with its addenda after.

A note is started from its appointment's page ("Document visit", admin_appointment),
never from a blank form here: the service ties it to the visit and copies the
examination from the patient's last note.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from core.access_log import CHANGE, VIEW
from core.localtime import moment_text
from patients.admin_search import PatientSearchMixin
from practice.admin_base import ClinicFilter, ClinicScopedAdmin, ReadOnlyInline

from .admin_billing import may_bill, superbill_links
from .admin_formsets import clinician_of
from .admin_note_forms import NOTE_FIELDSETS, ProcedureInline, VisitNoteForm, units_text
from .note_models import Addendum, VisitNote
from .plan_status import certification_problem
from .services import addendum_add, visit_note_sign

SIGN = "_sign"


class AddendumForm(forms.Form):
    reason = forms.CharField(
        max_length=Addendum._meta.get_field("reason").max_length,
        help_text="Why the signed note needs it, e.g. a finding reported after the visit.",
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))


class AddendumInline(ReadOnlyInline):
    model = Addendum
    fields = readonly_fields = ("written_at", "author", "reason", "text")
    show_change_link = False


def _errors_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(
            f"{NOTE_LABELS[name].capitalize()}: {' '.join(errors)}"
            if name in NOTE_LABELS
            else " ".join(errors)
            for name, errors in exc.message_dict.items()
        )
    return " ".join(exc.messages)


NOTE_LABELS = {f.name: str(f.verbose_name) for f in VisitNote._meta.fields}


def sign(note: VisitNote, request: HttpRequest) -> VisitNote:
    """`visit_note_sign` as the signed-in staff member."""
    try:
        return visit_note_sign(note=note, staff_member=clinician_of(request))
    except PermissionDenied as exc:
        raise ValidationError(str(exc)) from None


class SignedFilter(admin.SimpleListFilter):
    title = "signature"
    parameter_name = "signed"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Signed"), ("no", "Draft")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() in ("yes", "no"):
            return queryset.filter(signed_at__isnull=self.value() == "no")
        return queryset


@admin.register(VisitNote)
class VisitNoteAdmin(PatientSearchMixin, ClinicScopedAdmin):
    form = VisitNoteForm
    audit_patient_path = "patient"
    readonly_fields = ["appointment_link", "therapist", "visit_on", "signature", "units_billed"]
    list_display = ["visit_on", "patient", "kind", "therapist", "signed"]
    list_filter = ["kind", ClinicFilter, SignedFilter]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    patient_search_prefix = "patient__"
    date_hierarchy = "visit_on"
    actions = ["sign_notes"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return NOTE_FIELDSETS

    @admin.display(description="visit")
    def appointment_link(self, obj: VisitNote) -> str:
        url = reverse("admin:appointments_appointment_change", args=[obj.appointment_id])
        return format_html(
            '<a href="{}">{}</a> &middot; <a href="{}">{}</a>',
            reverse("admin:patients_patient_change", args=[obj.patient_id]),
            obj.patient,
            url,
            moment_text(obj.appointment.starts_at),
        )

    @admin.display(description="signed")
    def signed(self, obj: VisitNote) -> str:
        return moment_text(obj.signed_at) if obj.signed_at else "Draft"

    @admin.display(description="signature")
    def signature(self, obj: VisitNote) -> str:
        if obj.signed_at is None:
            return (
                "Draft: not signed yet. Save and sign it once the assessment and plan are written."
            )
        return f"Signed by {obj.signed_by} on {moment_text(obj.signed_at)}; locked."

    @admin.display(description="units billed")
    def units_billed(self, obj: VisitNote) -> str:
        return units_text(obj)

    def get_queryset(self, request: HttpRequest) -> Any:
        # The list's rows too: a queryset already joining skips list_select_related.
        return (
            super()
            .get_queryset(request)
            .select_related("patient", "therapist__user", "appointment", "signed_by__user")
        )

    # A note begins from its visit (admin_appointment), which the service checks.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied("Your role does not read visit notes.")
        self.message_user(
            request,
            "A visit note is started from its visit: open the attended appointment and "
            "choose Document visit.",
            messages.INFO,
        )
        return HttpResponseRedirect(
            reverse("admin:appointments_appointment_changelist") + "?status__exact=attended"
        )

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        # A draft is edited, not amended: its addenda come once it is signed.
        return [ProcedureInline, AddendumInline] if obj and obj.is_signed else [ProcedureInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A signed note is locked: it opens read-only, with its addenda.
        return super().has_change_permission(request, obj) and not (obj and obj.is_signed)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/addendum/",
                self.admin_site.admin_view(self.addendum_view),
                name="visits_visitnote_addendum",
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
        note: VisitNote = self.get_object(request, unquote(object_id))  # another clinic's: 404
        extra_context = {
            **(extra_context or {}),
            "certification_problem": certification_problem(patient=note.patient, day=note.visit_on),
            "may_sign": self.has_change_permission(request, note),
            "addendum_form": AddendumForm() if self._may_add_addendum(request, note) else None,
            "addendum_url": reverse("admin:visits_visitnote_addendum", args=[note.pk]),
            "superbill_links": superbill_links(note) if may_bill(request) else "",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request: HttpRequest, obj: VisitNote) -> HttpResponse:
        if SIGN not in request.POST:
            return super().response_change(request, obj)
        change_url = reverse("admin:visits_visitnote_change", args=[obj.pk])
        try:
            with transaction.atomic():
                sign(obj, request)
        except ValidationError as exc:
            self.message_user(
                request, f"Saved, but not signed. {_errors_text(exc)}", messages.ERROR
            )
        else:
            self.message_user(request, "Saved and signed: the note is locked.", messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    @admin.action(description="Sign selected notes", permissions=["change"])
    def sign_notes(self, request: HttpRequest, queryset: Any) -> None:
        signed = 0
        for note in queryset:
            try:
                with transaction.atomic():
                    sign(note, request)
            except ValidationError as exc:
                self.message_user(request, f"{note}: {_errors_text(exc)}", messages.ERROR)
            else:
                signed += 1
        self.message_user(request, f"{signed} note(s) signed.")

    def _may_add_addendum(self, request: HttpRequest, note: VisitNote) -> bool:
        return note.is_signed and request.user.has_perm("visits.add_addendum")

    def addendum_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The form of an addendum to a signed note; a draft is simply edited."""
        note: VisitNote = self.get_object(request, unquote(object_id))
        if not self.has_view_permission(request, note):
            raise PermissionDenied("Your role does not read visit notes.")
        if not self._may_add_addendum(request, note) and note.is_signed:
            raise PermissionDenied("Your role does not add to visit notes.")
        change_url = reverse("admin:visits_visitnote_change", args=[note.pk])
        form = AddendumForm(request.POST or None)
        if request.method == "POST" and note.is_signed and form.is_valid():
            try:
                with transaction.atomic():
                    addendum_add(note=note, author=clinician_of(request), **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                self.log_patient_access(request, [note.patient_id], CHANGE)
                self.message_user(request, "Addendum added to the signed note.", messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        self.log_patient_access(request, [note.patient_id], VIEW)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Add addendum",
            "note": note,
            "patient": note.patient,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/visits/addendum.html", context)
