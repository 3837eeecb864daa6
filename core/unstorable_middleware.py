"""Query strings and form posts holding text PostgreSQL cannot store are refused with a 400
naming the parameter (`core.unstorable` says which text and why)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase, JsonResponse
from django.http.multipartparser import MultiPartParserError

from core.api.errors import API_PREFIX, envelope
from core.unstorable import parameter_errors

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# Where every form post meets a form that checks it (see the middleware's docstring).
CHECKED_BY_THEIR_FORMS = (API_PREFIX, "/admin/")


def _refusal(request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponseBase:
    name, messages = next(iter(errors.items()))
    detail = f"{name}: {messages[0]}"
    if request.path.startswith(API_PREFIX):
        body = envelope(status_code=400, code="invalid", detail=detail, errors=errors)
        return JsonResponse(body, status=400)
    return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")


class UnstorableTextMiddleware:
    """Refuses a request whose query string or form post holds unstorable text with a
    400 naming the parameter, before any view, filter or form reads it.

    Form posts are checked where no form of ours reads them (the SMS provider's webhooks):
    API bodies are JSON, checked by the API's parser (a form sent there is refused as
    unsupported, and reading it here would take it from DRF), and the admin's form fields
    refuse a NUL themselves, on the form, keeping what was typed (its JSON fields, whose
    escapes decode to one, too: `core.forms.StorableJSONField`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        errors = parameter_errors(request.GET)
        if not errors and _is_form_post(request):
            try:
                errors = parameter_errors(request.POST)
            except MultiPartParserError:
                return HttpResponseBadRequest(
                    "The form body is malformed.", content_type="text/plain; charset=utf-8"
                )
        if errors:
            return _refusal(request, errors)
        return self.get_response(request)


def _is_form_post(request: HttpRequest) -> bool:
    return (
        request.method == "POST"
        and request.content_type in FORM_TYPES
        and not request.path.startswith(CHECKED_BY_THEIR_FORMS)
    )
