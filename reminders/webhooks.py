"""Inbound SMS (Twilio-style webhook): a STOP reply withdraws SMS consent.

Requests are authenticated with the provider's signature (HMAC-SHA1 of the URL and
the sorted form fields, keyed with the account's auth token); without a token
configured the endpoint refuses everything, except in local development.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services

_EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def signature(url: str, params: dict[str, str], token: str) -> str:
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _authentic(request: HttpRequest) -> bool:
    token = settings.SMS_AUTH_TOKEN
    if not token:
        return settings.DEBUG
    expected = signature(request.build_absolute_uri(), request.POST.dict(), token)
    return hmac.compare_digest(expected, request.headers.get("X-Twilio-Signature", ""))


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    if not _authentic(request):
        return HttpResponseForbidden("Bad signature.")
    body = request.POST.get("Body", "").strip().upper()
    sender = request.POST.get("From", "").strip()
    if body in services.STOP_WORDS and sender:
        services.sms_opt_out(phone=sender)
    return HttpResponse(_EMPTY_TWIML, content_type="text/xml")
