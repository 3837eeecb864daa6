"""Reminders per second through the whole outbox, next to bare Celery tasks per second.

    python -m bench.reminders_throughput --count 100000 [--workers 2] [--concurrency 2]

Uses ``config.settings.test`` with ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/bench``; the database is created if missing and
migrated) and a Redis database of its own (``--broker-url``, default
``redis://127.0.0.1:6379/15``, flushed at start and end).

1. Inserts N due email notifications (bulk_create) for a few hundred consenting patients.
2. Starts K prefork Celery workers with every channel on ``NullTransport``.
3. Times ``planner.plan()`` + ``outbox.dispatch()`` (claim with SKIP LOCKED, enqueue
   ``reminders.deliver`` per row) + the deliveries, until no row is pending or sending.
4. Times M ``bench.noop`` tasks (``bench/tasks.py``) on the same workers and Redis,
   until the queue is empty and nothing is unacknowledged: once enqueued while the
   workers consume (like step 3, from the first enqueue to the last ack), once draining
   a queue filled while the workers were told to stop consuming.
5. Delivers a sample (``--inline-sample``) in this process, one after another, without
   Celery: the outbox's own cost per reminder.
6. Prints reminders/s, no-op tasks/s and their ratio.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench import configure, start_workers

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/15"
NULL = "reminders.channels.NullTransport"
# How often a waiting run dispatches again, as the minutely reminders.tick would.
TICK_SECONDS = 60


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="notifications (N)")
    parser.add_argument("--noop-count", type=int, default=None, help="no-op tasks (default N)")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (K)")
    parser.add_argument("--concurrency", type=int, default=2, help="pool size of each worker")
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument(
        "--inline-sample", type=int, default=2000, help="rows delivered in-process at the end"
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="CONN_MAX_AGE of the workers' database connections (default 0: one per task)",
    )
    parser.add_argument(
        "--lease-seconds",
        type=int,
        default=None,
        help="REMINDERS_LEASE_SECONDS here and in the workers (default: settings, 600)",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--broker-url", default=DEFAULT_BROKER_URL)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    noop_count = args.count if args.noop_count is None else args.noop_count
    os.environ["CELERY_BROKER_URL"] = args.broker_url
    if args.lease_seconds is not None:  # read by the settings, here and in the workers
        os.environ["REMINDERS_LEASE_SECONDS"] = str(args.lease_seconds)
    configure(args.database_url)

    import redis
    from django.db import connection

    from bench.tasks import noop
    from reminders import outbox, planner, tasks

    broker = redis.Redis.from_url(args.broker_url)
    broker.flushdb()

    print(f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"N={args.count} notifications, K={args.workers} workers x {args.concurrency}")
    started = time.perf_counter()
    patient_ids, clinic_id = ensure_patients(args.patients)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reminders_notification")
    insert_due(args.count, patient_ids, clinic_id)
    print(f"inserted {args.count} due rows in {time.perf_counter() - started:.1f} s")

    env = {
        "CELERY_BROKER_URL": args.broker_url,
        "REMINDERS_EMAIL_TRANSPORT": NULL,
        "REMINDERS_SMS_TRANSPORT": NULL,
        "REMINDERS_PUSH_TRANSPORT": NULL,
        "REMINDERS_OUTBOX_FILE": "",
        "LOG_LEVEL": "WARNING",
    }
    if args.conn_max_age is not None:
        # config.settings.test builds DATABASES from the URL alone (the CONN_MAX_AGE
        # variable of the base settings does not reach it); django-environ reads this.
        separator = "&" if "?" in args.database_url else "?"
        env["DATABASE_URL"] = f"{args.database_url}{separator}conn_max_age={args.conn_max_age}"
    log_dir = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    workers = start_workers(
        args.workers, concurrency=args.concurrency, env=env, log_dir=log_dir, imports="bench.tasks"
    )
    try:
        reminders_s, phases = run_reminders(outbox, planner, tasks)
        phases["leftover"] = drop_leftovers(broker)
        noops = run_noops(noop, broker, noop_count, workers)
    finally:
        for worker in workers:
            worker.stop()
        broker.flushdb()
    inline_s = run_inline(outbox, args.inline_sample, patient_ids, clinic_id)

    reminders_rate = args.count / reminders_s
    pipeline_rate = noop_count / noops["pipeline"]
    drain_rate = noop_count / noops["drain"]
    print(
        f"plan {phases['plan']:.2f} s, dispatch (claim + enqueue) {phases['dispatch']:.1f} s, "
        f"outcomes {phases['outcomes']}"
    )
    print(
        f"tasks enqueued {phases['enqueued']}, deliveries started {phases['attempts']}, "
        f"rows started more than once {phases['repeated']}, "
        f"tasks still queued when all were done (dropped) {phases['leftover']}"
    )
    print(f"reminders: {args.count} in {reminders_s:.1f} s = {reminders_rate:,.0f}/s")
    print(
        f"no-op tasks, enqueued while consumed: {noop_count} in {noops['pipeline']:.1f} s "
        f"= {pipeline_rate:,.0f}/s (enqueueing alone {noop_count / noops['enqueue']:,.0f}/s)"
    )
    print(
        f"no-op tasks, draining a full queue: {noop_count} in {noops['drain']:.1f} s "
        f"= {drain_rate:,.0f}/s"
    )
    print(
        f"ratio reminders/no-op: {reminders_rate / drain_rate:.2f} (vs draining), "
        f"{reminders_rate / pipeline_rate:.2f} (vs enqueued while consumed)"
    )
    print(
        f"in-process deliveries, no Celery: {args.inline_sample} in {inline_s:.1f} s "
        f"= {args.inline_sample / inline_s:,.0f}/s on one core"
    )
    print(f"worker logs: {log_dir}")
    print(
        "RESULT bench=reminders_throughput"
        f" count={args.count} workers={args.workers} concurrency={args.concurrency}"
        f" reminders_per_s={reminders_rate:.1f} reminders_s={reminders_s:.2f}"
        f" enqueued={phases['enqueued']} attempts={phases['attempts']}"
        f" repeated={phases['repeated']} leftover={phases['leftover']}"
        f" noop_drain_per_s={drain_rate:.1f} noop_pipeline_per_s={pipeline_rate:.1f}"
        f" ratio_vs_drain={reminders_rate / drain_rate:.3f}"
        f" inline_per_s={args.inline_sample / inline_s:.1f}"
    )
    return 0


def ensure_patients(count: int) -> tuple[list[int], int]:
    """`count` consenting patients in a 'bench' clinic (made once, then reused)."""
    from patients.models import Patient
    from practice.models import Clinic

    clinic, _ = Clinic.objects.get_or_create(
        slug="bench", defaults={"name": "Bench Clinic", "time_zone": "UTC"}
    )
    have = Patient.objects.filter(clinic=clinic).count()
    Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            mrn=f"B{i:07d}",
            first_name="Bench",
            last_name=f"Patient{i}",
            date_of_birth=datetime.date(1980, 1, 1),
            email=f"bench{i}@example.com",
            time_zone="UTC",
            consent_email=True,
        )
        for i in range(have, count)
    )
    ids = list(Patient.objects.filter(clinic=clinic).order_by("id").values_list("id", flat=True))
    return ids[:count], clinic.id


def insert_due(count: int, patient_ids: list[int], clinic_id: int) -> None:
    from django.utils import timezone

    from reminders.models import Channel, Kind, Notification

    due = timezone.now() - datetime.timedelta(minutes=1)
    batch = 10_000
    for start in range(0, count, batch):
        Notification.objects.bulk_create(
            Notification(
                clinic_id=clinic_id,
                patient_id=patient_ids[i % len(patient_ids)],
                kind=Kind.EXERCISE,
                channel=Channel.EMAIL,
                source=f"bench:{i}",
                scheduled_for=due,
                next_attempt_at=due,
            )
            for i in range(start, min(start + batch, count))
        )


def run_reminders(outbox, planner, tasks) -> tuple[float, dict]:
    """Plan, dispatch everything due, then wait until no row is pending or sending.

    While waiting it dispatches again every 60 s, as the minutely tick would, so a row
    whose delivery was lost is picked up after the lease (and, when the backlog outlasts
    the lease, rows still queued are enqueued again: `enqueued` counts every task)."""
    from django.db.models import Count, Q, Sum
    from django.utils import timezone

    from reminders.models import Notification

    open_ = [Notification.Status.PENDING, Notification.Status.SENDING]
    enqueued = 0
    started = time.perf_counter()
    planned_at = timezone.now()
    planner.plan(now=planned_at)
    planned = time.perf_counter()
    while claimed := outbox.dispatch(now=timezone.now(), enqueue=tasks.deliver.delay):
        enqueued += claimed
    dispatched = last_tick = time.perf_counter()
    # Only what was due when planning began: rows the planner wrote for later (other
    # patients in a database shared with another bench) would keep this waiting.
    waiting = Notification.objects.filter(status__in=open_, scheduled_for__lte=planned_at)
    while waiting.exists():
        time.sleep(0.25)
        if time.perf_counter() - last_tick > TICK_SECONDS:
            enqueued += outbox.dispatch(now=timezone.now(), enqueue=tasks.deliver.delay)
            last_tick = time.perf_counter()
    finished = time.perf_counter()
    outcomes = dict(
        Notification.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    # A delivery that passed the start guard counts one attempt: more attempts than
    # rows means some notification was handed to the transport more than once.
    attempts = Notification.objects.aggregate(
        total=Sum("attempts"), repeated=Count("id", filter=Q(attempts__gt=1))
    )
    phases = {
        "plan": planned - started,
        "dispatch": dispatched - planned,
        "outcomes": outcomes,
        "enqueued": enqueued,
        "attempts": attempts["total"] or 0,
        "repeated": attempts["repeated"],
    }
    return finished - started, phases


def drop_leftovers(broker) -> int:
    """Drop delivery tasks still queued once every row is done (enqueued again after the
    lease ran out while they waited; each would only find its row sent), so the no-op
    runs start from an empty queue. Returns how many there were."""
    leftover = broker.llen("celery")
    broker.delete("celery")
    while broker.hlen("unacked"):
        time.sleep(0.05)
    return leftover


def run_noops(noop, broker, count: int, workers) -> dict[str, float]:
    """No-op tasks two ways, seconds for `count` each.

    - pipeline: enqueue while the workers consume (as the reminders run does), until
      the queue is empty and nothing is unacknowledged;
    - drain: the workers stop consuming, the queue is filled, then they resume: what
      the workers alone can do, without the single producer as the limit.
    """
    from config.celery import app

    names = [worker.name for worker in workers]

    def drained() -> None:
        while broker.llen("celery") or broker.hlen("unacked"):
            time.sleep(0.05)

    started = time.perf_counter()
    for _ in range(count):
        noop.delay()
    enqueue = time.perf_counter() - started
    drained()
    pipeline = time.perf_counter() - started

    app.control.cancel_consumer("celery", destination=names, reply=True)
    for _ in range(count):
        noop.delay()
    started = time.perf_counter()
    app.control.add_consumer("celery", destination=names, reply=True)
    drained()
    drain = time.perf_counter() - started
    return {"pipeline": pipeline, "enqueue": enqueue, "drain": drain}


def run_inline(outbox, count: int, patient_ids: list[int], clinic_id: int) -> float:
    """Seconds to deliver `count` claimed rows one after another in this process: the
    outbox's own cost per reminder (queries and commits), without Celery or Redis."""
    from django.utils import timezone

    from reminders.models import Notification

    Notification.objects.all().delete()
    insert_due(count, patient_ids, clinic_id)
    claimed: list[int] = []
    outbox.dispatch(now=timezone.now(), enqueue=claimed.append)
    started = time.perf_counter()
    for notification_id in claimed:
        outbox.notification_deliver(notification_id=notification_id)
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
