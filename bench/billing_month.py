"""The monthly billing export of one clinic: `visits.billing.billable_lines` and the CSV
`visits.export.lines_csv` renders from it, beside the bare cost of reading its rows.

    python -m bench.billing_month --notes 2000

Builds its own database (bench_billing) with a clinic of N signed visit notes in the
month across N/10 patients (three procedure lines each, coverage, a diagnosis, a plan of
care, fees) and remote monitoring for every fourth patient (bench.billing_data), and a
second clinic of N/10 notes (--earlier-months K: as many notes in each of the K months
before, which the export reads too, for the year's KX totals). It times the export of
the large clinic's month (the median of --repeat runs, the lines and the CSV apart as
well) and a floor in the same run: one values_list query reading the month's procedure
lines joined to their notes and patients, `ratio` being the export's time over the
floor's. It counts the queries of one export of each clinic (`queries_small`,
`queries_large`: the export reads its rows in a fixed number of queries, so they must be
equal). With --profile, or when `ratio` passes --profile-above, it prints where one
export spends its time (cProfile). The last line is `RESULT bench=billing_month ...`.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import pstats
import statistics
import time
from typing import Any

from . import configure
from .billing_data import clinic_slug, seed, settle

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_billing"


def last_month() -> str:
    first = datetime.datetime.now(datetime.UTC).date().replace(day=1)
    return f"{first - datetime.timedelta(days=1):%Y-%m}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000, help="signed notes in the month")
    parser.add_argument("--month", default=last_month(), help="YYYY-MM (last month)")
    parser.add_argument(
        "--earlier-months",
        type=int,
        default=0,
        help="as many notes in each of this many months before, in the same year",
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed exports (median)")
    parser.add_argument("--profile", action="store_true", help="always print the profile")
    parser.add_argument("--profile-above", type=float, default=20.0, help="ratio")
    parser.add_argument("--database-url", default=DATABASE_URL)
    return parser.parse_args(argv)


def export(clinic: Any, month: datetime.date) -> tuple[Any, str, float, float]:
    """One export as the API's CSV gives it: the month's lines, then their CSV."""
    from visits.billing import billable_lines
    from visits.export import lines_csv

    begin = time.perf_counter()
    billing = billable_lines(clinic=clinic, month=month)
    middle = time.perf_counter()
    text = lines_csv(billing.lines)
    return billing, text, middle - begin, time.perf_counter() - middle


def floor(clinic: Any, month: datetime.date) -> tuple[int, float]:
    """The same visit rows in one plain query: procedure lines with units of the month's
    signed notes, joined to their notes and patients."""
    from visits.billing import month_end
    from visits.note_models import ProcedureLine

    begin = time.perf_counter()
    rows = list(
        ProcedureLine.objects.filter(
            note__patient__clinic=clinic,
            note__signed_at__isnull=False,
            note__visit_on__gte=month,
            note__visit_on__lte=month_end(month),
            units__gt=0,
        )
        .order_by("note__visit_on", "note__patient__last_name", "note_id", "code")
        .values_list(
            "note__visit_on",
            "note__patient_id",
            "note__patient__first_name",
            "note__patient__last_name",
            "note__patient__mrn",
            "note__patient__date_of_birth",
            "code",
            "units",
            "note__therapist_id",
            "note__appointment_id",
            "note_id",
        )
    )
    return len(rows), time.perf_counter() - begin


def count_queries(clinic: Any, month: datetime.date) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        export(clinic, month)
    return len(captured.captured_queries)


def profile(clinic: Any, month: datetime.date, top: int = 18) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    export(clinic, month)
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        print(f"-- profile of one export, by {order}")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    configure(args.database_url)

    from practice.models import Clinic
    from visits.billing import parse_month
    from visits.billing_lines import RTM, VISIT

    month = parse_month(args.month)
    earlier = args.earlier_months
    if not 0 <= earlier < month.month:
        raise SystemExit(f"--earlier-months: 0 to {month.month - 1} for {month:%Y-%m}")
    small_notes = max(args.notes // 10, 1)
    large_id, large_seed_s = seed(args.notes, month, earlier)
    small_id, small_seed_s = seed(small_notes, month, earlier)
    settle()
    large = Clinic.objects.get(pk=large_id)
    small = Clinic.objects.get(pk=small_id)
    print(f"seeded {clinic_slug(args.notes, month, earlier)} in {large_seed_s:.1f} s, ", end="")
    print(f"{clinic_slug(small_notes, month, earlier)} in {small_seed_s:.1f} s")

    billing, text, _, _ = export(large, month)  # warm: connection, imports, caches
    floor(large, month)
    queries_small = count_queries(small, month)
    queries_large = count_queries(large, month)
    lines_s: list[float] = []
    csv_s: list[float] = []
    floor_s: list[float] = []
    floor_rows = 0
    for _ in range(args.repeat):
        _, _, took_lines, took_csv = export(large, month)
        lines_s.append(took_lines)
        csv_s.append(took_csv)
        floor_rows, took = floor(large, month)
        floor_s.append(took)
    totals = [a + b for a, b in zip(lines_s, csv_s, strict=True)]
    export_s = statistics.median(totals)
    floor_median = statistics.median(floor_s)
    ratio = export_s / floor_median
    lines = len(billing.lines)
    visit_lines = sum(1 for line in billing.lines if line.kind == VISIT)
    rtm_lines = sum(1 for line in billing.lines if line.kind == RTM)
    kx_lines = sum(1 for line in billing.lines if "KX" in line.modifiers)
    print(
        f"{lines} lines ({visit_lines} visit, {rtm_lines} RTM, {kx_lines} with KX), "
        f"{len(text)} bytes of CSV; export {export_s * 1000:.1f} ms (lines "
        f"{statistics.median(lines_s) * 1000:.1f}, CSV {statistics.median(csv_s) * 1000:.1f}),"
        f" floor {floor_median * 1000:.1f} ms for {floor_rows} rows; queries "
        f"{queries_small} ({small_notes} notes) and {queries_large} ({args.notes} notes)"
    )
    if args.profile or ratio > args.profile_above:
        profile(large, month)
    fields = {
        "bench": "billing_month",
        "month": f"{month:%Y-%m}",
        "notes": args.notes,
        "earlier_months": earlier,
        "patients": len(billing.patient_ids),
        "lines": lines,
        "visit_lines": visit_lines,
        "rtm_lines": rtm_lines,
        "kx_lines": kx_lines,
        "export_s": f"{export_s:.4f}",
        "lines_s": f"{statistics.median(lines_s):.4f}",
        "csv_s": f"{statistics.median(csv_s):.4f}",
        "lines_per_s": f"{lines / export_s:.0f}",
        "floor_s": f"{floor_median:.4f}",
        "floor_rows": floor_rows,
        "ratio": f"{ratio:.1f}",
        "queries_small": queries_small,
        "queries_large": queries_large,
        "small_notes": small_notes,
        "repeat": args.repeat,
    }
    print("RESULT " + " ".join(f"{key}={value}" for key, value in fields.items()))


if __name__ == "__main__":
    main()
