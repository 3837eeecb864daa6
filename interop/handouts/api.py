"""The handout as the API serves it: a prescription's for staff, the open program's for
the signed-in patient.

`GET /api/v1/prescriptions/{id}/handout.pdf`: staff whose role may read prescriptions
(`programs.view_prescription`; others 403); another clinic's program is a 404 whoever
asks. `GET /api/v1/me/program/handout.pdf`: the patient's own open program, a 404
saying so without one. A completed or stopped program has none (400). Errors are the
API's JSON envelope; each handout served is in the access log.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import get_language, gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import validation_error
from core.api.files import PdfRenderer
from core.api.renderers import ORJSONRenderer
from core.api.routing import RoutedMethodsOnly, path_id
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import staff_with_clinic
from practice.api.viewsets import PatientSelfMixin
from practice.tenancy import visible_to
from programs.models import Prescription

from .content import NoHandoutError, handout_of, handout_prescriptions
from .pdf import handout_pdf

VIEW_PRESCRIPTION = "programs.view_prescription"


class MayReadPrescriptions(BasePermission):
    message = "Your role does not include reading programs."

    def has_permission(self, request: Request, view: APIView) -> bool:
        staff = staff_with_clinic(request.user, with_permissions=True)
        return staff is not None and request.user.has_perm(VIEW_PRESCRIPTION)


class _HandoutView(PatientAccessLogMixin, RoutedMethodsOnly, GenericAPIView[Any]):
    renderer_classes = [PdfRenderer, ORJSONRenderer]
    filter_backends: list[Any] = []
    pagination_class = None

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        # An error is the JSON envelope, though the client asked for a PDF.
        if isinstance(response, Response) and response.status_code >= status.HTTP_400_BAD_REQUEST:
            request.accepted_renderer = ORJSONRenderer()
            request.accepted_media_type = ORJSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def handout_response(self, prescription: Prescription) -> HttpResponse:
        try:
            handout = handout_of(prescription=prescription, fallback_language=get_language())
        except NoHandoutError as exc:
            raise validation_error(exc) from None
        return HttpResponse(
            handout_pdf(handout),
            content_type=PdfRenderer.media_type,
            headers={"Content-Disposition": f'attachment; filename="{handout.filename}"'},
        )


# The file's type is the path's; the renderers' `?format=` would only ask for it again.
NO_FORMAT = OpenApiParameter("format", exclude=True)
_DOC = (
    "The home-exercise handout to print, in the patient's language: the clinic's name "
    "and phone, the patient's first name, each exercise of the program's current phase "
    "with its picture, steps and prescribed dosage, the days and reminder times, when "
    "to stop and call, and the emergency signs with what to do. Exercises stopped for "
    "pain are left out until a clinician resumes them; on a hold or a paused program no "
    "exercise is listed. No diagnosis is on it. A completed or stopped program has none "
    "(400)."
)
_PDF = {
    (200, "application/pdf"): OpenApiResponse(
        OpenApiTypes.BINARY, description='The handout, as the file "home-exercises.pdf".'
    )
}


class PrescriptionHandoutView(_HandoutView):
    """A prescription's handout, for staff who may read programs (see get_object)."""

    permission_classes = [MayReadPrescriptions]
    queryset = Prescription.objects.none()
    lookup_field = "pk"
    lookup_url_kwarg = "id"

    def get_queryset(self) -> QuerySet[Prescription]:
        return visible_to(handout_prescriptions(), self.request.user)

    def get_object(self) -> Prescription:
        path_id(self.kwargs["id"])  # a segment that names no row: the JSON 404
        try:
            prescription: Prescription = super().get_object()
        except Http404:
            raise exceptions.NotFound(gettext("No such program in your clinic.")) from None
        return prescription

    @extend_schema(
        operation_id="v1_prescriptions_handout_pdf",
        summary="A program's home-exercise handout as PDF",
        description=_DOC,
        parameters=[NO_FORMAT],
        responses=_PDF,
    )
    def get(self, request: Request, id: str) -> HttpResponse:
        return self.handout_response(self.get_object())


class MyHandoutView(PatientSelfMixin, _HandoutView):
    """The signed-in patient's open program's handout."""

    queryset = Prescription.objects.none()

    @extend_schema(
        operation_id="v1_me_program_handout_pdf",
        summary="My home-exercise handout as PDF",
        description=_DOC + " Without an active or paused program, a 404.",
        parameters=[NO_FORMAT],
        responses=_PDF,
    )
    def get(self, request: Request) -> HttpResponse:
        patient = self.patient
        prescription = (
            handout_prescriptions()
            .filter(patient=patient, status__in=Prescription.OPEN_STATUSES)
            .first()
        )
        if prescription is None:
            raise exceptions.NotFound(
                gettext("You have no active program, so there is no handout to print.")
            )
        return self.handout_response(prescription)
