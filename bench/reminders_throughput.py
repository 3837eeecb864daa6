"""Reminders per second through the whole outbox, next to bare Celery tasks per second.

    python -m bench.reminders_throughput --count 100000 [--workers 2] [--concurrency 2]
    python -m bench.reminders_throughput --count 10000 --provider-latency-ms 200

Uses ``config.settings.test`` with ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/bench``; the database is created if missing and
migrated) and a Redis database of its own (``--broker-url``, default
``redis://127.0.0.1:6379/15``, flushed at start and end).

1. Inserts N due email notifications for a few hundred patients; with
   ``--provider-latency-ms`` texts, for enough patients that the SMS cap stops none.
2. Starts K prefork Celery workers, every channel on ``NullTransport``; with
   ``--provider-latency-ms`` SMS goes by ``reminders.channels.TwilioSmsTransport`` to a
   loopback Twilio stand-in (``tests.standins.twilio``, in this process) that answers
   each request after that many milliseconds.
3. Times ``planner.plan()`` + ``outbox.dispatch()`` (claim with SKIP LOCKED, enqueue
   ``reminders.deliver_batch`` per ``REMINDERS_DELIVERY_BATCH_SIZE`` rows) + the
   deliveries, until no row is pending or sending. ``tasks_per_row``: rows handed to
   the enqueue over N (``--lease-seconds`` below the run's length tests re-dispatch).
4. Times M ``bench.noop`` tasks (``bench/tasks.py``) on the same workers and Redis,
   until the queue is empty and nothing is unacknowledged: once enqueued while the
   workers consume (like step 3, from the first enqueue to the last ack), once draining
   a queue filled while the workers were told to stop consuming.
5. Delivers a sample (``--inline-sample``) in this process, batch after batch, without
   Celery: the outbox's own cost per reminder.
6. Prints reminders/s, no-op tasks/s and ``ratio`` (reminders over the no-op drain).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import math
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
TWILIO = "reminders.channels.TwilioSmsTransport"
FROM_NUMBER = "+15005550006"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="notifications (N)")
    parser.add_argument("--noop-count", type=int, default=None, help="no-op tasks (default N)")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (K)")
    parser.add_argument("--concurrency", type=int, default=2, help="pool size of each worker")
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument(
        "--send-threads", type=int, default=None, help="REMINDERS_SEND_THREADS of the workers"
    )
    latency = "send texts by Twilio's API to a loopback stand-in this slow per request"
    parser.add_argument("--provider-latency-ms", type=int, default=None, help=latency)
    parser.add_argument(
        "--inline-sample", type=int, default=2000, help="rows delivered in-process at the end"
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="CONN_MAX_AGE of the workers' database connections (default 0: one per task)",
    )
    tick = "seconds between dispatches while waiting (the minutely reminders.tick: 60)"
    parser.add_argument("--tick-seconds", type=float, default=60.0, help=tick)
    lease = "REMINDERS_LEASE_SECONDS here and in the workers (default: settings, 600)"
    parser.add_argument("--lease-seconds", type=int, default=None, help=lease)
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
    from django.conf import settings
    from django.db import connection

    from bench.tasks import noop
    from reminders import outbox, planner, tasks

    broker = redis.Redis.from_url(args.broker_url)
    broker.flushdb()

    texts = args.provider_latency_ms is not None
    print(f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"N={args.count} notifications, K={args.workers} workers x {args.concurrency}")
    started = time.perf_counter()
    patients = args.patients
    if texts:  # the daily SMS cap must not be what stops the run
        cap = settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY
        patients = max(patients, math.ceil(args.count / cap) + 1)
    patient_ids, clinic_id = ensure_patients(patients)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reminders_notification")
    insert_due(args.count, patient_ids, clinic_id, sms=texts)
    print(f"inserted {args.count} rows, {patients} patients: {time.perf_counter() - started:.1f} s")

    env = workers_env(args)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    with contextlib.ExitStack() as stack:
        provider = None
        if texts:
            from tests.standins.twilio import TwilioStandIn

            provider = TwilioStandIn(latency=args.provider_latency_ms / 1000)
            env |= {
                "REMINDERS_SMS_TRANSPORT": TWILIO,
                "SMS_API_URL": stack.enter_context(provider),
                "SMS_ACCOUNT_SID": provider.account_sid,
                "SMS_AUTH_TOKEN": provider.auth_token,
                "SMS_FROM_NUMBER": FROM_NUMBER,
            }
        workers = start_workers(
            args.workers,
            concurrency=args.concurrency,
            env=env,
            log_dir=log_dir,
            imports="bench.tasks",
        )
        try:
            reminders_s, phases = run_reminders(outbox, planner, tasks, tick=args.tick_seconds)
            phases["leftover"] = drop_leftovers(broker)
            noops = run_noops(noop, broker, noop_count, workers)
        finally:
            for worker in workers:
                worker.stop()
            broker.flushdb()
        phases["provider_requests"] = len(provider.requests) if provider is not None else 0
    phases["inline"] = run_inline(outbox, args.inline_sample, patient_ids, clinic_id)
    print(f"worker logs: {log_dir}")
    report(args, noop_count, reminders_s, phases, noops)
    return 0


def workers_env(args: argparse.Namespace) -> dict[str, str]:
    env = {
        "CELERY_BROKER_URL": args.broker_url,
        "REMINDERS_EMAIL_TRANSPORT": NULL,
        "REMINDERS_SMS_TRANSPORT": NULL,
        "REMINDERS_PUSH_TRANSPORT": NULL,
        "REMINDERS_OUTBOX_FILE": "",
        "LOG_LEVEL": "WARNING",
    }
    if args.send_threads is not None:
        env["REMINDERS_SEND_THREADS"] = str(args.send_threads)
    if args.conn_max_age is not None:
        # config.settings.test builds DATABASES from the URL alone (the CONN_MAX_AGE
        # variable of the base settings does not reach it); django-environ reads this.
        separator = "&" if "?" in args.database_url else "?"
        env["DATABASE_URL"] = f"{args.database_url}{separator}conn_max_age={args.conn_max_age}"
    return env


def report(
    args: argparse.Namespace, noop_count: int, reminders_s: float, phases: dict, noops: dict
) -> None:
    from django.conf import settings

    reminders_rate = args.count / reminders_s
    pipeline_rate = noop_count / noops["pipeline"]
    drain_rate = noop_count / noops["drain"]
    inline_rate = args.inline_sample / phases["inline"]
    tasks_per_row = phases["enqueued"] / args.count
    outcomes = phases["outcomes"]
    print(f"plan {phases['plan']:.2f} s, dispatch {phases['dispatch']:.1f} s, outcomes {outcomes}")
    print(
        f"rows enqueued {phases['enqueued']} in {phases['tasks']} tasks ({tasks_per_row:.3f}"
        f" per row), deliveries started {phases['attempts']}, rows started more than once"
        f" {phases['repeated']}, tasks left queued when all were done {phases['leftover']}"
    )
    if args.provider_latency_ms is not None:
        print(
            f"provider: {phases['provider_requests']} requests at {args.provider_latency_ms} ms"
            f" each; cancelled by the SMS cap: {phases['capped']}"
        )
    print(f"reminders: {args.count} in {reminders_s:.1f} s = {reminders_rate:,.0f}/s")
    print(
        f"no-op tasks: {noop_count} enqueued while consumed in {noops['pipeline']:.1f} s"
        f" = {pipeline_rate:,.0f}/s (enqueueing alone {noop_count / noops['enqueue']:,.0f}/s);"
        f" draining a full queue {noops['drain']:.1f} s = {drain_rate:,.0f}/s"
    )
    print(
        f"ratio reminders/no-op: {reminders_rate / drain_rate:.2f} (vs draining), "
        f"{reminders_rate / pipeline_rate:.2f} (vs enqueued while consumed)"
    )
    print(f"in-process batches, no Celery: {inline_rate:,.0f} reminders/s on one core")
    latency = args.provider_latency_ms
    print(
        "RESULT bench=reminders_throughput"
        f" count={args.count} workers={args.workers} concurrency={args.concurrency}"
        f"{'' if args.send_threads is None else f' send_threads={args.send_threads}'}"
        f" lease_s={settings.REMINDERS_LEASE.total_seconds():g} tick_s={args.tick_seconds:g}"
        f"{'' if latency is None else f' provider_latency_ms={latency}'}"
        f" reminders_per_s={reminders_rate:.1f} noop_drain_per_s={drain_rate:.1f}"
        f" ratio={reminders_rate / drain_rate:.3f} tasks_per_row={tasks_per_row:.3f}"
        f" reminders_s={reminders_s:.2f} sent={outcomes.get('sent', 0)}"
        f" cancelled={outcomes.get('cancelled', 0)} sms_capped={phases['capped']}"
        f" tasks={phases['tasks']} enqueued={phases['enqueued']} attempts={phases['attempts']}"
        f" repeated={phases['repeated']} leftover={phases['leftover']}"
        f" provider_requests={phases['provider_requests']}"
        f" noop_pipeline_per_s={pipeline_rate:.1f} inline_per_s={inline_rate:.1f}"
    )


def ensure_patients(count: int) -> tuple[list[int], int]:
    """`count` patients in a 'bench' clinic who agreed to email and texts and keep no
    quiet hours (the run may fall at any hour), made once, then reused."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat, LPad

    from patients.models import Patient
    from practice.models import Clinic

    clinic, _ = Clinic.objects.get_or_create(
        slug="bench", defaults={"name": "Bench Clinic", "time_zone": "UTC"}
    )
    have = Patient.objects.filter(clinic=clinic).count()
    midnight = datetime.time(0, 0)
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
    # A phone each (E.164, from the id), consent to texts, no quiet hours.
    Patient.objects.filter(clinic=clinic).update(
        phone=Concat(Value("+1202"), LPad(Cast("id", CharField()), 7, Value("0"))),
        consent_sms=True,
        quiet_hours_start=midnight,
        quiet_hours_end=midnight,
    )
    ids = list(Patient.objects.filter(clinic=clinic).order_by("id").values_list("id", flat=True))
    return ids[:count], clinic.id


def insert_due(count: int, patient_ids: list[int], clinic_id: int, *, sms: bool = False) -> None:
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
                channel=Channel.SMS if sms else Channel.EMAIL,
                source=f"bench:{i}",
                scheduled_for=due,
                next_attempt_at=due,
            )
            for i in range(start, min(start + batch, count))
        )


def run_reminders(outbox, planner, tasks, *, tick: float) -> tuple[float, dict]:
    """Plan, dispatch everything due, then wait until no row is pending or sending.

    While waiting it dispatches again every `tick` seconds, as reminders.tick would, so a row
    whose delivery was lost is picked up after the lease; `enqueued` counts every row
    handed to the enqueue, so a row still queued and enqueued again counts twice."""
    from django.db.models import Count, Q, Sum
    from django.utils import timezone

    from reminders.models import Notification

    handed = {"rows": 0, "tasks": 0}

    def enqueue(ids: list[int]) -> None:
        handed["rows"] += len(ids)
        handed["tasks"] += 1
        tasks.deliver_batch.delay(ids)

    open_ = [Notification.Status.PENDING, Notification.Status.SENDING]
    started = time.perf_counter()
    planned_at = timezone.now()
    planner.plan(now=planned_at)
    planned = time.perf_counter()
    while outbox.dispatch(now=timezone.now(), enqueue=enqueue):
        pass
    dispatched = last_tick = time.perf_counter()
    # Only what was due when planning began: rows the planner wrote for later (other
    # patients in a database shared with another bench) would keep this waiting.
    waiting = Notification.objects.filter(status__in=open_, scheduled_for__lte=planned_at)
    while waiting.exists():
        time.sleep(0.25)
        if time.perf_counter() - last_tick > tick:
            outbox.dispatch(now=timezone.now(), enqueue=enqueue)
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
        "enqueued": handed["rows"],
        "tasks": handed["tasks"],
        "attempts": attempts["total"] or 0,
        "repeated": attempts["repeated"],
        "capped": Notification.objects.filter(last_error__startswith="Daily SMS limit").count(),
    }
    return finished - started, phases


def drop_leftovers(broker) -> int:
    """Drop delivery tasks still queued once every row is done (each would find its rows
    sent), so the no-op runs start from an empty queue; how many there were."""
    leftover = broker.llen("celery")
    broker.delete("celery")
    while broker.hlen("unacked"):
        time.sleep(0.05)
    return leftover


def run_noops(noop, broker, count: int, workers) -> dict[str, float]:
    """No-op tasks two ways, seconds for `count` each. pipeline: enqueued while the
    workers consume (as the reminders run does), until nothing is queued or unacked;
    drain: a queue filled while the workers did not consume: what they alone can do."""
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
    """Seconds to deliver `count` claimed rows batch after batch in this process: the
    outbox's own cost per reminder (queries and commits), without Celery or Redis."""
    from django.test.utils import override_settings
    from django.utils import timezone

    from reminders.models import Notification

    Notification.objects.all().delete()
    insert_due(count, patient_ids, clinic_id)
    batches: list[list[int]] = []
    with override_settings(REMINDERS_TRANSPORTS={"email": NULL, "sms": NULL, "push": NULL}):
        outbox.dispatch(now=timezone.now(), enqueue=batches.append)
        started = time.perf_counter()
        for batch in batches:
            outbox.notifications_deliver_batch(notification_ids=batch)
        return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
