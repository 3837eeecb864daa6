"""Test transports shared by the reminders tests.

They are importable by dotted path (``tests.reminders.fakes.<Name>``) so that both the
test process (through ``settings.REMINDERS_TRANSPORTS``) and a separate Celery worker
(through ``REMINDERS_EMAIL_TRANSPORT`` and friends) can select them.

- ``RecordingTransport`` keeps every message it is given, in memory, per class.
- ``SlowFileTransport`` is ``reminders.channels.FileTransport`` with a pause before each
  write, so a test can kill a worker while deliveries are in flight. It takes its file
  from ``SLOW_OUTBOX_FILE`` (not ``REMINDERS_OUTBOX_FILE``, which would make
  ``transport_for`` pick the plain FileTransport) and its pause in seconds from
  ``SLOW_TRANSPORT_DELAY`` (default 0.5). Every call is also appended to
  ``<file>.attempts`` so a test can see how often the provider was asked to send.
"""

from __future__ import annotations

import fcntl
import os
import time

from reminders.channels import FileTransport, Message


class RecordingTransport:
    """Records messages instead of sending them; reset ``sent`` between tests."""

    sent: list[Message] = []

    def send(self, message: Message) -> str:
        RecordingTransport.sent.append(message)
        return f"rec-{message.notification_id}"


class SlowFileTransport(FileTransport):
    """A FileTransport that takes its time, like a provider over the network."""

    def __init__(self, path: str | None = None):
        path = path or os.environ.get("SLOW_OUTBOX_FILE")
        if not path:
            raise RuntimeError("Set SLOW_OUTBOX_FILE to the file SlowFileTransport writes.")
        super().__init__(path)
        self.delay = float(os.environ.get("SLOW_TRANSPORT_DELAY", "0.5"))

    def send(self, message: Message) -> str:
        self._record_attempt(message)
        time.sleep(self.delay)
        return super().send(message)

    def _record_attempt(self, message: Message) -> None:
        with open(f"{self.path}.attempts", "a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(f"{message.notification_id}\n")
            handle.flush()
