"""SMS through Twilio's Messages API (or any provider speaking it).

Each text asks for status callbacks at the project's own route, so the provider's later
word (delivered, undelivered, failed) lands on the outbox row (`reminders.receipts`).
"""

from __future__ import annotations

import base64
import urllib.parse

from django.conf import settings
from django.urls import reverse

from . import http_client as http
from .base import Message

STATUS_CALLBACK_ROUTE = "sms-status-webhook"


def status_callback_url() -> str:
    """The absolute URL Twilio posts delivery receipts to (and signs them with)."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse(STATUS_CALLBACK_ROUTE)}"


class TwilioSmsTransport:
    def __init__(self) -> None:
        self._http = http.pool()

    def send(self, message: Message) -> str:
        account, token = settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN
        url = f"{settings.SMS_API_URL.rstrip('/')}/2010-04-01/Accounts/{account}/Messages.json"
        form = {
            "To": message.to,
            "From": settings.SMS_FROM_NUMBER,
            "Body": message.body,
            "StatusCallback": status_callback_url(),
        }
        credentials = base64.b64encode(f"{account}:{token}".encode()).decode()
        response = http.post(
            self._http,
            url,
            body=urllib.parse.urlencode(form).encode(),
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        reply = http.json_body(response)
        if not http.succeeded(response):
            # Twilio's error JSON: {"code": 21211, "message": "The 'To' number ...", ...}
            code = reply.get("code", "") if isinstance(reply, dict) else ""
            text = reply.get("message", "") if isinstance(reply, dict) else ""
            raise http.refusal(response, f"Twilio {code} {text}".strip())
        # Accepted: the sid is what its status callbacks name. Without one (not Twilio's
        # way) the text still went, so it is not sent again.
        return str(reply.get("sid", "")) if isinstance(reply, dict) else ""
