"""Does years of outbox history slow claiming and planning, and how fast does it leave?

    python -m bench.outbox_history [--history 5000000] [--due 10000] [--prescriptions 10000]

Uses ``config.settings.test`` with ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/bench_retention``; created if missing, migrated, and
its patients, prescriptions, outbox and archive truncated).

Times, on one population, with no history and with ``--history`` done rows (sent,
cancelled, failed; all kinds, of the same patients, 401 days old and older, inserted with
``INSERT ... SELECT generate_series`` and analysed) in the outbox, the two cases in
alternate rounds (the history-free table is a copy in its own schema, chosen by
``search_path``), so a load that comes and goes falls on both:

- claiming: ``outbox.dispatch`` as the tick calls it (claims of ``REMINDERS_BATCH_SIZE``
  rows, each its own transaction, enqueueing nothing) over ``--due`` due rows;
- planning: ``planner.plan(now=...)`` with ``--prescriptions`` active prescriptions
  whose reminder time is in the window (the rows written by a pass are deleted before
  the next), and once more on the full outbox (a repeat pass, as every few minutes).

``claim_ratio``, ``plan_ratio``: medians of the ``--repeat`` per-round ratios, with history
over without. Then ``retention.notifications_archive`` moves the history to the archive
(``archive_rows_per_s``; table sizes before, after, and after ``VACUUM``), and claiming and
planning are timed once more.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from typing import Any

from bench import configure, ensure_clinic

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_retention"
CLAIM_SOURCE = "bench-claim:"
HOT = "reminders_notification"
ARCHIVE = "reminders_archivednotification"
EMPTY = "bench_no_history"
MB = 2**20
SHOWN_PHASE_S = 0.005  # shorter planner phases are left out of the report


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--history", type=int, default=5_000_000)
    parser.add_argument("--due", type=int, default=10_000, help="due rows to claim")
    parser.add_argument("--prescriptions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--chunk", type=int, default=1_000_000, help="history rows per insert")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    configure(args.database_url)

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from bench.planner_scale import analyze, insert_population, instrument
    from reminders import planner

    now = timezone.now().replace(second=0, microsecond=0)
    print(f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"now={now.isoformat()}, retention={settings.REMINDERS_RETENTION.days} days")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {EMPTY} CASCADE")
        cursor.execute(
            f"TRUNCATE {HOT}, {ARCHIVE}, programs_prescription, patients_diagnosis, "
            "patients_patient CASCADE"
        )
    clinic, therapist = ensure_clinic(slug="bench", name="Bench Clinic", therapist="bench.pt")
    insert_population(
        args.prescriptions,
        now=now,
        due=True,
        answered=True,
        clinic_id=clinic.pk,
        staff_id=therapist.pk,
    )
    analyze()
    fill_due_instants(now)
    insert_due(args.due, now=now, clinic_id=clinic.pk)
    # The same outbox without history, in a schema of its own: a case is chosen by the
    # search path, so the two are timed in alternate rounds under the same load.
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {EMPTY}")
        cursor.execute(f"CREATE TABLE {EMPTY}.{HOT} (LIKE public.{HOT} INCLUDING ALL)")
        cursor.execute(
            "INSERT INTO bench_no_history.reminders_notification"
            " SELECT * FROM public.reminders_notification"
        )
        # The copy's own identity sequence starts at 1: move it past the copied ids.
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('bench_no_history.reminders_notification',"
            " 'id'), (SELECT max(id) FROM bench_no_history.reminders_notification) + 1)"
        )
    started = time.perf_counter()
    insert_history(args.history, now=now, clinic_id=clinic.pk, chunk=args.chunk)
    for case in (EMPTY, "public"):
        use(case)
        vacuum()
    print(f"history: {args.history} rows inserted in {time.perf_counter() - started:.1f} s")
    before = sizes()
    print(f"  sizes with history: {format_sizes(before)}")

    phases = instrument(planner)
    without, with_history = measure(now, args, phases, cases=(EMPTY, "public"))
    report("without history", without)
    report("with history", with_history)

    # A daily run with nothing old enough yet: what walking the whole table costs.
    _, idle_seconds = archive(now - 3 * settings.REMINDERS_RETENTION)
    print(f"archive with nothing to move: {idle_seconds:.2f} s")
    moved, seconds = archive(now)
    after = sizes()
    vacuum()
    vacuumed = sizes()
    print(f"archive: {moved} rows in {seconds:.1f} s ({moved / seconds:.0f} rows/s)")
    print(f"  sizes after the archive: {format_sizes(after)}")
    print(f"  sizes after VACUUM: {format_sizes(vacuumed)}")
    without_again, archived = measure(now, args, phases, cases=(EMPTY, "public"))
    report("without history (again)", without_again)
    report("after the archive", archived)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {EMPTY} CASCADE")

    print(
        "RESULT bench=outbox_history"
        f" history={args.history} due={args.due} prescriptions={args.prescriptions}"
        f" repeat={args.repeat}"
        f" claim_s={statistics.median(without['claim']):.3f}"
        f" claim_history_s={statistics.median(with_history['claim']):.3f}"
        f" claim_ratio={ratio(with_history, without, 'claim'):.2f}"
        f" plan_s={statistics.median(without['plan']):.3f}"
        f" plan_history_s={statistics.median(with_history['plan']):.3f}"
        f" plan_ratio={ratio(with_history, without, 'plan'):.2f}"
        f" plan_again_ratio={ratio(with_history, without, 'again'):.2f}"
        f" claim_after_archive_ratio={ratio(archived, without_again, 'claim'):.2f}"
        f" plan_after_archive_ratio={ratio(archived, without_again, 'plan'):.2f}"
        f" archived={moved} archive_s={seconds:.1f} archive_rows_per_s={moved / seconds:.0f}"
        f" archive_idle_s={idle_seconds:.2f}"
        f" hot_mb_before={before[HOT] / MB:.0f} hot_mb_after={after[HOT] / MB:.0f}"
        f" hot_mb_vacuumed={vacuumed[HOT] / MB:.0f}"
        f" archive_mb={vacuumed[ARCHIVE] / MB:.0f}"
    )
    return 0


def ratio(case: dict[str, Any], baseline: dict[str, Any], key: str) -> float:
    """The median of the rounds' ratios: each round timed both cases one after the
    other, so a burst of other work on the machine weighs on both sides of a ratio."""
    return statistics.median(a / b for a, b in zip(case[key], baseline[key], strict=True))


def use(schema: str) -> None:
    """Make the outbox table of `schema` the one the code reads (`public`: the real one)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SET search_path TO {schema}, public"
            if schema != "public"
            else "SET search_path TO public"
        )


def measure(
    now: datetime.datetime,
    args: argparse.Namespace,
    phases: dict[str, float],
    *,
    cases: tuple[str, ...],
) -> list[dict[str, Any]]:
    """Per case (an outbox table, by schema), claim times and plan times (a first pass
    and a repeat pass): `repeat` rounds, each timing every case in turn, after one round
    not counted (caches warm up); and the planner's phases in the last round."""
    results: list[dict[str, Any]] = [{"claim": [], "plan": [], "again": []} for _ in cases]
    for _ in range(args.repeat + 1):
        for case, times in zip(cases, results, strict=True):
            use(case)
            one_round(now, args, phases, times)
    use("public")
    for times in results:
        for key in ("claim", "plan", "again"):
            times[key] = times[key][1:]
    return results


def one_round(
    now: datetime.datetime, args: argparse.Namespace, phases: dict[str, float], times: dict
) -> None:
    from django.db import connection

    from reminders import outbox, planner

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reminders_notification SET status = 'pending', claimed_at = NULL"
            " WHERE source LIKE %s AND status <> 'pending'",
            [CLAIM_SOURCE + "%"],
        )
    vacuum()
    started = time.perf_counter()
    claimed = outbox.dispatch(now=now, enqueue=lambda ids: None, max_batches=10**6)
    times["claim"].append(time.perf_counter() - started)
    assert claimed == args.due, (claimed, args.due)

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM reminders_notification WHERE status = 'pending' AND source NOT LIKE %s",
            [CLAIM_SOURCE + "%"],
        )
    vacuum()
    phases.clear()
    started = time.perf_counter()
    created = planner.plan(now=now).created
    times["plan"].append(time.perf_counter() - started)
    assert created >= args.prescriptions, (created, args.prescriptions)
    times["phases"] = dict(phases)
    phases.clear()
    started = time.perf_counter()
    planner.plan(now=now)
    times["again"].append(time.perf_counter() - started)
    times["again_phases"] = dict(phases)


def fill_due_instants(now: datetime.datetime) -> None:
    """The planner's per-patient due instants for the patients inserted by SQL, as its
    data migration fills them (a planner that keeps none has nothing to fill)."""
    try:
        from reminders.planner import due
    except ImportError:
        return
    due.fill(now=now)


def insert_due(count: int, *, now: datetime.datetime, clinic_id: int) -> None:
    """`count` pending rows due in the last minutes, to the bench's patients."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reminders_notification (
                clinic_id, patient_id, staff_id, kind, channel, source, scheduled_for,
                next_attempt_at, status, attempts, last_error, provider_message_id,
                receipt, receipt_error, created_at, updated_at
            )
            WITH p AS (
                SELECT array_agg(id) AS ids
                FROM (SELECT id FROM patients_patient ORDER BY id LIMIT 1000) first
            )
            SELECT %(clinic)s, p.ids[1 + g %% cardinality(p.ids)], NULL, 'exercise', 'email',
                   %(prefix)s || g,
                   %(now)s - (g %% 300) * interval '1 second',
                   %(now)s - (g %% 300) * interval '1 second',
                   'pending', 0, '', '', '', '', %(now)s, %(now)s
            FROM generate_series(1, %(count)s) AS g CROSS JOIN p
            """,
            {"clinic": clinic_id, "prefix": CLAIM_SOURCE, "now": now, "count": count},
        )


def insert_history(count: int, *, now: datetime.datetime, clinic_id: int, chunk: int) -> None:
    """`count` done rows about the bench's patients, every one older than the retention:
    row g is patient g mod P's row number g div P, one day older than the one before,
    and its kind and outcome follow that number (mostly sent exercise reminders; every
    twentieth a questionnaire reminder, a nudge, an appointment reminder; some cancelled
    or failed)."""
    from django.conf import settings
    from django.db import connection, transaction

    newest = now - settings.REMINDERS_RETENTION - datetime.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_people")
        cursor.execute(
            """
            CREATE UNLOGGED TABLE bench_people AS
            SELECT (row_number() OVER (ORDER BY rx.patient_id)) - 1 AS n,
                   rx.patient_id, rx.id AS prescription_id
            FROM programs_prescription rx
            """
        )
        cursor.execute("SELECT count(*) FROM bench_people")
        (people,) = cursor.fetchone()
        cursor.execute("CREATE UNIQUE INDEX ON bench_people (n)")
    for start in range(0, count, chunk):
        stop = min(start + chunk, count) - 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO reminders_notification (
                    clinic_id, patient_id, staff_id, kind, channel, source, scheduled_for,
                    next_attempt_at, status, attempts, last_error, provider_message_id,
                    receipt, receipt_error, created_at, updated_at, sent_at, claimed_at,
                    delivery_started_at
                )
                SELECT %(clinic)s, b.patient_id, NULL, r.kind, 'email', r.source, r.at, r.at,
                       r.status, CASE r.status WHEN 'failed' THEN 5 ELSE 1 END,
                       CASE r.status WHEN 'failed' THEN 'Mailbox unavailable.'
                                     WHEN 'cancelled' THEN 'Consent withdrawn.' ELSE '' END,
                       CASE r.status WHEN 'sent' THEN 'msg-' || g ELSE '' END, '', '',
                       r.at - interval '2 hours', r.at + interval '1 minute',
                       CASE r.status WHEN 'sent' THEN r.at + interval '1 minute' END,
                       CASE r.status WHEN 'cancelled' THEN NULL ELSE r.at END,
                       CASE r.status WHEN 'cancelled' THEN NULL ELSE r.at END
                FROM generate_series(%(start)s, %(stop)s) AS g
                JOIN bench_people b ON b.n = g %% %(people)s
                CROSS JOIN LATERAL (
                    SELECT g / %(people)s AS d
                ) k
                CROSS JOIN LATERAL (
                    SELECT
                        %(newest)s::timestamptz - k.d * interval '1 day' AS at,
                        CASE k.d %% 20 WHEN 0 THEN 'questionnaire' WHEN 1 THEN 'nudge'
                                       WHEN 2 THEN 'appointment' ELSE 'exercise' END AS kind,
                        CASE k.d %% 20
                            WHEN 0 THEN 'questionnaire:' || b.patient_id || ':odi:'
                                || to_char(%(newest)s::date - k.d::int, 'YYYY-MM-DD')
                            WHEN 1 THEN 'nudge:' || b.patient_id || ':'
                                || to_char(%(newest)s::date - k.d::int, 'YYYY-MM-DD')
                            WHEN 2 THEN 'appointment:' || g || ':24h'
                            ELSE 'prescription:' || b.prescription_id
                        END AS source,
                        CASE WHEN k.d %% 10 = 3 THEN 'cancelled'
                             WHEN k.d %% 50 = 7 THEN 'failed' ELSE 'sent' END AS status
                ) r
                """,
                {
                    "clinic": clinic_id,
                    "start": start,
                    "stop": stop,
                    "people": people,
                    "newest": newest,
                },
            )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_people")


def archive(now: datetime.datetime) -> tuple[int, float]:
    from reminders import retention

    started = time.perf_counter()
    moved = retention.notifications_archive(now=now)
    return moved, time.perf_counter() - started


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {HOT}")
        cursor.execute(f"VACUUM ANALYZE public.{ARCHIVE}")


def sizes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        result = {}
        for table in (HOT, ARCHIVE):
            name = f"public.{table}"
            cursor.execute("SELECT pg_total_relation_size(%s), pg_indexes_size(%s)", [name] * 2)
            result[table], result[f"{table}:indexes"] = cursor.fetchone()
        return result


def format_sizes(found: dict[str, int]) -> str:
    return ", ".join(
        f"{table} {found[table] / MB:.0f} MB (indexes {found[f'{table}:indexes'] / MB:.0f} MB)"
        for table in (HOT, ARCHIVE)
    )


def report(name: str, times: dict[str, Any]) -> None:
    print(
        f"{name}: claim median {statistics.median(times['claim']):.3f} s"
        f" ({', '.join(f'{s:.3f}' for s in times['claim'])});"
        f" plan median {statistics.median(times['plan']):.3f} s"
        f" ({', '.join(f'{s:.3f}' for s in times['plan'])});"
        f" repeat pass median {statistics.median(times['again']):.3f} s"
    )
    for key, label in (("phases", "first pass"), ("again_phases", "repeat pass")):
        spent = [(n, t) for n, t in times[key].items() if t >= SHOWN_PHASE_S]
        print(f"  {label} phases: " + ", ".join(f"{n.strip('_')} {t:.3f} s" for n, t in spent))


if __name__ == "__main__":
    sys.exit(main())
