"""Reminders under chaos: a worker SIGKILLed and the broker restarted mid-run; nothing
may be lost and nothing written twice.

    python -m bench.chaos --count 100000
    python -m bench.chaos --count 100000 --broker-url amqp://guest:guest@127.0.0.1:5672//

Uses ``config.settings.test`` with ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/bench_chaos``, created if missing and migrated) and
the broker of ``--broker-url`` (``bench/brokers.py``), emptied at start and end:

- Redis (default ``redis://127.0.0.1:6399/13``): the server on the URL's port is the one
  restarted (and started if it does not answer, with its files under
  ``var/chaos/redis-<port>/``); 6379, the port of the shared server ``.ci/run`` starts,
  is restarted too if given, so give it only on a machine of your own. The restart is
  ``shutdown nosave``: every queued and unacknowledged task is lost and only the outbox
  lease can bring those rows back.
- RabbitMQ (``amqp://``, this machine's node, as root): the restart is the whole node
  (``rabbitmqctl shutdown``, then its init script) or, with ``--rabbit-restart app``, the
  rabbit application inside it (``stop_app`` / ``start_app``). Either drops every
  connection; persistent tasks on the durable ``celery`` queue survive it, those being
  published at that instant fail and are claimed again after the lease.

1. Inserts N due email notifications (``bench.reminders_throughput.insert_due``).
2. Starts two prefork Celery workers (concurrency 2) writing every message to a fresh
   ``var/chaos/outbox.jsonl`` (``FileTransport``), with a short visibility timeout and
   outbox lease (``--lease``, default 15 s) in their environment and in the dispatchers',
   and task time limits below it (4/5 and 3/5 of the lease, hard and soft).
3. Starts two dispatcher processes (``python -m bench.chaos --dispatcher``), each calling
   ``outbox.dispatch()`` every second, as the minutely tick would, only more often.
4. Once ``--kill-after`` lines are written, SIGKILLs one worker's process group (no warm
   shutdown, no acks) and starts a replacement.
5. ``--restart-after`` seconds later, restarts the broker.
6. Waits (``--deadline``) until no row is pending or sending, counts the file's lines per
   notification id and prints ``delivered= duplicates= lost=`` with the row statuses.
   Exits 1 if anything was duplicated or lost.

Workers and dispatchers are stopped in any case, and the broker is left running.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import ROOT, Worker, configure, start_workers
from bench.brokers import RABBIT_RESTARTS, broker_for

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_chaos"
# A private Redis on a port of its own (started here): the run restarts it.
DEFAULT_BROKER_URL = "redis://127.0.0.1:6399/13"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="notifications (N)")
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--lease", type=int, default=15, help="lease and visibility timeout, s")
    parser.add_argument("--dispatchers", type=int, default=2)
    parser.add_argument("--kill-after", type=int, default=300, help="lines before the kill")
    parser.add_argument(
        "--restart-after",
        "--redis-after",
        dest="restart_after",
        type=float,
        default=10,
        help="seconds from the replacement to the broker's restart",
    )
    parser.add_argument(
        "--rabbit-restart",
        choices=RABBIT_RESTARTS,
        default="node",
        help="RabbitMQ only: restart the whole node or only its rabbit application",
    )
    parser.add_argument("--deadline", type=float, default=900, help="seconds to wait, at most")
    parser.add_argument("--outbox-file", default=str(ROOT / "var" / "chaos" / "outbox.jsonl"))
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--broker-url", default=DEFAULT_BROKER_URL)
    parser.add_argument("--dispatcher", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_dispatcher(database_url: str) -> int:
    """Dispatch every second until SIGTERM; survives a broker that is down meanwhile (rows
    claimed but not enqueued stay `sending` and are claimed again after the lease)."""
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    configure(database_url, migrate=False)
    from django.utils import timezone

    from reminders import outbox, tasks

    enqueued = errors = 0
    while not stopping.is_set():
        try:
            enqueued += outbox.dispatch(now=timezone.now(), enqueue=tasks.deliver_batch.delay)
        except Exception as exc:
            errors += 1
            print(f"dispatch failed: {type(exc).__name__}: {exc}", flush=True)
        for _ in range(10):
            if stopping.is_set():
                break
            time.sleep(0.1)
    print(f"enqueued={enqueued} errors={errors}", flush=True)
    return 0


def count_lines(path: Path) -> collections.Counter:
    written: collections.Counter = collections.Counter()
    if not path.exists():
        return written
    for line in path.read_text(encoding="utf-8").split("\n")[:-1]:
        if line.strip():
            written[json.loads(line)["notification_id"]] += 1
    return written


def line_count(path: Path) -> int:
    if not path.exists():
        return 0
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def stop_dispatchers(dispatchers: list[subprocess.Popen]) -> None:
    for process in dispatchers:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
    for process in dispatchers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915  the scenario's steps, in order
    args = parse_args(argv)
    if args.dispatcher:
        return run_dispatcher(args.database_url)

    # The short lease needs a shorter task time limit (a check refuses it otherwise):
    # a batch task killed at the limit leaves its unsent rows to the lease.
    limits = {
        "CELERY_TASK_TIME_LIMIT": str(max(2, args.lease * 4 // 5)),
        "CELERY_TASK_SOFT_TIME_LIMIT": str(max(1, args.lease * 3 // 5)),
    }
    os.environ["CELERY_BROKER_URL"] = args.broker_url
    os.environ["CELERY_VISIBILITY_TIMEOUT"] = str(args.lease)
    os.environ["REMINDERS_LEASE_SECONDS"] = str(args.lease)
    os.environ.update(limits)
    broker = broker_for(args.broker_url, rabbit_restart=args.rabbit_restart)
    broker.start()
    configure(args.database_url)

    from django.db import connection
    from django.db.models import Count

    from bench.reminders_throughput import ensure_patients, insert_due
    from reminders.models import Notification

    broker.purge()
    outbox_file = Path(args.outbox_file)
    outbox_file.parent.mkdir(parents=True, exist_ok=True)
    outbox_file.unlink(missing_ok=True)
    log_dir = outbox_file.parent / "logs"
    log_dir.mkdir(exist_ok=True)

    started = time.monotonic()
    patient_ids, clinic_id = ensure_patients(args.patients)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reminders_notification")
    insert_due(args.count, patient_ids, clinic_id)
    print(f"inserted {args.count} due rows in {time.monotonic() - started:.1f} s", flush=True)

    env = {
        "CELERY_BROKER_URL": args.broker_url,
        "CELERY_VISIBILITY_TIMEOUT": str(args.lease),
        "REMINDERS_LEASE_SECONDS": str(args.lease),
        **limits,
        "REMINDERS_OUTBOX_FILE": str(outbox_file),
        "LOG_LEVEL": "WARNING",
    }
    workers: list[Worker] = []
    dispatchers: list[subprocess.Popen] = []
    events: list[str] = []
    finished = False
    t0 = time.monotonic()

    def note(text: str) -> None:
        line = f"[{time.monotonic() - t0:6.1f} s] {text}"
        events.append(line)
        print(line, flush=True)

    def open_rows() -> int:
        return Notification.objects.filter(
            status__in=[Notification.Status.PENDING, Notification.Status.SENDING]
        ).count()

    try:
        workers += start_workers(2, concurrency=2, env=env, log_dir=log_dir / "first")
        note(f"2 workers ready; outbox file {outbox_file}")
        dispatcher_command = [sys.executable, "-m", "bench.chaos", "--dispatcher"]
        dispatcher_command += ["--database-url", args.database_url]
        for index in range(args.dispatchers):
            with open(log_dir / f"dispatcher-{index}.log", "wb") as handle:
                dispatchers.append(
                    subprocess.Popen(
                        dispatcher_command,
                        cwd=ROOT,
                        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                        stdout=handle,
                        stderr=subprocess.STDOUT,
                    )
                )
        note(f"{args.dispatchers} dispatchers started")
        deadline = t0 + args.deadline

        while (lines := line_count(outbox_file)) < args.kill_after:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {lines} lines written before the deadline")
            time.sleep(0.2)
        victim = workers[0]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(victim.process.pid, signal.SIGKILL)
        victim.process.wait(timeout=10)
        note(f"SIGKILLed worker {victim.name} at {lines} lines ({open_rows()} rows open)")
        workers += start_workers(1, concurrency=2, env=env, log_dir=log_dir / "replacement")
        note(f"replacement ready at {line_count(outbox_file)} lines")

        time.sleep(args.restart_after)
        lines, queued = line_count(outbox_file), open_rows()
        away = broker.restart()
        note(f"{broker.kind} restarted at {lines} lines, {queued} rows open; away {away:.1f} s")

        while (remaining := open_rows()) > 0:
            if time.monotonic() > deadline:
                note(f"deadline reached with {remaining} rows still open")
                break
            if any(d.poll() is not None for d in dispatchers):
                raise RuntimeError(f"a dispatcher exited, see {log_dir}")
            time.sleep(1)
        else:
            note("no row pending or sending")
        finished = True
    finally:
        stop_dispatchers(dispatchers)
        for worker in workers:
            worker.stop()
        broker.start()
        # Tasks enqueued again after the lease and never run: drop them.
        broker.purge()
        if not finished:
            print(f"aborted; logs in {log_dir}", flush=True)

    elapsed = time.monotonic() - t0
    written = count_lines(outbox_file)
    statuses = dict(
        Notification.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    sent_ids = set(
        Notification.objects.filter(status=Notification.Status.SENT).values_list("id", flat=True)
    )
    # FileTransport writes an id once per file, so a second send shows here rather than
    # in the lines: a row whose delivery started again (its first batch was killed or
    # outlived the lease) may have reached the transport twice.
    started_again = Notification.objects.filter(attempts__gt=1).count()
    duplicates = sum(n - 1 for n in written.values())
    lost = args.count - len(sent_ids)
    unwritten = len(sent_ids - set(written))  # marked sent, yet no line: lost as well
    unexpected = len(set(written) - sent_ids)  # a line for a row not marked sent
    for index in range(len(dispatchers)):
        tail = (log_dir / f"dispatcher-{index}.log").read_text(errors="replace").splitlines()
        failures = sum(line.startswith("dispatch failed") for line in tail)
        print(f"dispatcher {index}: {tail[-1] if tail else '?'} ({failures} failed calls)")
    print(f"N={args.count}, lease {args.lease} s, {elapsed:.0f} s from workers ready to done")
    print(f"delivered={len(written)} duplicates={duplicates} lost={lost}")
    print(f"statuses {statuses}; sent without a line {unwritten}; lines for unsent {unexpected}")
    print(f"rows whose delivery started more than once: {started_again}")
    print(f"logs: {log_dir}")
    print(
        f"RESULT bench=chaos broker={broker.kind}"
        f" count={args.count} lease_s={args.lease} seconds={elapsed:.1f}"
        f" delivered={len(written)} duplicates={duplicates} lost={lost}"
        f" sent_without_line={unwritten} lines_for_unsent={unexpected}"
        f" started_again={started_again}"
        f" finished={int(finished)}"
    )
    return 1 if duplicates or lost or unwritten or unexpected or not finished else 0


if __name__ == "__main__":
    sys.exit(main())
