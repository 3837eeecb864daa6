"""Errors as FHIR OperationOutcomes, and the exceptions the views raise for them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from interop.fhir.types import Resource

# The issue type (http://hl7.org/fhir/issue-type) for each status we answer with.
_ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    429: "throttled",
}


class BadSearch(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The search parameters are not valid.")
    default_code = "invalid"


class NotAcceptable(exceptions.APIException):
    status_code = status.HTTP_406_NOT_ACCEPTABLE
    default_detail = _("Only JSON (application/fhir+json) is served.")
    default_code = "not-supported"


def operation_outcome(*, diagnostics: str, code: str, severity: str = "error") -> Resource:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler for the FHIR views: every error as an OperationOutcome."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        return None
    detail: Any = exc.detail
    if isinstance(detail, dict):
        # An authentication failure's detail is {"detail": ..., "code": ..., "messages": ...}.
        detail = detail.get("detail") or "; ".join(str(item) for item in detail.values())
    elif isinstance(detail, list):
        detail = "; ".join(str(item) for item in detail)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
    wait = getattr(exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(int(wait))
    code = _ISSUE_CODES.get(exc.status_code, "processing")
    body = operation_outcome(diagnostics=str(detail), code=code)
    return Response(body, status=exc.status_code, headers=headers)
