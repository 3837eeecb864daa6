"""Does the planner's cost follow the reminders due, or every prescription there is?

    python -m bench.planner_scale [--total 1000000] [--due 10000] [--repeat 3]

Uses ``config.settings.test`` with ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/bench_planner``; created if missing, migrated, and
its patients, diagnoses, prescriptions and notifications are truncated).

Times ``reminders.planner.plan(now=...)`` (2 h horizon) on two populations:

- small: ``--due`` active prescriptions, every one with a reminder time in the window;
- large: the same plus ``--total - --due`` active prescriptions whose reminder time is
  8 hours away (outside the window), so the planner has the same work to write but
  many more rows it must not pick.

Each prescription has its own active patient (one open program per patient), with email
consent, in one of a few time zones, started today (so no inactivity nudges are due),
who answered the baseline outcome questionnaires today (so none is due), except one in
``--questionnaire-due-every`` (5) of the due patients, who answered none: they are due
their baseline questionnaires, in both populations alike (``--unanswered`` leaves every
patient unanswered, as after a bulk import: then every patient is due a reminder).
Rows are inserted with ``INSERT ... SELECT generate_series`` in one clinic; history
tables are left empty. The inserts bypass the services, so the planner's due instants
are then worked out for the new patients with ``reminders.planner.due.fill`` (what the
data migration does; timed apart). Each case is planned ``--repeat`` times from an
empty outbox (the notifications are deleted in between); the phases of ``plan()`` are
timed too.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import inspect
import os
import platform
import re
import statistics
import sys
import time
from collections import defaultdict

from bench import configure, ensure_clinic

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_planner"
ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
)
CHUNK = 100_000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--unanswered",
        action="store_true",
        help="give patients no questionnaire answers (every baseline then due at once)",
    )
    parser.add_argument(
        "--questionnaire-due-every",
        type=int,
        default=5,
        help="one due patient in this many answered nothing (0: all answered)",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    configure(args.database_url)

    from django.db import connection
    from django.utils import timezone

    from reminders import planner
    from reminders.planner import due as planner_due

    now = timezone.now().replace(second=0, microsecond=0)
    print(f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"now={now.isoformat()}, horizon={planner.settings.REMINDERS_PLAN_HORIZON}")
    phase_times = instrument(planner)

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reminders_notification, programs_prescription, patients_diagnosis, "
            "patients_patient CASCADE"
        )
    clinic, therapist = ensure_clinic(slug="bench", name="Bench Clinic", therapist="bench.pt")
    clinic_id, therapist_id = clinic.pk, therapist.pk

    started = time.perf_counter()
    answered = not args.unanswered
    first_id = insert_population(
        args.due,
        now=now,
        due=True,
        answered=answered,
        clinic_id=clinic_id,
        staff_id=therapist_id,
        unanswered_every=args.questionnaire_due_every,
    )
    print(f"small: {args.due} prescriptions inserted in {time.perf_counter() - started:.1f} s")
    small_fill = fill(planner_due, now=now, after=first_id)
    analyze()
    small = time_plan(planner, now, args.repeat, phase_times)
    report("small", args.due, args.due, small)

    started = time.perf_counter()
    first_id = insert_population(
        args.total - args.due,
        now=now,
        due=False,
        answered=answered,
        clinic_id=clinic_id,
        staff_id=therapist_id,
    )
    print(
        f"large: {args.total - args.due} more prescriptions inserted "
        f"in {time.perf_counter() - started:.1f} s"
    )
    large_fill = fill(planner_due, now=now, after=first_id)
    analyze()
    large = time_plan(planner, now, args.repeat, phase_times)
    report("large", args.total, args.due, large)

    ratio = statistics.median(r["seconds"] for r in large) / statistics.median(
        r["seconds"] for r in small
    )
    print(f"large/small plan() time: {ratio:.1f}x for {args.total / args.due:.0f}x prescriptions")
    print(
        "RESULT bench=planner_scale"
        f" total={args.total} due={args.due} repeat={args.repeat}"
        f" answered={int(answered)}"
        f" questionnaire_due_every={args.questionnaire_due_every}"
        f" small_fill_s={small_fill:.1f} large_fill_s={large_fill:.1f}"
        f" small_median_s={statistics.median(r['seconds'] for r in small):.3f}"
        f" small_created={small[-1]['created']}"
        f" small_questionnaires={small[-1]['questionnaires']}"
        f" small_again_s={small[-1]['again_seconds']:.3f}"
        f" large_median_s={statistics.median(r['seconds'] for r in large):.3f}"
        f" large_created={large[-1]['created']}"
        f" large_questionnaires={large[-1]['questionnaires']}"
        f" large_again_s={large[-1]['again_seconds']:.3f}"
        f" ratio={ratio:.2f}"
    )
    return 0


def fill(planner_due, *, now: datetime.datetime, after: int) -> float:
    """The due instants of the patients just inserted, as the data migration fills them
    for existing patients; seconds."""
    started = time.perf_counter()
    count = planner_due.fill(now=now, after=after)
    seconds = time.perf_counter() - started
    print(f"  due instants of {count} patients worked out in {seconds:.1f} s")
    return seconds


def instrument(planner) -> dict[str, float]:
    """Wrap the planner's phases with timers: the `_plan_*` / `_reconcile_*` functions
    and the `module.plan_*` / `module.notifications_cancel_*` calls that plan() makes,
    found in its source. A module's function is wrapped where it lives, so the planner
    calls the timed one."""
    totals: dict[str, float] = defaultdict(float)
    source = inspect.getsource(planner.plan)
    phases = re.findall(r"^\s+(_(?:plan|reconcile)_\w+)\(", source, re.M)

    def timed(name, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals[name] += time.perf_counter() - started

        return wrapper

    for name in dict.fromkeys(phases):
        if callable(getattr(planner, name, None)):
            setattr(planner, name, timed(name, getattr(planner, name)))
    calls = re.findall(r"^\s+(\w+)\.((?:plan|cancel|notifications_cancel)_\w+)\(", source, re.M)
    for module_name, name in dict.fromkeys(calls):
        module = getattr(planner, module_name, None)
        if module is not None and callable(getattr(module, name, None)):
            setattr(module, name, timed(f"{module_name}.{name}", getattr(module, name)))
    return totals


def local_hhmm(zone: str, instant: datetime.datetime) -> str:
    from zoneinfo import ZoneInfo

    return f"{instant.astimezone(ZoneInfo(zone)):%H:%M}"


def insert_population(
    count: int,
    *,
    now: datetime.datetime,
    due: bool,
    answered: bool,
    clinic_id: int,
    staff_id: int,
    unanswered_every: int = 0,
) -> int:
    """`count` patients, each with a diagnosis and an active prescription, via SQL; with
    `answered`, each has also answered the baseline questionnaires today, so no outcome
    questionnaire is due (the steady state of a clinic, rather than a fresh import),
    except one in `unanswered_every`, who answered none. The largest id before them."""
    from django.db import connection, transaction

    baseline = baseline_codes() if answered else []

    offset = datetime.timedelta(minutes=30) if due else datetime.timedelta(hours=8)
    times = {zone: local_hhmm(zone, now + offset) for zone in ZONES}
    tag = "due" if due else "idle"
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM patients_patient")
        (first_id,) = cursor.fetchone()
    before = first_id
    for start in range(0, count, CHUNK):
        stop = min(start + CHUNK, count) - 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO patients_patient (
                    mrn, first_name, last_name, date_of_birth, email, phone, time_zone,
                    consent_email, consent_sms, consent_push, quiet_hours_start,
                    quiet_hours_end, referral, referring_physician, status, created_at,
                    updated_at, clinic_id, primary_therapist_id
                )
                SELECT %(tag)s || g, 'Bench', 'Patient' || g, DATE '1980-01-01',
                       'p' || %(tag)s || g || '@example.com', '',
                       (%(zones)s::text[])[1 + g %% %(nzones)s],
                       true, false, false, TIME '21:00', TIME '08:00', 'direct_access', '',
                       'active', now(), now(), %(clinic)s, %(staff)s
                FROM generate_series(%(start)s, %(stop)s) AS g
                """,
                {
                    "tag": tag,
                    "zones": list(ZONES),
                    "nzones": len(ZONES),
                    "clinic": clinic_id,
                    "staff": staff_id,
                    "start": start,
                    "stop": stop,
                },
            )
            cursor.execute(
                """
                INSERT INTO patients_diagnosis (
                    cause, side, icd10_code, secondary_icd10_codes, onset_date, diagnosed_on,
                    notes, created_at, diagnosed_by_id, patient_id
                )
                SELECT 'herniated_disc', 'left', 'M51.16', '[]', %(today)s, %(today)s, '', now(),
                       %(staff)s, p.id
                FROM patients_patient p
                WHERE p.id > %(after)s
                """,
                {"today": now.date(), "staff": staff_id, "after": first_id},
            )
            cursor.execute(
                """
                INSERT INTO programs_prescription (
                    name, start_date, phase_names, current_phase, status, weekdays,
                    reminder_times, notes, created_at, updated_at, diagnosis_id, patient_id,
                    prescribed_by_id
                )
                SELECT 'Bench program', %(today)s, '["Phase 1"]'::jsonb, 1, 'active',
                       '[0, 1, 2, 3, 4, 5, 6]'::jsonb,
                       jsonb_build_array((%(times)s::jsonb) ->> p.time_zone),
                       '', now(), now(), d.id, p.id, %(staff)s
                FROM patients_patient p JOIN patients_diagnosis d ON d.patient_id = p.id
                WHERE p.id > %(after)s
                """,
                {
                    "today": now.date(),
                    "times": _json(times),
                    "staff": staff_id,
                    "after": first_id,
                },
            )
            if baseline:
                cursor.execute(
                    """
                    INSERT INTO outcomes_questionnaireresponse (
                        code, answers, score, band, occasion, due_on, answered_at,
                        created_at, patient_id
                    )
                    SELECT c.code, '{}'::jsonb, 0, '', 'baseline', %(today)s, %(now)s,
                           %(now)s, p.id
                    FROM patients_patient p CROSS JOIN unnest(%(codes)s::text[]) AS c(code)
                    WHERE p.id > %(after)s AND (%(every)s = 0 OR p.id %% %(every)s <> 0)
                    """,
                    {
                        "today": now.date(),
                        "now": now,
                        "codes": baseline,
                        "after": first_id,
                        "every": unanswered_every,
                    },
                )
            cursor.execute("SELECT max(id) FROM patients_patient")
            (first_id,) = cursor.fetchone()
    return before


def baseline_codes() -> list[str]:
    """The questionnaires a new patient answers first ([] without the outcomes app)."""
    try:
        from outcomes.schedule import BASELINE_CODES
    except ImportError:
        return []
    return [str(code) for code in BASELINE_CODES]


def _json(value) -> str:
    import json

    return json.dumps(value)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = [
            "patients_patient",
            "patients_diagnosis",
            "programs_prescription",
            "reminders_plannerdue",
        ]
        if "outcomes_questionnaireresponse" in connection.introspection.table_names():
            tables.append("outcomes_questionnaireresponse")
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def time_plan(planner, now, repeat: int, phase_times: dict[str, float]) -> list[dict]:
    from reminders.models import Notification

    runs = []
    for _ in range(repeat):
        Notification.objects.all().delete()
        phase_times.clear()
        started = time.perf_counter()
        planner.plan(now=now)
        seconds = time.perf_counter() - started
        # Counted in the table, not read from PlanResult (whose shape may still change).
        created = Notification.objects.count()
        questionnaires = Notification.objects.filter(kind="questionnaire").count()
        runs.append(
            {
                "seconds": seconds,
                "created": created,
                "questionnaires": questionnaires,
                "phases": dict(phase_times),
            }
        )
    # Once more on a full outbox: what every later pass (every few minutes) costs.
    phase_times.clear()
    started = time.perf_counter()
    planner.plan(now=now)
    runs[-1]["again_seconds"] = time.perf_counter() - started
    runs[-1]["again_created"] = Notification.objects.count() - created
    runs[-1]["again_phases"] = dict(phase_times)
    return runs


def report(name: str, total: int, due: int, runs: list[dict]) -> None:
    seconds = [r["seconds"] for r in runs]
    print(
        f"{name}: {total} prescriptions, {due} due -> plan() "
        f"median {statistics.median(seconds):.2f} s (runs {', '.join(f'{s:.2f}' for s in seconds)}"
        f"), created {runs[-1]['created']}"
    )
    phases = ", ".join(f"{k.strip('_')} {v:.2f} s" for k, v in runs[-1]["phases"].items())
    print(f"  phases (last run): {phases}")
    again = ", ".join(f"{k.strip('_')} {v:.2f} s" for k, v in runs[-1]["again_phases"].items())
    print(
        f"  again on a full outbox: {runs[-1]['again_seconds']:.2f} s, "
        f"created {runs[-1]['again_created']} ({again})"
    )


if __name__ == "__main__":
    sys.exit(main())
