"""Benchmarks for the reminders pipeline; not part of the test suite.

Run them as modules from the project root, e.g. ``python -m bench.reminders_throughput``;
docs/benchmarks.md says what each measures and what it gave. This package only holds
stdlib helpers (a Celery worker imports ``bench.tasks``, and with it this file).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "practice.settings.test"


def configure(database_url: str, *, migrate: bool = True) -> None:
    """Point Django at `database_url` (created if missing, then migrated) and set it up."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = database_url
    ensure_database(database_url)
    if migrate:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=os.environ.copy(),
            check=True,
        )
    import django

    django.setup()


def ensure_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or "") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path
    name: str

    def stop(self) -> None:
        for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue


def start_workers(
    count: int, *, concurrency: int, env: dict[str, str], log_dir: Path, imports: str = ""
) -> list[Worker]:
    """Start `count` prefork Celery workers on the default queue and wait until they answer
    a ping. Needs Django set up and CELERY_BROKER_URL in the environment."""
    log_dir.mkdir(parents=True, exist_ok=True)
    workers = []
    for index in range(count):
        log = log_dir / f"worker-{index}.log"
        name = f"bench-{index}-{uuid.uuid4().hex[:6]}@{socket.gethostname()}"
        command = [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "practice",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "-Q",
            "celery",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
            "-n",
            name,
        ]
        if imports:
            command += ["-I", imports]
        with open(log, "wb") as handle:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        workers.append(Worker(process, log, name))
    # Logging stays at WARNING (a line per task would cost time), so readiness is asked
    # over the broker instead of read from the log.
    from practice.celery import app

    waiting = {worker.name for worker in workers}
    deadline = time.monotonic() + 120
    try:
        while waiting:
            for reply in app.control.ping(destination=sorted(waiting), timeout=1.0):
                waiting -= set(reply)
            dead = [w for w in workers if w.process.poll() is not None]
            if dead or (waiting and time.monotonic() > deadline):
                raise RuntimeError(f"worker not ready, see {(dead or workers)[0].log}")
    except BaseException:
        for worker in workers:
            worker.stop()
        raise
    return workers
