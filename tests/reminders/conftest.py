"""Fixtures for the reminders tests: the planner's horizon, the SMS status callback's
token, and a real Celery worker.

Each pytest process (each pytest-xdist worker) gets its own Redis database, 10 + n for
worker ``gwn`` (10 without xdist), so parallel runs never take each other's tasks. A
short-lived lock key in that database also keeps two *sessions* (say, two people running
the suite at once) from sharing it: the second waits for the first test to finish.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.reminders.receipt_helpers import TOKEN as STATUS_TOKEN

BROKER_HOST = os.environ.get("E2E_REDIS_HOST", "127.0.0.1:6379")
BROKER_LOCK = "reminders-e2e:lock"
BROKER_LOCK_TTL = 300  # seconds; a crashed session's lock expires on its own
WORKER_READY_TIMEOUT = 60.0
CELERY_BIN = Path(sys.executable).with_name("celery")


def _xdist_index() -> int:
    match = re.fullmatch(r"gw(\d+)", os.environ.get("PYTEST_XDIST_WORKER", ""))
    return int(match.group(1)) if match else 0


def _reset_producer_pools() -> None:
    """Make the next publish connect with the current broker_url.

    Celery caches its connection and producer pools; this is what it does itself after
    a fork (``Celery._after_fork``), without the signal."""
    celery_app._pool = None  # type: ignore[attr-defined]  # private to Celery: not in its stubs
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


def _clear_broker_db(client: redis.Redis) -> None:
    for key in client.scan_iter(count=500):
        if key != BROKER_LOCK.encode():
            client.delete(key)


@pytest.fixture
def status_token(settings):
    """The token Twilio signs status callbacks with, and the URL it was given."""
    settings.SMS_AUTH_TOKEN = STATUS_TOKEN
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def e2e_broker_url(monkeypatch):
    """A Redis database of this test's own, empty, used by ``.delay()`` in this process."""
    url = f"redis://{BROKER_HOST}/{10 + _xdist_index()}"
    client = redis.Redis.from_url(url)
    token = uuid.uuid4().hex
    deadline = time.monotonic() + 180
    while not client.set(BROKER_LOCK, token, nx=True, ex=BROKER_LOCK_TTL):
        if time.monotonic() > deadline:
            pytest.fail(f"Another test session has held {url} ({BROKER_LOCK}) for 3 minutes.")
        time.sleep(0.5)
    _clear_broker_db(client)

    previous = celery_app.conf.broker_url
    # Celery reads CELERY_BROKER_URL from the environment before its own setting.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    celery_app.conf.broker_url = url
    _reset_producer_pools()
    try:
        yield url
    finally:
        celery_app.conf.broker_url = previous
        _reset_producer_pools()
        _clear_broker_db(client)
        if client.get(BROKER_LOCK) == token.encode():
            client.delete(BROKER_LOCK)
        client.close()


def worker_database_url() -> str:
    """The URL of the database this test process uses (the test database)."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@dataclass
class CeleryWorker:
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    killed: bool = False

    def signal_group(self, sig: int) -> None:
        """Signal the worker's own process group (it was started in a new session)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: no warm shutdown, no acks."""
        self.signal_group(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.killed = True

    def stop(self) -> None:
        if self.killed:
            return
        if self.process.poll() is None:
            self.signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        # Whatever is left of the group (a pool process), and reap the main process.
        self.signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


@pytest.fixture
def celery_worker_factory(transactional_db, e2e_broker_url, tmp_path):
    """Start real Celery workers on this test's database and Redis database.

    ``start(name=..., env={...})`` returns a ready ``CeleryWorker``; an env value of None
    removes that variable. Every worker started is stopped when the test ends, before
    the database is flushed.
    """
    started: list[CeleryWorker] = []

    def start(*, name: str, env: dict[str, str | None] | None = None) -> CeleryWorker:
        worker_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": e2e_broker_url,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])
            ),
            "PYTHONUNBUFFERED": "1",
        }
        for key, value in (env or {}).items():
            if value is None:
                worker_env.pop(key, None)
            else:
                worker_env[key] = value
        log = tmp_path / f"worker-{name}.log"
        command = [
            str(CELERY_BIN),
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "-Q",
            "celery",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
            "-n",
            f"e2e-{name}-{uuid.uuid4().hex[:8]}@%h",
        ]
        with open(log, "wb") as handle:
            process = subprocess.Popen(  # noqa: S603 (our own worker command, no shell)
                command,
                cwd=settings.BASE_DIR,
                env=worker_env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = CeleryWorker(process=process, log=log)
        started.append(worker)
        deadline = time.monotonic() + WORKER_READY_TIMEOUT
        while " ready." not in worker.log_text():
            if process.poll() is not None:
                pytest.fail(f"Celery worker {name} exited early:\n{worker.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"Celery worker {name} not ready in time:\n{worker.log_tail()}")
            time.sleep(0.2)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


@pytest.fixture
def two_hour_horizon(settings):
    """The planner tests plan two hours ahead unless they say otherwise."""
    settings.REMINDERS_PLAN_HORIZON = datetime.timedelta(hours=2)
