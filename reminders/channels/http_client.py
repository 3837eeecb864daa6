"""HTTP to providers: one pooled, thread-safe connection manager per transport, and the
reading of a provider's answer that every HTTP transport shares.

A failed send is permanent on a 4xx other than 401, 408 and 429 (the request itself is
wrong: a bad number, an unknown device), transient on those three, 5xx and network
errors. A 401 refuses our credentials, not the message: the message goes once the
deployment's key or token is fixed, within the outbox's attempts. On 429 and 503 the
provider's Retry-After (seconds or an HTTP date) says how long to wait, up to an hour.
A transport may read a refusal more closely (FCM's 403 is a credential problem unless
it names SENDER_ID_MISMATCH).
"""

from __future__ import annotations

import datetime
import email.utils
import json
from http import HTTPStatus
from typing import Any

import urllib3
from django.conf import settings
from django.utils import timezone

from .base import TransportError

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
_TRANSIENT_CLIENT_ERRORS = (
    HTTPStatus.UNAUTHORIZED,
    HTTPStatus.REQUEST_TIMEOUT,
    HTTPStatus.TOO_MANY_REQUESTS,
)
_SAYS_WHEN = (HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE)
# A provider asking for longer is asked again after an hour (and may say wait again): a
# wrong header cannot park a message for days, nor overflow the outbox's clock.
MAX_RETRY_AFTER = datetime.timedelta(hours=1)
_MAX_SECONDS_DIGITS = 9


def pool() -> urllib3.PoolManager:
    """Kept-alive connections, as many per host as a delivery batch sends at once (more
    are opened when needed and not kept); no retries or redirects of its own: the
    outbox decides when to try again."""
    return urllib3.PoolManager(
        maxsize=max(settings.REMINDERS_SEND_THREADS, 1),
        block=False,
        retries=False,
        timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT),
    )


def post(
    http: urllib3.PoolManager, url: str, *, body: bytes, headers: dict[str, str]
) -> urllib3.BaseHTTPResponse:
    """POST to a provider; a network failure is a transient TransportError."""
    try:
        return http.request("POST", url, body=body, headers=headers, redirect=False)
    except urllib3.exceptions.HTTPError as exc:
        raise TransportError(f"{url}: {exc}", permanent=False) from exc


def json_body(response: urllib3.BaseHTTPResponse) -> Any:
    try:
        return json.loads(response.data or b"{}")
    except ValueError:
        return {}


def succeeded(response: urllib3.BaseHTTPResponse) -> bool:
    return HTTPStatus.OK <= response.status < HTTPStatus.MULTIPLE_CHOICES


def refusal(
    response: urllib3.BaseHTTPResponse, detail: str, *, transient: bool = False
) -> TransportError:
    """The TransportError for a provider's non-2xx answer; `transient` when the transport
    knows this refusal is of our credentials, not the message."""
    status = response.status
    permanent = (
        not transient
        and HTTPStatus.BAD_REQUEST <= status < HTTPStatus.INTERNAL_SERVER_ERROR
        and status not in _TRANSIENT_CLIENT_ERRORS
    )
    wait = retry_after(response.headers.get("Retry-After")) if status in _SAYS_WHEN else None
    return TransportError(f"HTTP {status}: {detail}", permanent=permanent, retry_after=wait)


def retry_after(value: str | None) -> datetime.timedelta | None:
    """Retry-After as a wait from now: delay-seconds (ASCII digits) or an HTTP date (RFC
    9110 10.2.3), at most `MAX_RETRY_AFTER`."""
    value = (value or "").strip()
    if not value:
        return None
    # str.isdigit() also takes "²" and other digits int() refuses.
    if value.isascii() and value.isdigit():
        # Compared as text first: int() refuses a few thousand digits, timedelta far fewer.
        if len(value) > _MAX_SECONDS_DIGITS:
            return MAX_RETRY_AFTER
        return min(datetime.timedelta(seconds=int(value)), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None  # unreadable: the outbox's own backoff applies
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)  # HTTP dates are in GMT
    return min(max(when - timezone.now(), datetime.timedelta(0)), MAX_RETRY_AFTER)
