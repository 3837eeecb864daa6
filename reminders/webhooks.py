"""The SMS provider's webhooks (Twilio's form POSTs).

- Inbound SMS: STOP withdraws SMS consent, START gives it back, HELP is answered with
  the clinic's name and phone (see `reminders.consent`).
- Status callbacks: the delivery receipt of a text we sent (see `reminders.receipts`).

Both are authenticated with the provider's signature (HMAC-SHA1 of the URL and
the sorted form fields, keyed with the account's auth token); without a token
configured the endpoint refuses everything, except in local development. A field holding
text PostgreSQL cannot store (a NUL) is refused before either view, with a 400 naming it
(`core.unstorable`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
)
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import consent, receipts
from .channels.twilio import status_callback_url

_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response>{}</Response>'


def signature(url: str, params: Mapping[str, str | Sequence[str]], token: str) -> str:
    """The provider's signature of a form POST: the URL, then each field's name and value
    by sorted name; a field given more than once contributes each distinct value, sorted,
    as Twilio's own request validator computes it."""
    payload = url
    for key in sorted(params):
        value = params[key]
        values = [value] if isinstance(value, str) else sorted(set(value))
        payload += "".join(f"{key}{item}" for item in values)
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _authentic(request: HttpRequest, *, url: str) -> bool:
    """Whether the request is signed for `url`, the address the provider was given (a
    proxy in front may have changed the one the request arrived at)."""
    token = settings.SMS_AUTH_TOKEN
    if not token:
        return settings.DEBUG
    given = request.headers.get("X-Twilio-Signature", "")
    # Not base64, and compare_digest raises on non-ASCII text.
    if not given.isascii():
        return False
    expected = signature(url, dict(request.POST.lists()), token)
    return hmac.compare_digest(expected, given)


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    if not _authentic(request, url=request.build_absolute_uri()):
        return HttpResponseForbidden("Bad signature.")
    reply = consent.sms_reply_receive(
        phone=request.POST.get("From", "").strip(),
        body=request.POST.get("Body", ""),
        message_sid=request.POST.get("MessageSid", "").strip(),
        opt_out_type=request.POST.get("OptOutType", ""),
    )
    message = f"<Message>{escape(reply)}</Message>" if reply else ""
    return HttpResponse(_TWIML.format(message), content_type="text/xml")


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    """Twilio's status callback, signed with the URL each text asked it to post to. An
    unknown MessageSid is answered 200 too: the row may not carry it yet (its receipt
    waits), be archived or another system's, and an error would only make Twilio try
    again."""
    if not _authentic(request, url=status_callback_url()):
        return HttpResponseForbidden("Bad signature.")
    receipts.notification_receipt_record(
        provider_message_id=request.POST.get("MessageSid", "").strip(),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
        at=timezone.now(),
    )
    return HttpResponse(status=200)
