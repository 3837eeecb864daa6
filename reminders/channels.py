"""Delivery channels: one small transport per way of reaching someone.

`send()` returns the provider's message id or raises TransportError, which says
whether trying again could help. Which transport serves a channel is a setting
(`REMINDERS_TRANSPORTS`); `REMINDERS_OUTBOX_FILE` sends every channel to one JSON-lines
file, for development and tests.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import fcntl
import json
import logging
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from functools import cache
from http import HTTPStatus
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    notification_id: int
    channel: str
    kind: str
    to: str
    scheduled_for: datetime.datetime
    subject: str
    body: str


class TransportError(Exception):
    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.permanent = permanent


class Transport(Protocol):
    def send(self, message: Message) -> str: ...


def _line(message: Message) -> dict:
    return {**asdict(message), "scheduled_for": message.scheduled_for.isoformat()}


class NullTransport:
    """Accepts everything and sends nothing (benchmarks)."""

    def send(self, message: Message) -> str:
        return f"null-{message.notification_id}"


class ConsoleTransport:
    """Logs each message: development without providers."""

    def send(self, message: Message) -> str:
        logger.info("reminder %s", json.dumps(_line(message)))
        return f"console-{message.notification_id}"


class FileTransport:
    """Appends one JSON object a line to a file.

    Idempotent per notification: a message whose id is already in the file is not
    written again, so a delivery retried after a crash between the write and the
    database update still leaves one line. An exclusive lock orders writers across
    worker processes; each process remembers what it has read of the file.
    """

    def __init__(self, path: str | None = None):
        self.path = path or settings.REMINDERS_OUTBOX_FILE
        self._seen: set[int] = set()
        self._offset = 0

    def send(self, message: Message) -> str:
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        with open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                self._catch_up(handle)
                if message.notification_id not in self._seen:
                    handle.seek(0, os.SEEK_END)
                    handle.write(json.dumps(_line(message)) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
                    self._seen.add(message.notification_id)
                    self._offset = handle.tell()
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return f"file-{message.notification_id}"

    def _catch_up(self, handle) -> None:
        handle.seek(0, os.SEEK_END)
        end = handle.tell()
        if end < self._offset:  # the file was replaced: read it afresh
            self._seen.clear()
            self._offset = 0
        handle.seek(self._offset)
        while line := handle.readline():
            if not line.endswith("\n"):
                break  # a line still being written
            with contextlib.suppress(ValueError, KeyError, TypeError):
                self._seen.add(json.loads(line)["notification_id"])
            self._offset = handle.tell()


class EmailTransport:
    """Through Django's email backend (SMTP in production)."""

    def send(self, message: Message) -> str:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.to],
            headers={"X-Notification-Id": str(message.notification_id)},
        )
        try:
            email.send(fail_silently=False)
        except (ConnectionError, TimeoutError, OSError) as exc:
            raise TransportError(f"email: {exc}", permanent=False) from exc
        return f"email-{message.notification_id}"


class _HttpTransport:
    """A JSON or form POST to a provider; 4xx (but 408/429) is permanent, the rest not."""

    timeout = 10

    def _post(self, url: str, *, data: bytes, headers: dict[str, str]) -> dict:
        # The provider's URL comes from the deployment's settings, never from a request.
        request = urllib.request.Request(  # noqa: S310 (a URL from settings)
            url, data=data, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(  # noqa: S310 (a URL from settings)
                request, timeout=self.timeout
            ) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            permanent = (
                HTTPStatus.BAD_REQUEST <= exc.code < HTTPStatus.INTERNAL_SERVER_ERROR
                and exc.code not in (HTTPStatus.REQUEST_TIMEOUT, HTTPStatus.TOO_MANY_REQUESTS)
            )
            raise TransportError(f"HTTP {exc.code} from {url}", permanent=permanent) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise TransportError(f"{url}: {exc}", permanent=False) from exc


class TwilioSmsTransport(_HttpTransport):
    """Twilio's Messages API (or any provider speaking it)."""

    def send(self, message: Message) -> str:
        account, token = settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN
        url = f"{settings.SMS_API_URL}/2010-04-01/Accounts/{account}/Messages.json"
        auth = base64.b64encode(f"{account}:{token}".encode()).decode()
        data = urllib.parse.urlencode(
            {"To": message.to, "From": settings.SMS_FROM_NUMBER, "Body": message.body}
        ).encode()
        reply = self._post(
            url,
            data=data,
            headers={
                "Authorization": f"Basic {auth}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Idempotency-Key": f"notification-{message.notification_id}",
            },
        )
        return str(reply.get("sid", ""))


class FcmPushTransport(_HttpTransport):
    """Firebase Cloud Messaging's HTTP v1 send endpoint (bearer token from settings)."""

    def send(self, message: Message) -> str:
        payload = {
            "message": {
                "token": message.to,
                "notification": {"title": message.subject, "body": message.body},
                "data": {"notification_id": str(message.notification_id), "kind": message.kind},
            }
        }
        reply = self._post(
            settings.PUSH_API_URL,
            data=json.dumps(payload).encode(),
            headers={
                "Authorization": f"Bearer {settings.PUSH_AUTH_TOKEN}",
                "Content-Type": "application/json",
            },
        )
        return str(reply.get("name", ""))


@cache
def _transport(path: str, outbox_file: str) -> Transport:
    if outbox_file:
        return FileTransport(outbox_file)
    return import_string(path)()


def transport_for(channel: str) -> Transport:
    """The transport serving a channel; one instance per process and configuration."""
    return _transport(settings.REMINDERS_TRANSPORTS[channel], settings.REMINDERS_OUTBOX_FILE or "")
