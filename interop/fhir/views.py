"""The FHIR endpoints: metadata, read, search and Patient/$everything.

Every answer is FHIR JSON, errors included (an OperationOutcome rather than the API's
own error envelope), so a FHIR client can read whatever comes back. The clinic is the
caller's; another clinic's ids are simply not found.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access_log import VIEW, record_patient_access
from core.api.files import FirstRenderer
from core.api.renderers import ORJSONRenderer
from core.localtime import zone_of
from interop.fhir import reads, registry
from interop.fhir.bundle import full_url, searchset
from interop.fhir.capability import capability_statement
from interop.fhir.outcome import exception_handler
from interop.fhir.search import check_format, parse
from interop.fhir.types import FhirType
from practice.api.permissions import IsStaff
from practice.tenancy import clinic_of


class FhirJsonRenderer(ORJSONRenderer):
    media_type = "application/fhir+json"
    format = "json"
    charset = "utf-8"


class FhirView(APIView):
    # FHIR's own description of itself is the CapabilityStatement; left out of the
    # OpenAPI schema (whose generator would otherwise root every path at "/").
    schema = None
    permission_classes = [IsStaff]
    renderer_classes = [FhirJsonRenderer]
    # FHIR JSON whatever Accept says; `_format` is checked with the search parameters,
    # so an XML request is refused as FHIR says (406).
    content_negotiation_class = FirstRenderer
    # OPTIONS would answer DRF's own description, which no FHIR client reads.
    http_method_names = ["get", "head"]

    def get_exception_handler(self) -> Any:
        return exception_handler

    def fhir_type(self, name: str) -> FhirType:
        found = registry.types().get(name)
        if found is None:
            raise exceptions.NotFound(
                _("This server has no resource type %(name)s.") % {"name": name}
            )
        if not reads.readable(self.request.user, found, self.clinic):
            raise exceptions.PermissionDenied(
                _("Your role does not read %(name)s resources.") % {"name": name}
            )
        return found

    @property
    def clinic(self) -> Any:
        return clinic_of(self.request.user)

    def lenient(self) -> bool:
        """Whether the client asked that unknown parameters be ignored (FHIR's
        `Prefer: handling=lenient`)."""
        prefer = self.request.headers.get("Prefer", "")
        return "handling=lenient" in prefer.replace(" ", "").lower()

    def params(self) -> dict[str, list[str]]:
        query = {
            name: self.request.query_params.getlist(name) for name in self.request.query_params
        }
        check_format(query)
        return query

    def logged(self, found: list[reads.Found]) -> None:
        patients = {item.patient_id for item in found if item.patient_id is not None}
        record_patient_access(request=self.request, patients=sorted(patients), action=VIEW)


class MetadataView(FhirView):
    # What the server can do is no one's record: FHIR clients read it before signing in.
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    def get(self, request: Request) -> Response:
        self.params()
        return Response(capability_statement(request))


class SearchView(FhirView):
    def get(self, request: Request, resource_type: str) -> Response:
        fhir_type = self.fhir_type(resource_type)
        search = parse(
            self.params(),
            allowed=registry.searches(fhir_type),
            zone=zone_of(self.clinic.time_zone),
            lenient=self.lenient(),
        )
        found, total = reads.search_page(fhir_type, self.clinic, search)
        self.logged(found)
        return Response(searchset(request, found=found, total=total, search=search))


class ReadView(FhirView):
    def get(self, request: Request, resource_type: str, resource_id: str) -> Response:
        fhir_type = self.fhir_type(resource_type)
        params = self.params()
        if set(params) - {"_format", "_pretty"}:
            raise exceptions.ParseError(_("A read takes no search parameters."))
        found = reads.read_one(fhir_type, self.clinic, resource_id)
        if found is None:
            raise exceptions.NotFound(
                _("%(type)s/%(id)s is not known here.") % {"type": resource_type, "id": resource_id}
            )
        self.logged([found])
        return Response(
            found.resource, headers={"Content-Location": full_url(request, found.resource)}
        )


class EverythingView(FhirView):
    def get(self, request: Request, resource_id: str) -> Response:
        patient_type = self.fhir_type(reads.PATIENT)
        search = parse(
            self.params(),
            allowed=frozenset(),
            zone=zone_of(self.clinic.time_zone),
            lenient=self.lenient(),
        )
        if reads.read_one(patient_type, self.clinic, resource_id) is None:
            raise exceptions.NotFound(_("Patient/%(id)s is not known here.") % {"id": resource_id})
        # The patient first, as a reader of the bundle expects.
        allowed = [patient_type] + [
            t
            for t in registry.types().values()
            if t is not patient_type and reads.readable(request.user, t, self.clinic)
        ]
        page, total = reads.everything_page(
            self.clinic, int(resource_id), allowed, offset=search.offset, count=search.count
        )
        self.logged(page)
        return Response(searchset(request, found=page, total=total, search=search))


class UnknownView(FhirView):
    permission_classes = [AllowAny]

    def get(self, request: Request, path: str = "") -> Response:
        raise exceptions.NotFound(_("This server answers no such request."))
