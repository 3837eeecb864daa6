"""The JSON API under load: gunicorn (2 sync workers) against a clinic of N patients.

    python -m bench.api_load --patients 10000 --seconds 20

Builds its own database (bench_api) with one clinic, one therapist and N patients, each
with a login, a diagnosis and an open McKenzie program (rows bulk-created, not through the
services, for speed), starts gunicorn on a free loopback port and drives each endpoint
for a fixed time from client processes (stdlib http.client), then prints requests/s and
p50/p99 latency per endpoint, and each endpoint's requests/s as a share of the floor
(an authenticated DRF view that does nothing, /bench/ping/ from bench.api_urls).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import ROOT, configure

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_api"
CLINIC = "bench-api"
TEMPLATE = "mckenzie-extension"
BATCH = 2000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=20.0, help="per endpoint")
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--tokens", type=int, default=2000, help="patient tokens to rotate")
    parser.add_argument("--sessions", type=int, default=2000, help="sessions seeded")
    parser.add_argument("--database-url", default=DATABASE_URL)
    return parser.parse_args(argv)


# -- data ---------------------------------------------------------------------------


def seed(patients: int, sessions: int) -> tuple[int, float]:
    """Create the clinic once (or reuse it when it already has enough patients)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from patients.models import Cause, Diagnosis, Patient, Side
    from practice import services as practice_services
    from practice.models import Clinic, Role, StaffMember, User
    from programs.models import (
        ExerciseSession,
        ExtentChange,
        PainExtent,
        PrescribedExercise,
        Prescription,
        ProgramTemplate,
        SessionExercise,
    )
    from programs.services import template_doses

    started = time.monotonic()
    clinic, _ = Clinic.objects.get_or_create(
        slug=CLINIC, defaults={"name": "Bench API Clinic", "time_zone": "America/New_York"}
    )
    therapist = StaffMember.objects.filter(user__username="bench.therapist").first()
    if therapist is None:
        therapist = practice_services.staff_member_create(
            clinic=clinic,
            username="bench.therapist",
            password="bench-password",
            role=Role.PHYSICAL_THERAPIST,
            first_name="Bench",
            last_name="Therapist",
        )
    have = Patient.objects.filter(clinic=clinic).count()
    if have >= patients:
        return therapist.pk, time.monotonic() - started

    template = ProgramTemplate.objects.get(slug=TEMPLATE)
    doses = template_doses(template)
    phase_names = list(template.phases.order_by("number").values_list("name", flat=True))
    password = make_password("bench-password")  # once; every patient shares the hash
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        for start in range(have, patients, BATCH):
            numbers = range(start, min(start + BATCH, patients))
            # Users left behind when another bench emptied the patients table are reused.
            names = [f"bench.patient.{i}" for i in numbers]
            User.objects.bulk_create(
                [User(username=name, password=password, email="p@example.com") for name in names],
                ignore_conflicts=True,
            )
            by_name = User.objects.filter(username__in=names).in_bulk(field_name="username")
            users = [by_name[name] for name in names]
            rows = Patient.objects.bulk_create(
                [
                    Patient(
                        clinic=clinic,
                        user=user,
                        mrn=f"BENCH-{i:07d}",
                        first_name=f"Pat{i % 97}",
                        last_name=f"Bench{i:07d}",
                        date_of_birth=datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                        email="p@example.com",
                        time_zone="America/New_York",
                        primary_therapist=therapist,
                    )
                    for i, user in zip(numbers, users, strict=True)
                ]
            )
            diagnoses = Diagnosis.objects.bulk_create(
                [
                    Diagnosis(
                        patient=p,
                        cause=Cause.HERNIATED_DISC,
                        side=Side.LEFT,
                        icd10_code="M51.16",
                        onset_date=today - datetime.timedelta(days=20),
                        diagnosed_by=therapist,
                    )
                    for p in rows
                ]
            )
            programs = Prescription.objects.bulk_create(
                [
                    Prescription(
                        patient=p,
                        diagnosis=d,
                        template=template,
                        name=template.name,
                        prescribed_by=therapist,
                        start_date=today,
                        phase_names=phase_names,
                        weekdays=list(range(7)),
                        reminder_times=["08:00", "18:00"],
                    )
                    for p, d in zip(rows, diagnoses, strict=True)
                ]
            )
            PrescribedExercise.objects.bulk_create(
                [
                    PrescribedExercise(
                        prescription=program,
                        exercise=dose.exercise,
                        phase=dose.phase,
                        order=dose.order,
                        **{**dose.exercise.dosage, **dose.dosage},
                    )
                    for program in programs
                    for dose in doses
                ],
                batch_size=BATCH,
            )
        # Some history: one session each for the first `sessions` patients.
        programs = list(
            Prescription.objects.filter(patient__clinic=clinic)
            .select_related("patient")
            .order_by("patient_id")[: min(sessions, patients)]
        )
        first_item = dict(
            PrescribedExercise.objects.filter(prescription__in=programs, phase=1, order=0)
            .order_by("prescription_id")
            .values_list("prescription_id", "pk")
        )
        stored = ExerciseSession.objects.bulk_create(
            [
                ExerciseSession(
                    patient=program.patient,
                    prescription=program,
                    client_id=uuid.uuid4(),
                    performed_at=now - datetime.timedelta(days=1),
                    leg_pain_before=5,
                    leg_pain_after=4,
                    pain_extent=PainExtent.THIGH,
                    extent_change=ExtentChange.FIRST,
                )
                for program in programs
            ]
        )
        SessionExercise.objects.bulk_create(
            [
                SessionExercise(
                    session=session,
                    prescribed_exercise_id=first_item[session.prescription_id],
                    sets=1,
                    reps=10,
                )
                for session in stored
                if session.prescription_id in first_item
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return therapist.pk, time.monotonic() - started


def tokens(therapist_id: int, count: int) -> tuple[str, list[tuple[str, int]]]:
    """The therapist's access token, and (token, a prescribed exercise id) per patient."""
    from rest_framework_simplejwt.tokens import RefreshToken

    from practice.models import StaffMember
    from programs.models import PrescribedExercise

    staff = StaffMember.objects.select_related("user").get(pk=therapist_id)
    items = (
        PrescribedExercise.objects.filter(
            prescription__patient__clinic=staff.clinic, prescription__status="active", phase=1
        )
        .order_by("prescription__patient_id", "order")
        .distinct("prescription__patient_id")
        .select_related("prescription__patient__user")[:count]
    )
    patients = [
        (str(RefreshToken.for_user(item.prescription.patient.user).access_token), item.pk)
        for item in items
    ]
    return str(RefreshToken.for_user(staff.user).access_token), patients


# -- server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int, log: Path, database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{database_url}?conn_max_age=60",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SECRET_KEY", None)
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "practice.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited, see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            conn.close()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn not ready, see {log}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    import signal

    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


# -- client -------------------------------------------------------------------------


def drive(port: int, endpoint: str, work: list, seconds: float, offset: int) -> dict:
    """One client process: requests back to back over one http.client connection.

    Gunicorn's sync workers answer `Connection: close`, so http.client reopens the
    (loopback) connection for each request; that cost is in every figure, the floor's too.
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    errors: dict[int, int] = {}
    index = offset
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        token, item = work[index % len(work)]
        index += 1
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        body = None
        method = "GET"
        if endpoint == "/api/v1/me/sessions/":
            method = "POST"
            headers["Content-Type"] = "application/json"
            body = json.dumps(
                {
                    "client_id": str(uuid.uuid4()),
                    "performed_at": datetime.datetime.now(datetime.UTC).isoformat(),
                    "leg_pain_before": 5,
                    "leg_pain_after": 4,
                    "pain_extent": "thigh",
                    "exercises": [{"prescribed_exercise": item, "sets": 2, "reps": 10}],
                }
            )
        begin = time.perf_counter()
        try:
            conn.request(method, endpoint, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            status = 0
        latencies.append(time.perf_counter() - begin)
        if status not in (200, 201):
            errors[status] = errors.get(status, 0) + 1
    conn.close()
    return {"latencies": latencies, "errors": errors}


def load(port: int, endpoint: str, work: list, seconds: float, clients: int) -> dict:
    with ProcessPoolExecutor(clients) as pool:
        stride = max(len(work) // clients, 1)
        futures = [
            pool.submit(drive, port, endpoint, work, seconds, n * stride) for n in range(clients)
        ]
        results = [f.result() for f in futures]
    latencies = sorted(x for r in results for x in r["latencies"])
    errors: dict[int, int] = {}
    for r in results:
        for status, count in r["errors"].items():
            errors[status] = errors.get(status, 0) + count
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": errors,
    }


def query_counts(staff_token: str, patient: tuple[str, int]) -> dict[str, int]:
    """Queries one request of each endpoint runs, in this process via the test client."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from rest_framework.test import APIClient

    counts = {}
    client = APIClient(HTTP_HOST="localhost")
    token, item = patient
    body = {
        "client_id": str(uuid.uuid4()),
        "performed_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "leg_pain_before": 5,
        "leg_pain_after": 4,
        "pain_extent": "thigh",
        "exercises": [{"prescribed_exercise": item, "sets": 2, "reps": 10}],
    }
    calls = {
        "ping": ("get", "/bench/ping/", staff_token, None),
        "me/program": ("get", "/api/v1/me/program/", token, None),
        "me/sessions POST": ("post", "/api/v1/me/sessions/", token, body),
        "patients (staff)": ("get", "/api/v1/patients/", staff_token, None),
    }
    with override_settings(ROOT_URLCONF="bench.api_urls"):
        for name, (method, url, bearer, data) in calls.items():
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {bearer}")
            with CaptureQueriesContext(connection) as captured:
                response = getattr(client, method)(url, data, format="json")
            counts[name] = (len(captured), response.status_code)
    return counts


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.pop("SECRET_KEY", None)  # gunicorn and this process share the default key
    t0 = time.monotonic()
    configure(args.database_url)
    print(f"database ready in {time.monotonic() - t0:.1f} s", flush=True)
    therapist_id, took = seed(args.patients, args.sessions)
    print(f"seeded {args.patients} patients in {took:.1f} s", flush=True)
    staff_token, patients = tokens(therapist_id, args.tokens)
    staff_work = [(staff_token, 0)]
    print(f"minted {len(patients)} patient tokens", flush=True)

    port = free_port()
    log = Path(tempfile.gettempdir()) / "bench-api_load-gunicorn.log"
    process = start_gunicorn(port, args.workers, log, args.database_url)
    results = {}
    try:
        plan = [
            ("floor: GET /bench/ping/", "/bench/ping/", staff_work),
            ("GET /api/v1/me/program/", "/api/v1/me/program/", patients),
            ("POST /api/v1/me/sessions/", "/api/v1/me/sessions/", patients),
            ("GET /api/v1/patients/ (staff)", "/api/v1/patients/", staff_work),
        ]
        # A short warm-up so both workers have imported and connected.
        load(port, "/bench/ping/", staff_work, 2.0, args.clients)
        for name, endpoint, work in plan:
            results[name] = load(port, endpoint, work, args.seconds, args.clients)
            r = results[name]
            print(f"  {name}: {r['rps']:.0f} req/s, errors {r['errors']}", flush=True)
    finally:
        stop_gunicorn(process)

    floor = results["floor: GET /bench/ping/"]["rps"]
    print(
        f"\nN={args.patients} patients, {args.workers} gunicorn sync workers, "
        f"{args.clients} client processes, {args.seconds:.0f} s per endpoint"
    )
    print(f"{'endpoint':34} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'x floor':>8} errors")
    for name, r in results.items():
        print(
            f"{name:34} {r['rps']:7.0f} {r['p50']:7.1f} {r['p99']:7.1f} "
            f"{r['rps'] / floor:8.2f} {sum(r['errors'].values())}"
        )
    print("\nqueries per request (test client, same database):")
    for name, (count, status) in query_counts(staff_token, patients[0]).items():
        print(f"  {name}: {count} queries (HTTP {status})")
    keys = dict(zip(results, ("floor", "me_program", "me_sessions_post", "patients"), strict=True))
    fields = [f"patients={args.patients} workers={args.workers} clients={args.clients}"]
    for name, r in results.items():
        key = keys[name]
        fields.append(
            f"{key}_rps={r['rps']:.1f} {key}_p50_ms={r['p50']:.1f} {key}_p99_ms={r['p99']:.1f}"
        )
    fields.append(f"errors={sum(sum(r['errors'].values()) for r in results.values())}")
    print("RESULT bench=api_load " + " ".join(fields))
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
