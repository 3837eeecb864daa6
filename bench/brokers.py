"""The broker a bench runs on, which it may empty and restart: a Redis server (a private
one on a port of its own, or the one .ci/run starts on 6379) or the machine's RabbitMQ.

Standard library only up front (the bench's workers import the `bench` package); the
clients (redis, kombu) are imported when they are used.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from bench import ROOT

CI_REDIS_PORT = 6379
AMQP_SCHEMES = ("amqp", "amqps", "pyamqp")
# How a RabbitMQ restart is done: the rabbit application inside a running node
# (`rabbitmqctl stop_app` / `start_app`) or the whole node (shutdown, then started again
# by its init script). Both keep persistent messages on durable queues and drop the rest.
RABBIT_RESTARTS = ("node", "app")
CELERY_QUEUE = "celery"


class Broker(Protocol):
    kind: str

    def start(self) -> None:
        """Start it if it does not answer; return once it does."""

    def restart(self) -> float:
        """Stop it and start it again; the seconds it was away."""

    def purge(self) -> None:
        """Drop every task waiting on it."""


def broker_kind(url: str) -> str:
    """ "amqp" for a RabbitMQ URL, "redis" for a Redis one; anything else is refused."""
    scheme = urlsplit(url).scheme
    if scheme in AMQP_SCHEMES:
        return "amqp"
    if scheme in ("redis", "rediss"):
        return "redis"
    raise ValueError(f"Unsupported broker URL {url!r}: use redis:// or amqp://.")


def broker_for(url: str, *, rabbit_restart: str = "node") -> Broker:
    if broker_kind(url) == "amqp":
        if rabbit_restart not in RABBIT_RESTARTS:
            raise ValueError(f"rabbit_restart is one of {RABBIT_RESTARTS}")
        return RabbitBroker(url, rabbit_restart)
    return RedisBroker(url)


def _run(command: list[str], *, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)


def redis_command(port: int) -> list[str]:
    """How .ci/run starts Redis; on any other port (a private server, so the restart
    leaves the shared one alone) with its files under var/chaos/."""
    if port == CI_REDIS_PORT:
        directory, logfile = Path("/var/lib/redis"), Path("/var/log/redis/ci.log")
    else:
        directory = ROOT / "var" / "chaos" / f"redis-{port}"
        logfile = directory / "redis.log"
    directory.mkdir(parents=True, exist_ok=True)
    logfile.parent.mkdir(parents=True, exist_ok=True)
    return [
        "redis-server",
        "--daemonize",
        "yes",
        "--bind",
        "127.0.0.1",
        "-::1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(directory),
        "--logfile",
        str(logfile),
    ]


@dataclass
class RedisBroker:
    url: str
    kind: str = "redis"

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or CI_REDIS_PORT

    def ping(self) -> bool:
        result = _run(["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), "ping"])
        return result.stdout.strip() == "PONG"

    def start(self, timeout: float = 30) -> None:
        if not self.ping():
            subprocess.run(redis_command(self.port), check=True)
        deadline = time.monotonic() + timeout
        while not self.ping():
            if time.monotonic() > deadline:
                raise RuntimeError("Redis does not answer PING")
            time.sleep(0.2)

    def restart(self) -> float:
        """Shut down without saving: every queued and unacknowledged task is gone."""
        started = time.monotonic()
        _run(["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), "shutdown", "nosave"])
        while self.ping():
            time.sleep(0.1)
        self.start()
        return time.monotonic() - started

    def purge(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushdb()


@dataclass
class RabbitState:
    """What `rabbitmqctl` says of the local node."""

    node_up: bool
    app_up: bool


@dataclass
class RabbitBroker:
    """The RabbitMQ node on this machine (`rabbitmqctl` must reach it: run as root)."""

    url: str
    restart_mode: str = "node"
    kind: str = "amqp"

    def __post_init__(self) -> None:
        if urlsplit(self.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("Only a RabbitMQ node on this machine can be restarted.")

    def state(self) -> RabbitState:
        # `ping`, not `status`: the latter fails while the node runs without the app.
        node_up = _run(["rabbitmqctl", "-q", "ping"], timeout=60).returncode == 0
        app_up = node_up and self._answers()
        return RabbitState(node_up=node_up, app_up=app_up)

    def _answers(self) -> bool:
        from kombu import Connection

        try:
            with Connection(self.url, connect_timeout=3) as conn:
                conn.ensure_connection(max_retries=1, timeout=3)
        except Exception:  # any failure means "not answering yet"
            return False
        return True

    def start(self, timeout: float = 180) -> None:
        state = self.state()
        if not state.node_up:
            # The init script writes the pid file that `rabbitmqctl wait` (and its own
            # stop) rely on; a node started another way has none, hence `shutdown` below.
            _run(["/etc/init.d/rabbitmq-server", "start"], timeout=timeout)
        elif not state.app_up:
            _run(["rabbitmqctl", "start_app"], timeout=timeout)
        _run(["rabbitmqctl", "await_startup", "--timeout", str(int(timeout))], timeout=timeout)
        deadline = time.monotonic() + timeout
        while not self._answers():
            if time.monotonic() > deadline:
                raise RuntimeError("RabbitMQ does not accept connections")
            time.sleep(0.5)

    def restart(self) -> float:
        started = time.monotonic()
        if self.restart_mode == "app":
            _run(["rabbitmqctl", "stop_app"])
        else:
            _run(["rabbitmqctl", "shutdown"])  # returns once the node's process is gone
        self.start()
        return time.monotonic() - started

    def purge(self) -> None:
        from amqp.exceptions import NotFound
        from kombu import Connection

        # A queue never declared has nothing waiting.
        with Connection(self.url) as conn, contextlib.suppress(NotFound):
            conn.default_channel.queue_purge(CELERY_QUEUE)  # type: ignore[attr-defined]
