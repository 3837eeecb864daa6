"""Inbound SMS (Twilio-style webhook): STOP withdraws SMS consent, START gives it back,
HELP is answered with the clinic's name and phone (see `reminders.consent`).

Requests are authenticated with the provider's signature (HMAC-SHA1 of the URL and
the sorted form fields, keyed with the account's auth token); without a token
configured the endpoint refuses everything, except in local development.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import consent

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


def _authentic(request: HttpRequest) -> bool:
    token = settings.SMS_AUTH_TOKEN
    if not token:
        return settings.DEBUG
    expected = signature(request.build_absolute_uri(), dict(request.POST.lists()), token)
    return hmac.compare_digest(expected, request.headers.get("X-Twilio-Signature", ""))


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    if not _authentic(request):
        return HttpResponseForbidden("Bad signature.")
    reply = consent.sms_reply_receive(
        phone=request.POST.get("From", "").strip(),
        body=request.POST.get("Body", ""),
        message_sid=request.POST.get("MessageSid", "").strip(),
        opt_out_type=request.POST.get("OptOutType", ""),
    )
    message = f"<Message>{escape(reply)}</Message>" if reply else ""
    return HttpResponse(_TWIML.format(message), content_type="text/xml")
