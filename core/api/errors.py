"""One error envelope for every API answer that is not a success.

    {"status": 400, "code": "invalid", "detail": "mrn: This field is required.",
     "errors": {"mrn": ["This field is required."]}, "request_id": "4f1c…"}

`detail` is one message a client can show as it is; `errors` holds the messages per field
as DRF's serializers nest them (`non_field_errors` for the body as a whole) and is `{}` when
the error is not about fields; `code` is machine-readable (DRF's codes, the JWT library's
`token_not_valid`, `server_error`); `request_id` is the one in the `X-Request-ID` header
and in the server's log. Services raise Django's ValidationError (the admin shows it on the
form); here it becomes the same 400. Django's own 403, 404 and 500 pages are this JSON under
/api/, and a 500 never carries a trace.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core import request_id
from core.conflicts import ConflictError
from core.records import HardDeleteRefused

API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"
SERVER_ERROR_DETAIL = gettext_lazy(
    "Something went wrong on our side. It is logged; quote the request id if you report it."
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This contradicts what is already stored.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "payload_too_large"


def validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail: Any = {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    else:
        detail = {"non_field_errors": exc.messages}
    return exceptions.ValidationError(detail)


def envelope(
    *, status_code: int, code: str, detail: str, errors: dict | None = None
) -> dict[str, Any]:
    return {
        "status": status_code,
        "code": code,
        "detail": detail,
        "errors": errors or {},
        "request_id": request_id.current(),
    }


def _first_message(errors: Any, path: str = "") -> tuple[str, str]:
    """The first message in DRF's nested errors, with the path of the field it is about."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = "" if key == "non_field_errors" else str(key)
            return _first_message(value, f"{path}.{name}" if path and name else path or name)
    if isinstance(errors, list) and errors:
        # A list of items' errors may hold one entry per item, `{}` for each valid one.
        index, first = next(((i, e) for i, e in enumerate(errors) if e), (0, errors[0]))
        if isinstance(first, dict | list):
            return _first_message(first, f"{path}.{index}" if path else str(index))
        return path, str(first)
    return path, str(errors)


def _code_of(detail: Any, default: str) -> str:
    code = getattr(detail, "code", None)
    return str(code) if code else default


def _body(exc: exceptions.APIException, status_code: int) -> dict[str, Any]:
    detail = exc.detail
    if isinstance(exc, Conflict):
        return envelope(
            status_code=status_code,
            code="conflict",
            detail=str(detail),
            errors=getattr(exc, "fields", {}),
        )
    if isinstance(exc, exceptions.ValidationError):
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        path, message = _first_message(errors)
        return envelope(
            status_code=status_code,
            code="invalid",
            detail=f"{path}: {message}" if path else message,
            errors=dict(errors),
        )
    if isinstance(detail, dict):
        # The JWT library's {"detail", "code", "messages"}: its code, its message.
        return envelope(
            status_code=status_code,
            code=str(detail.get("code") or exc.default_code),
            detail=str(detail.get("detail") or exc.default_detail),
        )
    if isinstance(detail, list):
        _, message = _first_message(detail)
        return envelope(status_code=status_code, code=exc.default_code, detail=message)
    return envelope(
        status_code=status_code, code=_code_of(detail, exc.default_code), detail=str(detail)
    )


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = validation_error(exc)
    elif isinstance(exc, HardDeleteRefused):
        exc = exceptions.MethodNotAllowed(
            context["request"].method,
            detail=_("Clinical records are never deleted; archive instead."),
        )
    elif isinstance(exc, ConflictError):
        conflict = Conflict(exc.detail)
        conflict.fields = {name: [message] for name, message in exc.fields.items()}  # type: ignore[attr-defined]
        exc = conflict
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = _body(exc, response.status_code)
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 for URLs no route matches: JSON under /api/, the HTML page elsewhere."""
    if _is_api(request):
        body = envelope(status_code=404, code="not_found", detail=_("Not found."))
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 (a disallowed host, a suspicious operation) as JSON under /api/."""
    if _is_api(request):
        body = envelope(status_code=400, code="bad_request", detail=_("The request is malformed."))
        return JsonResponse(body, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 403 (a PermissionDenied raised outside DRF): JSON under /api/; under
    /admin/ an admin page saying why, with the way back to the admin's index."""
    message = str(exception) if exception is not None else ""
    if _is_api(request):
        detail = message or str(exceptions.PermissionDenied.default_detail)
        body = envelope(status_code=403, code="permission_denied", detail=detail)
        return JsonResponse(body, status=403)
    if not request.path.startswith(ADMIN_PREFIX):
        return defaults.permission_denied(request, exception)
    context = {
        **admin.site.each_context(request),  # the admin's header, user links and sidebar
        "title": "Permission denied",
        "reason": message,
    }
    return TemplateResponse(request, "admin/403.html", context, status=403).render()


def server_error(request: HttpRequest) -> HttpResponse:
    """An unhandled error: JSON with the request id under /api/, never a trace."""
    if _is_api(request):
        body = envelope(status_code=500, code="server_error", detail=str(SERVER_ERROR_DETAIL))
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
