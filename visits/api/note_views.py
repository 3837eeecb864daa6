"""The visit note of an appointment: /api/v1/appointments/{appointment_id}/visit/.

Clinicians of the patient's clinic start the note of an attended (or checked-in) visit,
fill in its sections, list its procedures (units by the payer's rule, visits.units),
sign it, and afterwards only add addenda. Every write is a service of visits.services;
a signed note refuses changes with the service's message (a 400). Another clinic's
appointment is a 404; front desk (who sees no clinical note) and patients a 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from appointments.models import Appointment
from core.api.ordering import StrictOrderingFilter
from core.api.routing import path_id
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import staff_caller
from visits import services
from visits.note_models import Addendum, VisitNote
from visits.units import Procedure

from . import note_serializers as s
from .base import ClinicalView

NOTE_READ = "visits.view_visitnote"
NOTE_CHANGE = "visits.change_visitnote"


class NoteView(ClinicalView):
    """The note of the appointment in the URL, read within the caller's clinic."""

    queryset = VisitNote.objects.none()
    serializer_class = s.VisitNoteSerializer

    def get_appointment(self) -> Appointment:
        appointment = (
            Appointment.objects.for_user(self.request.user)
            .filter(pk=path_id(self.kwargs["appointment_id"]))
            .first()
        )
        if appointment is None:
            raise exceptions.NotFound("Not found.")
        return appointment

    def get_queryset(self) -> QuerySet[VisitNote]:
        return (
            VisitNote.objects.for_user(self.request.user)
            .select_related("patient__clinic", "therapist__user", "signed_by__user")
            .prefetch_related(
                "procedures",
                Prefetch("addenda", queryset=Addendum.objects.select_related("author__user")),
            )
        )

    def get_object(self) -> VisitNote:
        note = self.get_queryset().filter(appointment_id=path_id(self.kwargs["appointment_id"]))
        found = note.first()
        if found is None:
            self.get_appointment()  # another clinic's visit is a plain 404
            raise exceptions.NotFound(
                "This visit has no note yet: POST to its /visit/ to start one."
            )
        return found

    def note_response(self, note: VisitNote, code: int = status.HTTP_200_OK) -> Response:
        """The note as GET shows it, read again with its procedures and addenda."""
        fresh = self.get_queryset().get(pk=note.pk)
        return Response(self.get_serializer(fresh).data, status=code)


NOT_FOUND = OpenApiResponse(description="No such appointment in your clinic, or no note yet.")


class VisitNoteView(PatientAccessLogMixin, NoteView):
    method_permissions = {
        "GET": NOTE_READ,
        "POST": "visits.add_visitnote",
        "PATCH": NOTE_CHANGE,
    }

    @extend_schema(
        summary="Read a visit's note",
        description="Every section: subjective, objective (the sciatica examination), "
        "assessment and plan; the procedures with their units and why; the units in all "
        "and the rule used; the signature and the addenda; and whether the visit falls "
        "outside a certified plan of care.",
        responses={200: s.VisitNoteSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, appointment_id: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Start a visit's note",
        description="For a visit that was attended or checked in. The examination is "
        "copied from the patient's last note. A 201 when started; a 200 with the note "
        "unchanged when it already exists (PATCH changes its kind). The body is optional.",
        request=s.NoteStartSerializer,
        responses={
            201: OpenApiResponse(s.VisitNoteSerializer, description="Started."),
            200: OpenApiResponse(s.VisitNoteSerializer, description="It already existed."),
        },
    )
    def post(self, request: Request, appointment_id: str) -> Response:
        appointment = self.get_appointment()
        body = s.NoteStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        existed = VisitNote.objects.filter(appointment=appointment).exists()
        note = services.visit_note_start(
            appointment=appointment,
            therapist=staff_caller(request),
            kind=body.validated_data.get("kind"),
        )
        return self.note_response(note, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary="Write a visit note's sections",
        description="Nested as the note reads: `subjective` and `objective` each change only "
        "the fields they name; `assessment`, `plan` and `kind` are top-level. A signed note "
        "is a 400: add an addendum instead.",
        request=s.NoteChangeSerializer,
        responses={200: s.VisitNoteSerializer},
    )
    def patch(self, request: Request, appointment_id: str) -> Response:
        note = self.get_object()
        body = s.NoteChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = services.visit_note_update(
            note=note,
            staff_member=staff_caller(request),
            fields=s.NoteChangeSerializer.note_fields(body.validated_data),
        )
        return self.note_response(note)


class VisitProceduresView(PatientAccessLogMixin, NoteView):
    method_permissions = {"PUT": NOTE_CHANGE}

    @extend_schema(
        summary="Set a visit's procedures",
        description="Replaces the list: each CPT code once, with its minutes (0-480). The "
        "units follow the patient's payer on the day of service: the CMS 8-minute rule on "
        "the timed minutes together, or the AMA rule per code; untimed codes are one unit. "
        "An empty list clears them. A signed note is a 400.",
        request=s.ProcedureInputSerializer(many=True),
        responses={200: s.VisitNoteSerializer},
    )
    def put(self, request: Request, appointment_id: str) -> Response:
        note = self.get_object()
        body: serializers.ListSerializer[Any] = serializers.ListSerializer(
            child=s.ProcedureInputSerializer(), data=request.data, max_length=20
        )
        body.is_valid(raise_exception=True)
        services.visit_note_set_procedures(
            note=note,
            staff_member=staff_caller(request),
            procedures=[Procedure(line["code"], line["minutes"]) for line in body.validated_data],
        )
        return self.note_response(note)


class VisitSignView(PatientAccessLogMixin, NoteView):
    method_permissions = {"POST": NOTE_CHANGE}

    @extend_schema(
        summary="Sign a visit's note",
        description="By the note's own therapist, once the visit is marked attended and the "
        "assessment and plan are written. The note is then locked; what is learnt later "
        "is an addendum.",
        request=None,
        responses={200: s.VisitNoteSerializer},
    )
    def post(self, request: Request, appointment_id: str) -> Response:
        note = services.visit_note_sign(note=self.get_object(), staff_member=staff_caller(request))
        return self.note_response(note)


class VisitAddendaView(PatientAccessLogMixin, NoteView):
    serializer_class = s.AddendumSerializer  # type: ignore[assignment]
    method_permissions = {"GET": "visits.view_addendum", "POST": "visits.add_addendum"}
    # Few to a note, and the note itself carries them all: one list, in a fixed order.
    pagination_class = None
    filter_backends = [StrictOrderingFilter]

    def addenda(self, note: VisitNote) -> QuerySet[Addendum]:
        return (
            Addendum.objects.for_user(self.request.user)
            .filter(note=note)
            .select_related("author__user")
            .order_by("written_at", "id")
        )

    @extend_schema(
        summary="List a visit note's addenda",
        description="All of them, oldest first, in a fixed order. Addenda are never changed "
        "once written.",
        responses={200: s.AddendumSerializer(many=True)},
    )
    def get(self, request: Request, appointment_id: str) -> Response:
        addenda = self.filter_queryset(self.addenda(self.get_object()))
        return Response(self.get_serializer(addenda, many=True).data)

    @extend_schema(
        summary="Add an addendum to a signed note",
        description="Who wrote it and when are recorded; a draft note is edited instead (a 400).",
        request=s.AddendumInputSerializer,
        responses={201: s.AddendumSerializer},
    )
    def post(self, request: Request, appointment_id: str) -> Response:
        note = self.get_object()
        body = s.AddendumInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        addendum = services.addendum_add(
            note=note, author=staff_caller(request), **body.validated_data
        )
        fresh = self.addenda(note).get(pk=addendum.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
