"""The HTTP server under every stand-in: a thread per connection on 127.0.0.1, an
ephemeral port, HTTP/1.1 keep-alive (so pooled clients reuse connections), an optional
pause before each answer (a provider's latency), every request recorded, and answers
forced on demand (401, 429 with Retry-After, 5xx) before the protocol's own."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Recorded:
    """One request as the stand-in received it; header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    def form(self) -> dict[str, str]:
        """The form-encoded body, one value per field (the last one given)."""
        return dict(urllib.parse.parse_qsl(self.body.decode(), keep_blank_values=True))

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any = None  # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return b"" if self.body is None else json.dumps(self.body).encode()


@dataclass
class _Forced:
    status: int
    where: str
    retry_after: str | None
    body: Any


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Many clients at once (a thread pool per delivery batch, several workers): the
    # default backlog of 5 would refuse connections under a burst.
    request_queue_size = 1024


class StandIn:
    """Subclasses answer in `respond`; `error` builds the protocol's error body."""

    def __init__(self, *, latency: float = 0.0) -> None:
        self.latency = latency  # seconds before each answer; may be changed while running
        self._lock = threading.Lock()
        self._requests: list[Recorded] = []
        self._forced: deque[_Forced] = deque()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # The protocol, in subclasses.

    def respond(self, request: Recorded) -> Reply:
        raise NotImplementedError

    def error(self, status: int, *, retry_after: str | None = None, path: str = "") -> Reply:
        """The protocol's answer with `status` to a request for `path`."""
        return Reply(status, {"error": status}, _retry_after(retry_after))

    # What a test controls and reads.

    def fail_next(
        self,
        status: int,
        *,
        count: int = 1,
        where: str = "",
        retry_after: str | None = None,
        body: Any = None,
    ) -> None:
        """Answer the next `count` requests whose path contains `where` with `status`
        (the protocol's error body unless `body` is given), before any protocol check."""
        with self._lock:
            for _ in range(count):
                self._forced.append(_Forced(status, where, retry_after, body))

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, fragment: str) -> list[Recorded]:
        return [request for request in self.requests if fragment in request.path]

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("The stand-in is not running: use it as a context manager.")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> str:
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # The server's side.

    def _answer(self, request: Recorded) -> Reply:
        with self._lock:
            self._requests.append(request)
            forced = next((f for f in self._forced if f.where in request.path), None)
            if forced is not None:
                self._forced.remove(forced)
        if self.latency:
            time.sleep(self.latency)
        if forced is not None:
            if forced.body is not None:
                return Reply(forced.status, forced.body, _retry_after(forced.retry_after))
            return self.error(forced.status, retry_after=forced.retry_after, path=request.path)
        try:
            return self.respond(request)
        except Exception as exc:  # a stand-in's own bug answers 500, visibly
            return Reply(500, {"stand_in_error": repr(exc)})


def _retry_after(value: str | None) -> dict[str, str]:
    return {"Retry-After": value} if value is not None else {}


def _handler_for(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as separate writes on a kept-alive connection; with
        # Nagle on, the second waits for the client's delayed ACK (~40 ms a request).
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Recorded(
                method=self.command,
                path=self.path,
                headers={name.lower(): value for name, value in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            reply = standin._answer(request)
            payload = reply.encoded()
            self.send_response(reply.status)
            headers = {"Content-Type": "application/json", **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815 (http.server's names)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: tests read `requests` instead

    return Handler
