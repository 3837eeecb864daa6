"""Benchmarks for the reminders pipeline; not part of the test suite.

Run them as modules from the project root, e.g. ``python -m bench.reminders_throughput``;
docs/benchmarks.md says what each measures and what it gave. This file imports only the
standard library up front (a Celery worker imports ``bench.tasks``, and with it this file);
its helpers that need Django import it once it is set up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from practice.models import Clinic, StaffMember

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "config.settings.test"


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


def stop_group(process: subprocess.Popen[bytes], *, grace: float) -> None:
    """SIGTERM the process group `process` leads (started with start_new_session), then
    SIGKILL what is left of it after `grace` seconds: children that outlived their parent
    included."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)


def ensure_clinic(
    *, slug: str, name: str, therapist: str, password: str | None = None
) -> tuple[Clinic, StaffMember]:
    """A bench's clinic and its physical therapist (username `therapist`), made once and
    then reused. Needs Django set up."""
    from practice import services
    from practice.models import Clinic, Role, StaffMember

    clinic, _ = Clinic.objects.get_or_create(
        slug=slug, defaults={"name": name, "time_zone": "America/New_York"}
    )
    staff = StaffMember.objects.filter(user__username=therapist).first()
    if staff is None:
        staff = services.staff_member_create(
            clinic=clinic,
            username=therapist,
            password=password,
            role=Role.PHYSICAL_THERAPIST,
            first_name="Bench",
            last_name="Therapist",
            email=f"{therapist}@example.com",
        )
    return clinic, staff


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path
    name: str

    def stop(self) -> None:
        stop_group(self.process, grace=30)


def start_celery(args: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`celery -A config <args>` from the repository root, in a process group of its own,
    its output in `log`."""
    with open(log, "wb") as handle:
        return subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "-A", "config", *args],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def start_workers(
    count: int, *, concurrency: int, env: dict[str, str], log_dir: Path, imports: str = ""
) -> list[Worker]:
    """Start `count` prefork Celery workers on the default queue and wait until they answer
    a ping. Needs Django set up and CELERY_BROKER_URL in the environment."""
    log_dir.mkdir(parents=True, exist_ok=True)
    workers: list[Worker] = []
    for index in range(count):
        log = log_dir / f"worker-{index}.log"
        name = f"bench-{index}-{uuid.uuid4().hex[:6]}@{socket.gethostname()}"
        command = [
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
        workers.append(Worker(start_celery(command, env=env, log=log), log, name))
    try:
        _wait_until_ready(workers)
    except BaseException:
        for worker in workers:
            worker.stop()
        raise
    return workers


def _wait_until_ready(workers: list[Worker]) -> None:
    # Logging stays at WARNING (a line per task would cost time), so readiness is asked
    # over the broker instead of read from the log.
    from config.celery import app

    waiting = {worker.name for worker in workers}
    deadline = time.monotonic() + 120
    while waiting:
        for reply in app.control.ping(destination=sorted(waiting), timeout=1.0) or []:
            waiting -= set(reply)
        dead = [w for w in workers if w.process.poll() is not None]
        if dead or (waiting and time.monotonic() > deadline):
            raise RuntimeError(f"worker not ready, see {(dead or workers)[0].log}")
