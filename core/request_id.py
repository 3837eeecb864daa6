"""A request id on every answer and every log line, so a user's report meets the log.

The id comes from the proxy's `X-Request-ID` when it looks like one (a load balancer's or
a gateway's, so one id follows the request through every hop), or is made here. Only a
proxy's is taken: with none in front (`NUM_PROXIES` 0) the header is the client's own, and
a client choosing its id could reuse another user's and send support to the wrong log
lines; then ours is made and the one given is logged beside it. The id goes back in the
`X-Request-ID` header, into the body of every API error, and into each log record written
while the request runs.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponseBase
from rest_framework.settings import api_settings

HEADER = "X-Request-ID"
# What we accept from upstream: short and plain, so it cannot forge log lines.
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")
_current: ContextVar[str] = ContextVar("request_id", default="-")
logger = logging.getLogger(__name__)


def current() -> str:
    """The id of the request being answered, or "-" outside one (a Celery task, a shell)."""
    return _current.get()


def _given(request: HttpRequest) -> str | None:
    given = request.headers.get(HEADER, "")
    return given if _ACCEPTED.fullmatch(given) else None


def _behind_proxy() -> bool:
    # The same count the throttles read the client's address by.
    return (api_settings.NUM_PROXIES or 0) > 0


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = _given(request)
        request_id = given if given is not None and _behind_proxy() else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(request_id)
        try:
            if given is not None and given != request_id:
                logger.info("The client sent %s %s.", HEADER, given)
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current()
        return True
