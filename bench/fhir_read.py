"""The FHIR read API (interop.fhir, /fhir/R4/) on a clinic of large records, beside the
bare cost of reading the same rows.

    python -m bench.fhir_read --patients 200

Builds its own database (bench_fhir) with a clinic of N patients (bench.fhir_data): each
with a diagnosis, a McKenzie program with its exercises, --sessions exercise sessions
with pain readings (--heavy-sessions for the first, "heavy", patient), questionnaire
answers (five of each instrument for the heavy patient, one of each for the others) and
50 appointments with a signed note for each attended one; and a second clinic of N/10
patients (at least 10) shaped like the others, so that the clinic scope is exercised.

Every request goes through Django's test client with a staff bearer token against the
real URLs, so authentication, scope, permissions, the access log and rendering are all
in the time. It times (the median of --repeat runs): `everything`, the heavy patient's
`Patient/{id}/$everything?_count=200` with every `next` link followed to the end;
`observation_page`, `Observation?_count=200`; `patient_page`, `Patient?_count=200`. Each
has a floor in the same run, plain values_list reads of the same rows (the heavy
patient's sessions, answers and appointments; 200 sessions; 200 patients), and its
ratio to that floor. It counts each request's queries in the small clinic and the large
one (`queries_small`, `queries_large`: `everything` summed over its pages, which depend
on the size of the record; the two pages must be equal). With --profile, or for a
request whose ratio passes --profile-above, it prints where that request spends its time
(cProfile). The last line is `RESULT bench=fhir_read ...`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from typing import Any

from . import ROOT, configure
from .fhir_data import Shape, seed, settle

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_fhir"
COUNT = 200
BASE = "/fhir/R4/"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--patients", type=int, default=200, help="patients in the clinic")
    parser.add_argument("--heavy-sessions", type=int, default=300, help="the heavy patient's")
    parser.add_argument("--sessions", type=int, default=20, help="every other patient's")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs (median)")
    parser.add_argument("--profile", action="store_true", help="always print the profiles")
    parser.add_argument("--profile-above", type=float, default=30.0, help="ratio")
    parser.add_argument("--database-url", default=DATABASE_URL)
    return parser.parse_args(argv)


@dataclass(frozen=True)
class Clinic:
    pk: int
    heavy: int
    token: str


@dataclass
class Walk:
    """What one request (or chain of pages) gave."""

    entries: int
    total: int
    pages: int
    queries: int = 0


def get(client: Any, url: str, token: str) -> dict[str, Any]:
    import orjson

    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    if response.status_code != HTTPStatus.OK:
        raise SystemExit(f"{url}: HTTP {response.status_code} {response.content[:300]!r}")
    body: dict[str, Any] = orjson.loads(response.content)
    return body


def walk(client: Any, url: str, token: str) -> Walk:
    """GET `url`, then, for $everything, every page its `next` links lead to (a search
    is timed as its one page)."""
    entries = pages = total = 0
    next_url: str | None = url
    while next_url:
        body = get(client, next_url, token)
        pages += 1
        total = body["total"]
        entries += len(body.get("entry", []))
        next_url = next((link["url"] for link in body["link"] if link["relation"] == "next"), None)
        if "$everything" not in url:
            break
    return Walk(entries, total, pages)


def requests(clinic: Clinic) -> dict[str, str]:
    return {
        "everything": f"{BASE}Patient/{clinic.heavy}/$everything?_count={COUNT}",
        "observation_page": f"{BASE}Observation?_count={COUNT}",
        "patient_page": f"{BASE}Patient?_count={COUNT}",
    }


def floors(clinic: Clinic) -> dict[str, Callable[[], int]]:
    """The same rows each request reads, in plain values_list queries."""
    from appointments.models import Appointment
    from outcomes.models import QuestionnaireResponse
    from patients.models import Patient
    from programs.models import ExerciseSession

    session_fields = (
        "pk",
        "patient_id",
        "performed_at",
        "back_pain_before",
        "back_pain_after",
        "leg_pain_before",
        "leg_pain_after",
        "pain_extent_before",
        "pain_extent",
        "created_at",
    )

    def everything() -> int:
        sessions = ExerciseSession.objects.filter(patient_id=clinic.heavy).order_by("pk")
        answers = QuestionnaireResponse.objects.filter(patient_id=clinic.heavy).order_by("pk")
        visits = Appointment.objects.filter(patient_id=clinic.heavy).order_by("pk")
        return (
            len(list(sessions.values_list(*session_fields)))
            + len(
                list(
                    answers.values_list(
                        "pk",
                        "code",
                        "answers",
                        "score",
                        "band",
                        "subscale",
                        "instrument_version",
                        "answered_at",
                        "created_at",
                    )
                )
            )
            + len(
                list(
                    visits.values_list(
                        "pk",
                        "status",
                        "kind",
                        "starts_at",
                        "ends_at",
                        "duration_minutes",
                        "cancelled_by_patient",
                        "cancellation_reason",
                        "therapist__user__first_name",
                        "therapist__user__last_name",
                        "visit_note__kind",
                        "updated_at",
                    )
                )
            )
        )

    def observation_page() -> int:
        rows = ExerciseSession.objects.filter(patient__clinic_id=clinic.pk).order_by("pk")
        return len(list(rows.values_list(*session_fields)[:COUNT]))

    def patient_page() -> int:
        rows = Patient.objects.filter(clinic_id=clinic.pk).order_by("pk")
        fields = ("pk", "mrn", "first_name", "last_name", "date_of_birth", "phone", "email")
        therapist = ("primary_therapist__user__first_name", "primary_therapist__user__last_name")
        return len(
            list(rows.values_list(*fields, *therapist, "language", "status", "updated_at")[:COUNT])
        )

    return {
        "everything": everything,
        "observation_page": observation_page,
        "patient_page": patient_page,
    }


def timed(work: Callable[[], object]) -> float:
    begin = time.perf_counter()
    work()
    return time.perf_counter() - begin


def count_queries(client: Any, url: str, token: str) -> Walk:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        found = walk(client, url, token)
    found.queries = len(captured.captured_queries)
    return found


def profile(name: str, work: Callable[[], object], top: int = 22) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    # The whole stack by own time and by cumulative time, then the project's own code
    # alone by cumulative time (the middleware and DRF frames above the view hide it).
    own_code = f"^{re.escape(str(ROOT))}/(?!\\.venv/)"
    for order, title, restriction in (
        ("tottime", "by tottime", ()),
        ("cumulative", "by cumulative", ()),
        ("cumulative", "project code by cumulative", (own_code,)),
    ):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        if not restriction:
            stats.strip_dirs()
        stats.sort_stats(order).print_stats(*restriction, top)
        print(f"-- profile of one {name}, {title}")
        lines = out.getvalue().replace(f"{ROOT}/", "").splitlines()
        print("\n".join(line for line in lines if line.strip()))


def staff_token(clinic_id: int) -> str:
    from rest_framework_simplejwt.tokens import RefreshToken

    from practice.models import Role, StaffMember

    staff = StaffMember.objects.select_related("user").get(
        clinic_id=clinic_id, role=Role.PHYSICAL_THERAPIST, user__username__startswith="bench-fhir"
    )
    return str(RefreshToken.for_user(staff.user).access_token)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    configure(args.database_url)

    from django.test import Client
    from django.test.utils import override_settings

    large_shape = Shape(args.patients, args.heavy_sessions, args.sessions)
    # Ten patients at least, so that its first Observation page is full of sessions too.
    small_shape = Shape(max(args.patients // 10, 10), args.sessions, args.sessions)
    large_id, large_heavy, large_seed_s = seed(large_shape)
    small_id, small_heavy, small_seed_s = seed(small_shape)
    settle()
    print(f"seeded {large_shape.slug} in {large_seed_s:.1f} s, ", end="")
    print(f"{small_shape.slug} in {small_seed_s:.1f} s")
    large = Clinic(large_id, large_heavy, staff_token(large_id))
    small = Clinic(small_id, small_heavy, staff_token(small_id))
    client = Client(HTTP_HOST="localhost")
    names = list(requests(large))
    with override_settings(DEBUG=False):
        for clinic in (large, small):  # warm: imports, connection, caches
            for url in requests(clinic).values():
                walk(client, url, clinic.token)
        small_walks = {n: count_queries(client, u, small.token) for n, u in requests(small).items()}
        large_walks = {n: count_queries(client, u, large.token) for n, u in requests(large).items()}
        plain = floors(large)
        floor_rows = {name: work() for name, work in plain.items()}
        took: dict[str, list[float]] = {name: [] for name in names}
        floor_took: dict[str, list[float]] = {name: [] for name in names}
        urls = requests(large)
        for _ in range(args.repeat):
            for name in names:
                took[name].append(timed(partial(walk, client, urls[name], large.token)))
                floor_took[name].append(timed(plain[name]))
        seconds = {name: statistics.median(took[name]) for name in names}
        floor_s = {name: statistics.median(floor_took[name]) for name in names}
        ratio = {name: seconds[name] / floor_s[name] for name in names}
        for name in names:
            w, s = large_walks[name], small_walks[name]
            print(
                f"{name}: {seconds[name] * 1000:.1f} ms for {w.entries} entries in {w.pages} "
                f"page(s) (total {w.total}); floor {floor_s[name] * 1000:.2f} ms for "
                f"{floor_rows[name]} rows, ratio {ratio[name]:.1f}; queries {s.queries} "
                f"({s.pages} page(s), small clinic) and {w.queries} ({w.pages} page(s), large)"
            )
        for name in names:
            if args.profile or ratio[name] > args.profile_above:
                profile(name, partial(walk, client, urls[name], large.token))
    everything = large_walks["everything"]
    fields = {
        "bench": "fhir_read",
        "patients": args.patients,
        "heavy_sessions": args.heavy_sessions,
        "sessions": args.sessions,
        "everything_s": f"{seconds['everything']:.4f}",
        "everything_ratio": f"{ratio['everything']:.1f}",
        "everything_entries": everything.entries,
        "everything_pages": everything.pages,
        "observation_page_s": f"{seconds['observation_page']:.4f}",
        "observation_ratio": f"{ratio['observation_page']:.1f}",
        "patient_page_s": f"{seconds['patient_page']:.4f}",
        "patient_ratio": f"{ratio['patient_page']:.1f}",
        # everything (all its pages, small: one page of a 20-session record), then the
        # Observation page, then the Patient page.
        "queries_small": "/".join(str(small_walks[n].queries) for n in names),
        "queries_large": "/".join(str(large_walks[n].queries) for n in names),
        "repeat": args.repeat,
    }
    print("RESULT " + " ".join(f"{key}={value}" for key, value in fields.items()))


if __name__ == "__main__":
    main()
