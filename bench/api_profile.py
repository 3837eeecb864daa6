"""Where the hot API endpoints spend their time, in this process (no HTTP).

    python -m bench.api_profile                    # queries of one request per endpoint
    python -m bench.api_profile --requests 200     # and the time per request over 200
    python -m bench.api_profile --requests 50 --profile   # under cProfile instead

Uses the clinic bench.api_load builds (run it once first; `--database-url` as there).
Prints each endpoint's SQL for one request (CaptureQueriesContext), then, with
`--requests N`, the wall time per request over N requests (the median of five rounds),
or with `--profile` the top functions by cumulative time over those requests.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time

from . import configure
from .api_data import session_body, tokens
from .api_load import DATABASE_URL

ENDPOINTS = ("floor", "me/program", "me/sessions POST", "patients (staff)")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DATABASE_URL)
    parser.add_argument("--requests", type=int, default=0, help="requests to time")
    parser.add_argument("--profile", action="store_true", help="cProfile them instead")
    parser.add_argument("--top", type=int, default=30, help="functions shown")
    parser.add_argument("--only", choices=ENDPOINTS, action="append")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.pop("SECRET_KEY", None)
    configure(args.database_url, migrate=False)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from rest_framework.test import APIClient

    from practice.models import StaffMember

    therapist = StaffMember.objects.get(user__username="bench.therapist")
    staff_token, patients = tokens(therapist.pk, 200)
    client = APIClient(HTTP_HOST="localhost")

    def call(name: str, n: int) -> int:
        token, item = patients[n % len(patients)]
        if name == "floor":
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            return client.get("/bench/ping/").status_code
        if name == "me/program":
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            return client.get("/api/v1/me/program/").status_code
        if name == "me/sessions POST":
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            body = session_body(item)
            return client.post("/api/v1/me/sessions/", body, format="json").status_code
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {staff_token}")
        return client.get("/api/v1/patients/").status_code

    with override_settings(ROOT_URLCONF="bench.api_urls", DEBUG=False):
        for name in args.only or ENDPOINTS:
            call(name, 1)  # warm: imports, connection, caches
            with CaptureQueriesContext(connection) as captured:
                status = call(name, 2)
            print(f"\n== {name}: HTTP {status}, {len(captured)} queries")
            for query in captured.captured_queries:
                print(f"  [{float(query['time']) * 1000:5.1f} ms] {query['sql'][:220]}")
            if not args.requests:
                continue
            if not args.profile:
                rounds = []
                for r in range(5):
                    began = time.perf_counter()
                    for n in range(args.requests):
                        call(name, r * args.requests + n + 3)
                    rounds.append((time.perf_counter() - began) / args.requests)
                print(f"-- {name}: {statistics.median(rounds) * 1000:.2f} ms per request")
                continue
            profiler = cProfile.Profile()
            profiler.enable()
            for n in range(args.requests):
                call(name, n + 3)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
