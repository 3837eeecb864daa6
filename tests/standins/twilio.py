"""Twilio's Messages API on loopback: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`,
form-encoded, HTTP basic auth with the account sid and auth token; 201 with the message
resource ("sid": "SM...", "status": "queued"); errors as Twilio's JSON
{"code", "message", "more_info", "status"} with Twilio's error codes.

Usage::

    twilio = TwilioStandIn(latency=0.2)
    with twilio as url:
        settings.SMS_API_URL = url
        settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN = twilio.account_sid, twilio.auth_token
        ...
    twilio.messages  # what was accepted, in order
    twilio.fail_next(429, retry_after="3")  # Twilio's "Too Many Requests"

`callback_form(sid, status)` gives the form Twilio posts to a message's StatusCallback.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import re
import secrets
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from .base import Recorded, Reply, StandIn

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "standin-auth-token"
_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages\.json$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_MAX_BODY = 1600
_SINGLE, _PART = 160, 153  # GSM-7 characters in one text, in each part of a long one
_TITLES = {
    400: "Bad Request",
    401: "Authenticate",
    404: "The requested resource was not found",
    405: "Method not allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
# Twilio's error code for each plain HTTP failure (2xxxx: API errors).
_CODES = {400: 21100, 401: 20003, 404: 20404, 405: 20004, 429: 20429, 500: 20500, 503: 20503}


@dataclass(frozen=True)
class SentMessage:
    sid: str
    to: str
    from_: str
    body: str
    status_callback: str


class TwilioStandIn(StandIn):
    def __init__(
        self,
        *,
        account_sid: str = ACCOUNT_SID,
        auth_token: str = AUTH_TOKEN,
        latency: float = 0.0,
    ) -> None:
        super().__init__(latency=latency)
        self.account_sid = account_sid
        self.auth_token = auth_token
        # Numbers that replied STOP: Twilio refuses to text them (error 21610).
        self.unsubscribed: set[str] = set()
        self._messages: list[SentMessage] = []
        self._messages_lock = threading.Lock()

    @property
    def messages(self) -> list[SentMessage]:
        with self._messages_lock:
            return list(self._messages)

    def callback_form(self, sid: str, status: str, *, error_code: str = "") -> dict[str, str]:
        """What Twilio posts to the StatusCallback of message `sid` when it reaches `status`."""
        sent = next(message for message in self.messages if message.sid == sid)
        form = {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "From": sent.from_,
            "MessageSid": sid,
            "MessageStatus": status,
            "SmsSid": sid,
            "SmsStatus": status,
            "To": sent.to,
        }
        if error_code:
            form["ErrorCode"] = error_code
        return form

    def error(self, status: int, *, retry_after: str | None = None, path: str = "") -> Reply:
        return self._error(
            status, _CODES.get(status, 20500), _TITLES.get(status, "Error"), retry_after
        )

    def _error(self, status: int, code: int, message: str, retry_after: str | None = None) -> Reply:
        body = {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }
        return Reply(status, body, {"Retry-After": retry_after} if retry_after else {})

    def respond(self, request: Recorded) -> Reply:
        match = _PATH.match(request.path)
        if match is None:
            return self._error(404, 20404, f"The requested resource {request.path} was not found")
        if request.method != "POST":
            return self.error(405)
        if match["account"] != self.account_sid or not self._authenticated(request):
            return self.error(401)
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return self._error(400, 21100, "Bad Request: expected a form-encoded body")
        return self._create(request)

    def _authenticated(self, request: Recorded) -> bool:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return secrets.compare_digest(f"{user}:{password}", f"{self.account_sid}:{self.auth_token}")

    def _refusal(self, form: dict[str, str]) -> tuple[int, str] | None:
        """Twilio's validation of a new message, in its order: (error code, message)."""
        to, body, callback = (
            form.get("To", ""),
            form.get("Body", ""),
            form.get("StatusCallback", ""),
        )
        checks = [
            (not to, 21604, "A 'To' phone number is required."),
            (
                not form.get("From") and not form.get("MessagingServiceSid"),
                21603,
                "A 'From' phone number is required.",
            ),
            (not body and not form.get("MediaUrl"), 21602, "Message body is required."),
            (not _E164.match(to), 21211, f"The 'To' number {to} is not a valid phone number."),
            (
                len(body) > _MAX_BODY,
                21617,
                "The concatenated message body exceeds the 1600 character limit.",
            ),
            (
                bool(callback) and urlsplit(callback).scheme not in ("http", "https"),
                21609,
                f"The StatusCallback URL {callback} is not a valid URL.",
            ),
            (to in self.unsubscribed, 21610, "Attempt to send to unsubscribed recipient"),
        ]
        return next(((code, text) for failed, code, text in checks if failed), None)

    def _create(self, request: Recorded) -> Reply:
        form = request.form()
        refusal = self._refusal(form)
        if refusal is not None:
            return self._error(400, *refusal)
        to, from_, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        callback = form.get("StatusCallback", "")
        sid = "SM" + secrets.token_hex(16)
        with self._messages_lock:
            self._messages.append(SentMessage(sid, to, from_, body, callback))
        now = email.utils.formatdate(usegmt=True)
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json"
        return Reply(
            201,
            {
                "account_sid": self.account_sid,
                "api_version": "2010-04-01",
                "body": body,
                "date_created": now,
                "date_sent": None,
                "date_updated": now,
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
                "from": from_,
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "num_media": "0",
                "num_segments": str(1 if len(body) <= _SINGLE else -(-len(body) // _PART)),
                "price": None,
                "price_unit": "USD",
                "sid": sid,
                "status": "queued",
                "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
                "to": to,
                "uri": uri,
            },
        )
