"""The JSON API under load: gunicorn (2 sync workers) against a clinic of N patients.

    python -m bench.api_load --patients 10000 --seconds 20

Builds its own database (bench_api) with one clinic, one therapist and N patients, each
with a login, a diagnosis and an open McKenzie program (rows bulk-created, not through the
services, for speed), starts gunicorn on a free loopback port and drives each endpoint
for a fixed time from client processes (stdlib http.client), then prints requests/s and
p50/p99 latency per endpoint, and each endpoint's requests/s as a share of the floor
(an authenticated DRF view that does nothing, /bench/ping/ from bench.api_urls), driven
before and after each endpoint and averaged around it. The last line is
`RESULT me_program=R sessions_post=R patients_list=R`, those shares to two decimals,
followed by the figures behind them (`result_line`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import ROOT, configure, stop_group
from .api_data import seed, session_body, settle, tokens

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_api"


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
                "config.wsgi:application",
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
        except OSError:
            time.sleep(0.2)
        else:
            return process
    raise RuntimeError(f"gunicorn not ready, see {log}")


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
            body = json.dumps(session_body(item))
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
        "latencies": latencies,
        "seconds": seconds,
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": errors,
    }


def merged(windows: list[dict]) -> dict:
    """Several windows of one endpoint as one: requests/s over their whole time, p50 and
    p99 over all their requests."""
    latencies = sorted(x for w in windows for x in w["latencies"])
    errors: dict[int, int] = {}
    for w in windows:
        for status, count in w["errors"].items():
            errors[status] = errors.get(status, 0) + count
    rps = len(latencies) / sum(w["seconds"] for w in windows)
    return {
        "latencies": latencies,
        "requests": len(latencies),
        "rps": rps,
        "floor_rps": rps,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": errors,
    }


def query_counts(staff_token: str, patient: tuple[str, int]) -> dict[str, tuple[int, int]]:
    """Queries one request of each endpoint runs, in this process via the test client."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from rest_framework.test import APIClient

    counts: dict[str, tuple[int, int]] = {}
    client = APIClient(HTTP_HOST="localhost")
    token, item = patient
    body = session_body(item)
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


# The RESULT line's name for each endpoint, and the query_counts entry it reports.
KEYS = {
    "GET /api/v1/me/program/": ("me_program", "me/program"),
    "POST /api/v1/me/sessions/": ("sessions_post", "me/sessions POST"),
    "GET /api/v1/patients/ (staff)": ("patients_list", "patients (staff)"),
}
FLOOR = "floor: GET /bench/ping/"


def result_line(
    results: dict[str, dict], counts: dict[str, tuple[int, int]], args: argparse.Namespace
) -> str:
    """`RESULT me_program=R sessions_post=R patients_list=R` (each endpoint's requests/s
    over the floor's measured around it), then the figures behind them as key=value
    fields (`floor_*` over all the floor's windows)."""
    floor = results[FLOOR]
    ratios = [
        f"{key}={results[name]['rps'] / results[name]['floor_rps']:.2f}"
        for name, (key, _) in KEYS.items()
    ]
    fields = [
        f"floor_rps={floor['rps']:.1f} floor_p50_ms={floor['p50']:.1f} "
        f"floor_p99_ms={floor['p99']:.1f}"
    ]
    for name, (key, counted) in KEYS.items():
        r = results[name]
        fields.append(
            f"{key}_rps={r['rps']:.1f} {key}_floor_rps={r['floor_rps']:.1f} "
            f"{key}_p50_ms={r['p50']:.1f} {key}_p99_ms={r['p99']:.1f} "
            f"{key}_queries={counts[counted][0]}"
        )
    errors = sum(sum(r["errors"].values()) for r in results.values())
    fields.append(
        f"patients={args.patients} workers={args.workers} clients={args.clients} "
        f"seconds={args.seconds:g} errors={errors}"
    )
    return "RESULT " + " ".join([*ratios, *fields])


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.pop("SECRET_KEY", None)  # gunicorn and this process share the default key
    t0 = time.monotonic()
    configure(args.database_url)
    print(f"database ready in {time.monotonic() - t0:.1f} s", flush=True)
    therapist_id, took = seed(args.patients, args.sessions)
    print(f"seeded {args.patients} patients in {took:.1f} s", flush=True)
    settle()
    staff_token, patients = tokens(therapist_id, args.tokens)
    staff_work = [(staff_token, 0)]
    print(f"minted {len(patients)} patient tokens", flush=True)

    port = free_port()
    log = Path(tempfile.gettempdir()) / "bench-api_load-gunicorn.log"
    process = start_gunicorn(port, args.workers, log, args.database_url)
    results = {}
    try:
        endpoints = [
            ("GET /api/v1/me/program/", "/api/v1/me/program/", patients),
            ("POST /api/v1/me/sessions/", "/api/v1/me/sessions/", patients),
            ("GET /api/v1/patients/ (staff)", "/api/v1/patients/", staff_work),
        ]
        # A short warm-up so both workers have imported and connected.
        load(port, "/bench/ping/", staff_work, 2.0, args.clients)
        # The floor is driven before and after each endpoint: on a shared machine the
        # load of other processes drifts within a run, and each endpoint is compared
        # with the floor measured around it, not minutes away.
        floors = [load(port, "/bench/ping/", staff_work, args.seconds, args.clients)]
        for name, endpoint, work in endpoints:
            r = load(port, endpoint, work, args.seconds, args.clients)
            floors.append(load(port, "/bench/ping/", staff_work, args.seconds, args.clients))
            r["floor_rps"] = statistics.mean(f["rps"] for f in floors[-2:])
            results[name] = r
            print(
                f"  {name}: {r['rps']:.0f} req/s (floor around it {r['floor_rps']:.0f}), "
                f"errors {r['errors']}",
                flush=True,
            )
        results = {FLOOR: merged(floors), **results}
    finally:
        stop_group(process, grace=20)

    print(
        f"\nN={args.patients} patients, {args.workers} gunicorn sync workers, "
        f"{args.clients} client processes, {args.seconds:.0f} s per endpoint"
    )
    print(f"{'endpoint':34} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'x floor':>8} errors")
    for name, r in results.items():
        print(
            f"{name:34} {r['rps']:7.0f} {r['p50']:7.1f} {r['p99']:7.1f} "
            f"{r['rps'] / r['floor_rps']:8.2f} {sum(r['errors'].values())}"
        )
    print("\nqueries per request (test client, same database):")
    counts = query_counts(staff_token, patients[0])
    for name, (count, status) in counts.items():
        print(f"  {name}: {count} queries (HTTP {status})")
    print(result_line(results, counts, args))
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
