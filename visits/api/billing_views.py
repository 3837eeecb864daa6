"""Billing out: the month's billable lines (JSON or CSV) and a signed visit's superbill
(PDF or printable HTML), for staff with the billing permission.

`GET /api/v1/billing/lines/?month=YYYY-MM` answers JSON, or CSV with `Accept: text/csv`
or `?format=csv`; `GET /api/v1/appointments/{appointment_id}/visit/superbill.pdf` (and
`.html`) the superbill of the visit's signed note. Who may: staff whose role has
`visits.view_billing` (the clinic admin's does); others 403. Another clinic's visit is a
404 whoever asks, as is a visit with no note; a draft note a 400. Errors are the API's
JSON envelope whatever format was asked for. Each patient listed is in the access log.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments.models import Appointment
from core.api.errors import validation_error
from core.api.files import CsvRenderer, HtmlRenderer, PdfRenderer
from core.api.renderers import ORJSONRenderer
from core.api.routing import RoutedMethodsOnly, path_id
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import IsStaff, staff_with_clinic
from visits.billing import billable_lines, parse_month
from visits.export import EXPORT_COLUMNS, csv_filename, line_row, lines_csv
from visits.note_models import VisitNote
from visits.superbill import NoSuperbillError, superbill_html, superbill_of, superbill_pdf

BILLING = "visits.view_billing"


class MayBill(BasePermission):
    message = "Your role does not include billing."

    def has_permission(self, request: Request, view: APIView) -> bool:
        staff = staff_with_clinic(request.user, with_permissions=True)
        return staff is not None and request.user.has_perm(BILLING)


class _JsonErrors(APIView):
    """An error is the JSON envelope, whichever type the client asked for."""

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, Response) and response.status_code >= status.HTTP_400_BAD_REQUEST:
            request.accepted_renderer = ORJSONRenderer()
            request.accepted_media_type = ORJSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class BillingLineSerializer(serializers.Serializer[Any]):
    date_of_service = serializers.DateField()
    kind = serializers.ChoiceField(
        choices=["visit", "rtm"], help_text="A signed visit, or remote monitoring."
    )
    patient_id = serializers.IntegerField()
    patient_name = serializers.CharField()
    mrn = serializers.CharField()
    date_of_birth = serializers.DateField()
    payer = serializers.CharField(help_text='The payer on the day of service, or "Self-pay".')
    member_id = serializers.CharField(help_text="Blank for self-pay.")
    cpt = serializers.CharField()
    description = serializers.CharField()
    modifiers = serializers.ListField(
        child=serializers.CharField(),
        help_text="GP on every line; KX on a Medicare payer's lines past the year's "
        "therapy threshold.",
    )
    units = serializers.IntegerField()
    icd10_codes = serializers.ListField(
        child=serializers.CharField(), help_text="The diagnosis on the day, primary first."
    )
    rendering_clinician = serializers.CharField()
    rendering_npi = serializers.CharField(help_text="Blank when not recorded.")
    clinic_npi = serializers.CharField(help_text="The billing provider's; blank when not set.")
    charge = serializers.CharField(
        allow_null=True,
        help_text='The fee times the units, e.g. "90.00"; null when the code has no fee.',
    )
    certification_problem = serializers.CharField(
        help_text="Why the visit falls outside a certified plan of care; blank when it "
        "does not (and on monitoring lines)."
    )
    appointment_id = serializers.IntegerField(
        allow_null=True, help_text="The visit's, for its superbill; null for monitoring."
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return line_row(instance)


MONTH = OpenApiParameter(
    "month",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    pattern=r"^\d{4}-\d{2}$",
    description="The month of the dates of service, YYYY-MM.",
)
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description="csv for the CSV file (as `Accept: text/csv`); JSON otherwise.",
)


class BillingLinesView(PatientAccessLogMixin, RoutedMethodsOnly, _JsonErrors, GenericAPIView[Any]):
    permission_classes = [MayBill]
    renderer_classes = [ORJSONRenderer, CsvRenderer]
    serializer_class = BillingLineSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        summary="The month's billable lines",
        description="Every line a signed visit or remote monitoring bills with a date of "
        "service in the month: patient, payer and member ID on that day, CPT code, "
        "modifiers, units, ICD-10-CM codes in order, rendering clinician and NPI, the "
        "clinic's NPI and the charge at the clinic's fees. Visits outside a certified "
        "plan of care say why in `certification_problem`. The CSV has a header row "
        f"with these columns, in this order: {', '.join(EXPORT_COLUMNS)}; lists are "
        "joined with `;`.",
        parameters=[MONTH, FORMAT],
        responses={
            (200, "application/json"): OpenApiResponse(
                BillingLineSerializer(many=True),
                description="The lines by date of service, then patient; as CSV with a "
                "header row for `Accept: text/csv`.",
            ),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="The lines by date of service, then patient; as CSV with a "
                "header row for `Accept: text/csv`.",
            ),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        try:
            month = parse_month(request.query_params.get("month"))
        except ValidationError as exc:
            raise validation_error(exc) from None
        staff = staff_with_clinic(request.user)
        if staff is None:  # MayBill let in only staff of a clinic
            raise exceptions.PermissionDenied
        billing = billable_lines(clinic=staff.clinic, month=month)
        # The access log reads the patients from the serializer's lines, in any format.
        serializer = self.get_serializer(list(billing.lines), many=True)
        if request.accepted_renderer.format == CsvRenderer.format:
            name = csv_filename(clinic_slug=staff.clinic.slug, month=month)
            return HttpResponse(
                lines_csv(billing.lines),
                content_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        return Response(serializer.data)


class _SuperbillView(PatientAccessLogMixin, RoutedMethodsOnly, _JsonErrors, GenericAPIView[Any]):
    """The superbill of the appointment's note, for staff who bill (see get_object)."""

    permission_classes = [IsStaff]
    queryset = VisitNote.objects.none()
    lookup_field = lookup_url_kwarg = "appointment_id"
    filter_backends: list[Any] = []
    file_format = ""

    def get_queryset(self) -> QuerySet[VisitNote]:
        return VisitNote.objects.for_user(self.request.user).select_related(
            "patient__clinic", "therapist__user", "signed_by__user"
        )

    def get_object(self) -> VisitNote:
        # The visit first: another clinic's (or none) is a 404 whoever asks; then the
        # role; then the note, which a visit not yet documented lacks.
        visits = Appointment.objects.for_user(self.request.user)
        if not visits.filter(pk=path_id(self.kwargs["appointment_id"])).exists():
            raise exceptions.NotFound("No such visit in your clinic.")
        if not self.request.user.has_perm(BILLING):
            raise exceptions.PermissionDenied(MayBill.message)
        note: VisitNote = super().get_object()
        return note

    def get(self, request: Request, appointment_id: str) -> HttpResponse:
        note = self.get_object()
        try:
            bill = superbill_of(note=note)
        except NoSuperbillError as exc:
            raise validation_error(exc) from None
        if self.file_format == PdfRenderer.format:
            return HttpResponse(
                superbill_pdf(bill),
                content_type=PdfRenderer.media_type,
                headers={"Content-Disposition": f'inline; filename="{bill.filename}.pdf"'},
            )
        return HttpResponse(superbill_html(bill), content_type="text/html; charset=utf-8")


# The file's type is the path's; the renderers' `?format=` would only ask for it again.
NO_FORMAT = OpenApiParameter("format", exclude=True)
_SUPERBILL_DOC = (
    "The itemised bill of a signed visit: the clinic (name, address, phone, NPI, tax "
    "ID), the patient with payer and member ID, the date of service, the rendering "
    "clinician and NPI, the ICD-10-CM codes in order, and each CPT code with its "
    "description, modifiers, units and charge, and the total. A draft note has none (400)."
)


class SuperbillPdfView(_SuperbillView):
    renderer_classes = [PdfRenderer, ORJSONRenderer]
    file_format = PdfRenderer.format

    @extend_schema(
        operation_id="v1_appointments_visit_superbill_pdf",
        summary="A visit's superbill as PDF",
        description=_SUPERBILL_DOC,
        parameters=[NO_FORMAT],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The superbill, shown inline."
            )
        },
    )
    def get(self, request: Request, appointment_id: str) -> HttpResponse:
        return super().get(request, appointment_id)


class SuperbillHtmlView(_SuperbillView):
    renderer_classes = [HtmlRenderer, ORJSONRenderer]
    file_format = HtmlRenderer.format

    @extend_schema(
        operation_id="v1_appointments_visit_superbill_html",
        summary="A visit's superbill as a printable page",
        description=_SUPERBILL_DOC,
        parameters=[NO_FORMAT],
        responses={
            (200, "text/html"): OpenApiResponse(
                OpenApiTypes.STR, description="A page to print, with its own print styles."
            )
        },
    )
    def get(self, request: Request, appointment_id: str) -> HttpResponse:
        return super().get(request, appointment_id)
