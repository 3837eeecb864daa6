"""Delivery channels: one small transport per way of reaching someone.

`send()` returns the provider's message id or raises TransportError, which says
whether trying again could help (and, after a provider's 429, when). Sends may run in
several threads of one process at once: every transport is thread-safe. Which
transport serves a channel is a setting (`REMINDERS_TRANSPORTS`, dotted paths such as
`reminders.channels.TwilioSmsTransport`); `REMINDERS_OUTBOX_FILE` sends every channel
to one JSON-lines file, for development and tests.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Message, Transport, TransportError
from .fcm import FcmPushTransport
from .local import ConsoleTransport, FileTransport, NullTransport
from .mail import EmailTransport
from .twilio import TwilioSmsTransport

__all__ = [
    "ConsoleTransport",
    "EmailTransport",
    "FcmPushTransport",
    "FileTransport",
    "Message",
    "NullTransport",
    "Transport",
    "TransportError",
    "TwilioSmsTransport",
    "transport_for",
]


@cache
def _transport(path: str, outbox_file: str) -> Transport:
    if outbox_file:
        return FileTransport(outbox_file)
    transport: Transport = import_string(path)()
    return transport


def transport_for(channel: str) -> Transport:
    """The transport serving a channel; one instance per process and configuration."""
    return _transport(settings.REMINDERS_TRANSPORTS[channel], settings.REMINDERS_OUTBOX_FILE or "")
