"""Push through Firebase Cloud Messaging's HTTP v1 API with a service-account key.

FCM takes short-lived OAuth 2.0 access tokens, which google-auth obtains from the key's
token endpoint. One token serves every send of the process until shortly before it
expires (google-auth's refresh threshold, minutes ahead), so a burst costs one token
request, not one per message; a lock makes the threads of a delivery batch share it and
lets one of them fetch the next. A 401 means the token was refused before its time
(revoked, a clock off): one new token, one more try.

FCM's refusals of the message itself (UNREGISTERED: the app is gone from the device;
INVALID_ARGUMENT; SENDER_ID_MISMATCH: the token belongs to another sender) are
permanent. Refusals of our credentials (a 401 with a fresh token, a 403
PERMISSION_DENIED for the project, a key the token endpoint rejects) are transient: the
message is fine and goes once the key is fixed.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import google.auth.exceptions
import urllib3
from django.conf import settings
from google.auth.credentials import TokenState
from google.auth.transport.urllib3 import Request as AuthRequest
from google.oauth2 import service_account

from . import http_client as http
from .base import Message, TransportError

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
_UNAUTHORIZED = 401
_FORBIDDEN = 403
_SENDER_ID_MISMATCH = "SENDER_ID_MISMATCH"


class FcmPushTransport:
    def __init__(self) -> None:
        self._http = http.pool()
        self._auth_request = AuthRequest(self._http)
        self._lock = threading.Lock()
        self._credentials: service_account.Credentials | None = None
        self._key_file = ""
        self._project_id = ""

    def send(self, message: Message) -> str:
        token = self._access_token()
        response = self._post(message, token)
        if response.status == _UNAUTHORIZED:
            response = self._post(message, self._access_token(rejected=token))
        if not http.succeeded(response):
            reply = http.json_body(response)
            # 403 PERMISSION_DENIED: the key's account may not send for this project (a
            # wrong project id, a missing role), unless FCM names the token's sender.
            credentials = response.status == _FORBIDDEN and _SENDER_ID_MISMATCH not in _codes(reply)
            raise http.refusal(response, _describe(reply), transient=credentials)
        reply = http.json_body(response)
        return str(reply.get("name", "")) if isinstance(reply, dict) else ""

    def _post(self, message: Message, token: str) -> urllib3.BaseHTTPResponse:
        url = f"{settings.PUSH_API_URL.rstrip('/')}/v1/projects/{self._project_id}/messages:send"
        payload = {
            "message": {
                "token": message.to,
                "notification": {"title": message.subject, "body": message.body},
                # FCM's data values are strings.
                "data": {"notification_id": str(message.notification_id), "kind": message.kind},
            }
        }
        return http.post(
            self._http,
            url,
            body=json.dumps(payload).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )

    def _access_token(self, *, rejected: str | None = None) -> str:
        """The cached token, or a new one when it is near expiry or was `rejected` (unless
        another thread has replaced it meanwhile)."""
        with self._lock:
            credentials = self._loaded()
            if credentials.token_state != TokenState.FRESH or credentials.token == rejected:
                try:
                    credentials.refresh(self._auth_request)
                except google.auth.exceptions.GoogleAuthError as exc:
                    raise TransportError(f"FCM access token: {exc}", permanent=False) from exc
            return str(credentials.token)

    def _loaded(self) -> service_account.Credentials:
        key_file = settings.PUSH_SERVICE_ACCOUNT_FILE
        if self._credentials is not None and key_file == self._key_file:
            return self._credentials
        if not key_file:
            raise TransportError("PUSH_SERVICE_ACCOUNT_FILE is not set.", permanent=False)
        try:
            info = json.loads(Path(key_file).read_text(encoding="utf-8"))
            credentials = service_account.Credentials.from_service_account_info(
                info, scopes=[SCOPE]
            )
        except (OSError, ValueError, KeyError) as exc:
            raise TransportError(
                f"the service account key {key_file} is unreadable: {exc}", permanent=False
            ) from exc
        self._credentials, self._key_file = credentials, key_file
        self._project_id = str(info.get("project_id", ""))
        return credentials


def _describe(reply: Any) -> str:
    """FCM's error JSON as one line: "UNREGISTERED (NOT_FOUND): Requested entity ..."."""
    error = reply.get("error") if isinstance(reply, dict) else None
    if not isinstance(error, dict):
        return "FCM"
    codes = _codes(reply)
    status = error.get("status", "")
    label = f"{codes[0]} ({status})" if codes and codes[0] != status else status
    return f"FCM {label}: {error.get('message', '')}".strip()


def _codes(reply: Any) -> list[str]:
    """FCM's error codes in its error JSON (error.details[].errorCode)."""
    error = reply.get("error") if isinstance(reply, dict) else None
    details = error.get("details") if isinstance(error, dict) else None
    if not isinstance(details, list):
        return []
    return [str(d["errorCode"]) for d in details if isinstance(d, dict) and d.get("errorCode")]
