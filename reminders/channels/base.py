"""What every transport takes and raises."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Message:
    notification_id: int
    channel: str
    kind: str
    to: str
    scheduled_for: datetime.datetime
    subject: str
    body: str

    def as_line(self) -> dict[str, Any]:
        """The message as one JSON object (the file and console transports)."""
        return {**asdict(self), "scheduled_for": self.scheduled_for.isoformat()}


class TransportError(Exception):
    """A send that did not happen. `permanent`: trying again cannot help (a bad number, a
    revoked token). `retry_after`: the provider said when to try again (HTTP 429 or 503
    with Retry-After); the outbox waits at least this long."""

    def __init__(
        self, message: str, *, permanent: bool, retry_after: datetime.timedelta | None = None
    ):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Transport(Protocol):
    """Sends one message and returns the provider's id for it. Called from several
    threads of one process at once, so implementations are thread-safe."""

    def send(self, message: Message) -> str: ...
