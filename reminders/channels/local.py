"""Transports that reach no provider: benchmarks, development and tests."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
from typing import IO

from django.conf import settings

from .base import Message

logger = logging.getLogger("reminders.channels")


class NullTransport:
    """Accepts everything and sends nothing (benchmarks)."""

    def send(self, message: Message) -> str:
        return f"null-{message.notification_id}"


class ConsoleTransport:
    """Logs each message: development without providers."""

    def send(self, message: Message) -> str:
        logger.info("reminder %s", json.dumps(message.as_line()))
        return f"console-{message.notification_id}"


class FileTransport:
    """Appends one JSON object a line to a file.

    Idempotent per notification: a message whose id is already in the file is not
    written again, so a delivery retried after a crash between the write and the
    database update still leaves one line. An exclusive lock orders writers across
    worker processes, and a thread lock the threads of one (flock excludes each open
    file on Linux, but where it is emulated with per-process locks it would not); each
    process remembers what it has read of the file.
    """

    def __init__(self, path: str | None = None):
        self.path = path or settings.REMINDERS_OUTBOX_FILE
        self._seen: set[int] = set()
        self._offset = 0
        self._lock = threading.Lock()

    def send(self, message: Message) -> str:
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        with self._lock, open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                self._catch_up(handle)
                if message.notification_id not in self._seen:
                    handle.seek(0, os.SEEK_END)
                    handle.write(json.dumps(message.as_line()) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
                    self._seen.add(message.notification_id)
                    self._offset = handle.tell()
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return f"file-{message.notification_id}"

    def _catch_up(self, handle: IO[str]) -> None:
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
