"""A morning burst: thousands of patients whose exercise reminder falls in the same
minute, delivered by the normal beat schedule. How long after the due instant does the
last one go out?

    python -m bench.morning_burst [--patients 10000]

Uses ``config.settings.test`` with ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/bench_burst``; created if missing and migrated; its
patients, diagnoses, prescriptions and notifications are truncated) and a Redis
database of its own (``--broker-url``, default ``redis://127.0.0.1:6379/14``, emptied at
start and end; an ``amqp://`` URL works too).

1. Picks the due instant: the first whole minute at least ``--lead`` seconds (120) away.
2. Inserts N patients with email consent, alternately in America/New_York and
   America/Chicago, each with an active prescription whose reminder time is that minute
   on their own wall clock (the planner bench's population, ``bench.planner_scale``), so
   every reminder of both zones is due at the same instant.
3. Runs the planner's pass once here (``reminders.planner.plan``). In production its
   every-5-minutes pass, two hours ahead, planned these rows long before; beat runs an
   interval entry first one interval after it starts, so the bench does that pass itself.
   It checks that N exercise rows are planned for the due instant.
4. Starts 2 prefork workers x 2 (``bench.start_workers``) with every channel on
   ``NullTransport`` (``--outbox-file``: ``FileTransport``), and ``celery beat`` with the
   project's ``CELERY_BEAT_SCHEDULE`` and a fresh schedule file: ``reminders.tick`` at the
   start of every minute, which claims what is due and enqueues delivery batches.
5. Waits until every one of those rows is sent (at most ``--deadline`` seconds after the
   due instant) and prints the seconds from the due instant to the last claim and to the
   first, median and last ``sent_at``; the target for the last is ``--target`` (60 s).

Workers and beat are stopped in any case. The last line is
``RESULT bench=morning_burst patients= ... burst_last_sent_s= ...``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

from bench import Worker, configure, ensure_clinic, start_celery, start_workers, stop_group
from bench.brokers import broker_for

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from reminders.models import Notification

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_burst"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/14"
ZONES = ("America/New_York", "America/Chicago")
NULL = "reminders.channels.NullTransport"
# bench.planner_scale.insert_population gives a due prescription this reminder lead.
POPULATION_LEAD = datetime.timedelta(minutes=30)
# Setup must leave beat and the workers this long before the due instant.
MARGIN_S = 5.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=10_000, help="patients due (N)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--lead", type=float, default=120, help="seconds from start to the due instant, at least"
    )
    parser.add_argument("--deadline", type=float, default=600, help="seconds after due, at most")
    parser.add_argument("--target", type=float, default=60, help="burst_last_sent_s target")
    parser.add_argument("--outbox-file", default="", help="write messages here (FileTransport)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--broker-url", default=DEFAULT_BROKER_URL)
    return parser.parse_args(argv)


def due_instant(now: datetime.datetime, lead_s: float) -> datetime.datetime:
    """The first whole minute at least `lead_s` seconds after `now`."""
    earliest = now + datetime.timedelta(seconds=lead_s)
    minute = earliest.replace(second=0, microsecond=0)
    return minute if minute == earliest else minute + datetime.timedelta(minutes=1)


def burst_figures(due: datetime.datetime, sent: list[datetime.datetime]) -> dict[str, float]:
    """Seconds from `due` to the first, median and last of `sent`."""
    seconds = sorted((at - due).total_seconds() for at in sent)
    return {
        "first": seconds[0],
        "median": statistics.median(seconds),
        "last": seconds[-1],
    }


def insert_patients(count: int, *, due: datetime.datetime) -> None:
    """`count` patients due at `due`, the planner bench's population in our two zones."""
    from bench import planner_scale

    clinic, therapist = ensure_clinic(slug="bench", name="Bench Clinic", therapist="bench.pt")
    # Its population follows the schema (whatever the planner reads of a prescription);
    # only the zones differ, and its due rows fall POPULATION_LEAD after `now`.
    with mock.patch.object(planner_scale, "ZONES", ZONES):
        planner_scale.insert_population(
            count,
            now=due - POPULATION_LEAD,
            due=True,
            answered=True,
            clinic_id=clinic.pk,
            staff_id=therapist.pk,
        )
    planner_scale.analyze()


def fill_due_instants(*, now: datetime.datetime) -> float:
    """The planner's due instants of every patient, as after a bulk load: the inserts
    bypass the services that keep them. Seconds (0 for a planner that keeps none)."""
    try:
        from reminders.planner import due as planner_due
    except ImportError:
        return 0.0
    clock = time.perf_counter()
    planner_due.fill(now=now)
    return time.perf_counter() - clock


def start_beat(env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    """`celery beat` on the project's schedule, from a fresh schedule file."""
    command = [
        "beat",
        "--loglevel=INFO",
        f"--schedule={log_dir / 'celerybeat-schedule'}",
        f"--pidfile={log_dir / 'beat.pid'}",
    ]
    return start_celery(command, env=env, log=log_dir / "beat.log")


def wait_sent(burst: QuerySet[Notification], *, until: float) -> int:
    """Poll until no row of `burst` is unsent or `until` (monotonic) passes; the unsent."""
    from reminders.models import Notification

    while (unsent := burst.exclude(status=Notification.Status.SENT).count()) > 0:
        if time.monotonic() > until:
            break
        time.sleep(0.5)
    return unsent


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915  the scenario's steps, in order
    args = parse_args(argv)
    os.environ["CELERY_BROKER_URL"] = args.broker_url
    broker = broker_for(args.broker_url)
    broker.start()
    configure(args.database_url)

    from django.db import connection
    from django.db.models import Count, Max
    from django.utils import timezone

    from reminders import planner
    from reminders.models import Kind, Notification

    broker.purge()
    started_at = timezone.now()
    due = due_instant(started_at, args.lead)
    print(f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"N={args.patients} patients in {', '.join(ZONES)}; due {due.isoformat()}")

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reminders_notification, programs_prescription, patients_diagnosis, "
            "patients_patient CASCADE"
        )
    clock = time.perf_counter()
    insert_patients(args.patients, due=due)
    print(f"inserted {args.patients} patients in {time.perf_counter() - clock:.1f} s")

    fill_s = fill_due_instants(now=timezone.now())
    clock = time.perf_counter()
    result = planner.plan(now=timezone.now())
    plan_s = time.perf_counter() - clock
    burst = Notification.objects.filter(kind=Kind.EXERCISE, scheduled_for=due)
    planned = burst.count()
    print(
        f"due instants worked out in {fill_s:.1f} s; planner pass: {plan_s:.1f} s,"
        f" {result.created} rows, {planned} due at {due:%H:%M}Z"
    )
    if not planned:
        raise RuntimeError("the planner planned none of the burst's reminders")

    env = {
        "CELERY_BROKER_URL": args.broker_url,
        "REMINDERS_EMAIL_TRANSPORT": NULL,
        "REMINDERS_SMS_TRANSPORT": NULL,
        "REMINDERS_PUSH_TRANSPORT": NULL,
        "REMINDERS_OUTBOX_FILE": args.outbox_file,
        "LOG_LEVEL": "WARNING",
    }
    if args.outbox_file:
        Path(args.outbox_file).unlink(missing_ok=True)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-burst-"))
    workers: list[Worker] = []
    beat: subprocess.Popen[bytes] | None = None
    unsent = planned
    try:
        workers = start_workers(
            args.workers, concurrency=args.concurrency, env=env, log_dir=log_dir
        )
        beat = start_beat(env, log_dir)
        ahead = (due - timezone.now()).total_seconds()
        print(f"{args.workers} workers x {args.concurrency} and beat up, {ahead:.0f} s before due")
        if ahead < MARGIN_S:
            raise RuntimeError(f"setup ended {ahead:.0f} s before the due instant: raise --lead")
        until = time.monotonic() + ahead + args.deadline
        unsent = wait_sent(burst, until=until)
    finally:
        if beat is not None:
            stop_group(beat, grace=10)
        for worker in workers:
            worker.stop()
        broker.purge()

    sent = [
        at
        for at in burst.filter(status=Notification.Status.SENT).values_list("sent_at", flat=True)
        if at is not None
    ]
    statuses = dict(burst.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    claimed_last = burst.aggregate(last=Max("claimed_at"))["last"]
    figures = burst_figures(due, sent) if sent else {"first": -1, "median": -1, "last": -1}
    claimed_s = (claimed_last - due).total_seconds() if claimed_last else -1
    ok = unsent == 0 and planned == args.patients and 0 <= figures["last"] <= args.target
    print(f"statuses {statuses}; unsent at the end {unsent}")
    print(
        f"from the due instant: last claim {claimed_s:.1f} s; sent first {figures['first']:.1f} s,"
        f" median {figures['median']:.1f} s, last {figures['last']:.1f} s"
        f" (target {args.target:.0f} s)"
    )
    print(f"logs: {log_dir}")
    print(
        "RESULT bench=morning_burst"
        f" patients={args.patients} zones={len(ZONES)} planned={planned} sent={len(sent)}"
        f" workers={args.workers} concurrency={args.concurrency} broker={broker.kind}"
        f" plan_s={plan_s:.2f} claimed_last_s={claimed_s:.1f}"
        f" burst_first_sent_s={figures['first']:.1f}"
        f" burst_median_sent_s={figures['median']:.1f}"
        f" burst_last_sent_s={figures['last']:.1f}"
        f" target_s={args.target:.0f} ok={int(ok)}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
