"""Google on loopback: the OAuth 2.0 token endpoint for service accounts and Firebase
Cloud Messaging's HTTP v1 send endpoint.

- `POST /token` with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and an
  RS256-signed JWT `assertion`, verified against the public half of the key pair this
  stand-in generates (no private key is ever stored in the repository): answers
  {"access_token", "expires_in", "token_type": "Bearer"}, or OAuth's
  {"error": "invalid_grant", ...}.
- `POST /v1/projects/{project_id}/messages:send` with `Authorization: Bearer <token>`:
  200 {"name": "projects/{project_id}/messages/{id}"}; 401 UNAUTHENTICATED for a token it
  did not issue or that expired; 404 UNREGISTERED and 400 INVALID_ARGUMENT in Google's
  error JSON (with the FcmError detail); 403 SENDER_ID_MISMATCH for a token of another
  sender, 403 PERMISSION_DENIED (no FcmError) for a project the key may not send for;
  429 RESOURCE_EXHAUSTED with Retry-After.

Usage::

    google = GoogleStandIn()
    with google as url:
        key_file = google.write_service_account(tmp_path / "key.json")
        ...
    google.expire_tokens()  # every token issued so far is refused from now on
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .base import Recorded, Reply, StandIn

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# The audience Google's token endpoint expects in the assertion, whatever URL it was
# posted to (google-auth always names this one).
TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
_SEND = re.compile(r"^/v1/projects/(?P<project>[^/]+)/messages:send$")
_MAX_ASSERTION_LIFETIME = 3600  # Google accepts assertions valid for an hour at most
_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
# FCM's own error code, carried in the error's details, for each status.
# A 403 has no FcmError detail unless it is SENDER_ID_MISMATCH (the device token belongs
# to another sender); without one it is Google's PERMISSION_DENIED for the project.
_FCM_CODES = {
    400: "INVALID_ARGUMENT",
    404: "UNREGISTERED",
    429: "QUOTA_EXCEEDED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
_UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential."
)


class GoogleStandIn(StandIn):
    def __init__(
        self, *, project_id: str = "standin-project", expires_in: int = 3599, latency: float = 0.0
    ) -> None:
        super().__init__(latency=latency)
        self.project_id = project_id
        self.expires_in = expires_in  # seconds each new access token is valid
        self.client_email = f"fcm-sender@{project_id}.iam.gserviceaccount.com"
        self.key_id = secrets.token_hex(20)
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        # Device tokens FCM no longer knows (the app was uninstalled) and malformed ones.
        self.unregistered: set[str] = set()
        self.invalid: set[str] = set()
        self.other_sender: set[str] = set()  # tokens another Firebase project registered
        self._tokens: dict[str, float] = {}  # access token -> when it expires (time.time())
        self._sent: list[dict[str, Any]] = []
        self._state = threading.Lock()

    # What a test sets up and reads.

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    def service_account_info(self) -> dict[str, str]:
        """A service-account key as the Google Cloud console downloads it."""
        pem = self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        return {
            "type": "service_account",
            "project_id": self.project_id,
            "private_key_id": self.key_id,
            "private_key": pem,
            "client_email": self.client_email,
            "client_id": "100000000000000000001",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
            + self.client_email,
            "universe_domain": "googleapis.com",
        }

    def write_service_account(self, path: Path) -> str:
        path.write_text(json.dumps(self.service_account_info()))
        return str(path)

    def expire_tokens(self) -> None:
        """Every access token issued so far is refused from now on (as after its expiry)."""
        with self._state:
            self._tokens = dict.fromkeys(self._tokens, 0.0)

    @property
    def token_requests(self) -> list[Recorded]:
        return self.requests_to("/token")

    @property
    def issued_tokens(self) -> list[str]:
        """The access tokens issued, oldest first."""
        with self._state:
            return list(self._tokens)

    @property
    def sent(self) -> list[dict[str, Any]]:
        """The messages FCM accepted, as sent (the "message" object)."""
        with self._state:
            return list(self._sent)

    # The protocols.

    def error(self, status: int, *, retry_after: str | None = None, path: str = "") -> Reply:
        if path.startswith("/token"):
            return _oauth_error(status, "temporarily_unavailable", "Try again later.", retry_after)
        return _fcm_error(status, f"Forced {status}.", retry_after)

    def respond(self, request: Recorded) -> Reply:
        if request.path == "/token" and request.method == "POST":
            return self._token(request)
        match = _SEND.match(request.path)
        if match is not None and request.method == "POST":
            return self._send(request, match["project"])
        return _fcm_error(404, f"The requested URL {request.path} was not found on this server.")

    def _token(self, request: Recorded) -> Reply:
        form = request.form()
        if form.get("grant_type") != JWT_BEARER:
            grant = form.get("grant_type", "")
            return _oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant}")
        try:
            claims = self._verified(form.get("assertion", ""))
        except jwt.InvalidTokenError as exc:
            return _oauth_error(400, "invalid_grant", f"Invalid JWT: {exc}")
        if SCOPE not in str(claims.get("scope", "")).split():
            return _oauth_error(400, "invalid_scope", "Invalid OAuth scope or ID token audience.")
        token = "ya29.standin-" + secrets.token_urlsafe(32)
        with self._state:
            self._tokens[token] = time.time() + self.expires_in
        return Reply(
            200, {"access_token": token, "expires_in": self.expires_in, "token_type": "Bearer"}
        )

    def _verified(self, assertion: str) -> dict[str, Any]:
        if jwt.get_unverified_header(assertion).get("kid") != self.key_id:
            raise jwt.InvalidTokenError("unknown key id")
        claims = jwt.decode(
            assertion,
            self._key.public_key(),
            algorithms=["RS256"],
            audience=[TOKEN_AUDIENCE, self.token_uri],
            issuer=self.client_email,
            options={"require": ["iat", "exp", "iss", "aud"]},
            leeway=60,
        )
        if claims["exp"] - claims["iat"] > _MAX_ASSERTION_LIFETIME:
            raise jwt.InvalidTokenError("Token must be a short-lived token (60 minutes)")
        return claims

    def _authorized(self, request: Recorded) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        with self._state:
            expires = self._tokens.get(token)
        return scheme == "Bearer" and expires is not None and expires > time.time()

    def _send(self, request: Recorded, project: str) -> Reply:
        if not self._authorized(request):
            return Reply(
                401,
                {"error": {"code": 401, "message": _UNAUTHENTICATED, "status": "UNAUTHENTICATED"}},
                {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'},
            )
        try:
            message = request.json()["message"]
        except (ValueError, KeyError, TypeError):
            return _fcm_error(400, "Invalid JSON payload received.")
        refusal = self._refusal(project, message)
        if refusal is not None:
            return refusal
        with self._state:
            self._sent.append(message)
        name = f"projects/{project}/messages/0:{time.time_ns()}%{secrets.token_hex(8)}"
        return Reply(200, {"name": name})

    def _refusal(self, project: str, message: Any) -> Reply | None:
        if project != self.project_id:
            return _fcm_error(
                403, f"Permission 'cloudmessaging.messages.create' denied on {project}."
            )
        invalid = _invalid(message)
        if invalid:
            return _fcm_error(400, invalid)
        token = message.get("token", "")
        if token in self.invalid:
            return _fcm_error(400, "The registration token is not a valid FCM registration token")
        if token in self.unregistered:
            return _fcm_error(404, "Requested entity was not found.")
        if token in self.other_sender:
            return _fcm_error(403, "SenderId mismatch", code="SENDER_ID_MISMATCH")
        return None


def _invalid(message: Any) -> str:
    """What FCM refuses in the message object itself, or ""."""
    if not isinstance(message, dict):
        return "Invalid value at 'message'."
    targets = [key for key in ("token", "topic", "condition") if message.get(key)]
    if len(targets) != 1:
        return "Exactly one of message.token, message.topic or message.condition is required."
    data = message.get("data", {})
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return "Invalid value at 'message.data' (TYPE_STRING): values must be strings."
    return ""


def _fcm_error(
    status: int, message: str, retry_after: str | None = None, *, code: str = ""
) -> Reply:
    error: dict[str, Any] = {
        "code": status,
        "message": message,
        "status": _STATUS.get(status, "UNKNOWN"),
    }
    code = code or _FCM_CODES.get(status, "")
    if code:
        error["details"] = [
            {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}
        ]
    return Reply(status, {"error": error}, {"Retry-After": retry_after} if retry_after else {})


def _oauth_error(
    status: int, error: str, description: str, retry_after: str | None = None
) -> Reply:
    body = {"error": error, "error_description": description}
    return Reply(status, body, {"Retry-After": retry_after} if retry_after else {})
