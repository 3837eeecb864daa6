"""What a clinic bills for a month: the lines of its signed visits and of its remote
monitoring (visits.billing_lines), with KX where Medicare's threshold is passed.

KX goes on a Medicare payer's lines from the line whose amount takes the patient's
Medicare therapy total of the calendar year past the year's threshold
(settings.THERAPY_KX_THRESHOLDS; Bipartisan Budget Act of 2018, section 50202): with it
the clinic attests that the care past the threshold is medically necessary. The
amounts count in date order (a day's visit before its monitoring), on that payer's
lines only: Medicare's allowed amount of each code where the clinic entered it on the
fee, else the clinic's charge (which reaches the threshold sooner than Medicare does); a
year with no threshold configured has no KX.

The lines are read in a fixed number of queries whatever their number. Only the month's
lines are built: KX needs no more of the year's earlier months than each patient's
Medicare total at the month's start, summed from bare rows of their procedures (a sum
does not depend on the order of its terms) and from their few monitoring lines.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from core import dates
from patients.models import Patient
from practice.models import Clinic

from .billing_lines import KX, VISIT, BillableLine, LineLoader
from .note_models import VisitNote

__all__ = ["BillableLine", "BillingMonth", "billable_lines", "note_lines", "parse_month"]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_LAST_MONTH = 12


@dataclass(frozen=True)
class BillingMonth:
    clinic: Clinic
    month: datetime.date  # its first day
    lines: tuple[BillableLine, ...]

    @property
    def last_day(self) -> datetime.date:
        return month_end(self.month)

    @property
    def total_charge(self) -> Decimal:
        return sum((line.charge or Decimal(0) for line in self.lines), Decimal("0.00"))

    @property
    def total_units(self) -> int:
        return sum(line.units for line in self.lines)

    @property
    def patient_ids(self) -> list[int]:
        return list(dict.fromkeys(line.patient_id for line in self.lines))

    @property
    def missing_fees(self) -> list[str]:
        """Codes billed without a fee set: their lines have no charge."""
        return sorted({line.cpt for line in self.lines if line.fee is None})

    @property
    def flagged(self) -> int:
        """Visit lines outside a certified plan of care."""
        return sum(1 for line in self.lines if line.certification_problem)


def parse_month(value: object) -> datetime.date:
    """The first day of a month given as YYYY-MM; a clear error for anything else."""
    found = _MONTH.match(value) if isinstance(value, str) else None
    message = "Give the month as YYYY-MM, e.g. 2026-03."
    if found is None:
        raise ValidationError({"month": message})
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= _LAST_MONTH:
        raise ValidationError({"month": f"{value} has no month {month}. {message}"})
    if not dates.EARLIEST_RECORD.year <= year <= dates.LATEST_RECORD.year:
        raise ValidationError(
            {
                "month": f"{value} is outside the records kept "
                f"({dates.EARLIEST_RECORD.year} to {dates.LATEST_RECORD.year})."
            }
        )
    return datetime.date(year, month, 1)


def month_end(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def kx_threshold(year: int) -> Decimal | None:
    """The year's therapy threshold in dollars; None for a year not configured."""
    amount = settings.THERAPY_KX_THRESHOLDS.get(year)
    return Decimal(amount) if amount is not None else None


def billable_lines(
    *, clinic: Clinic, month: datetime.date, patient: Patient | None = None
) -> BillingMonth:
    """The clinic's billable lines with a date of service in `month` (any day of it),
    of one patient when given, by date of service then patient."""
    first = month.replace(day=1)
    last = month_end(first)
    loaded = LineLoader(
        clinic=clinic, since=first, until=last, patient=patient, year_from=first.replace(month=1)
    )
    lines = _with_kx(loaded.lines(), earlier=_earlier_totals(loaded))
    lines.sort(key=lambda line: (line.date_of_service, line.patient_name, line.patient_id))
    return BillingMonth(clinic=clinic, month=first, lines=tuple(lines))


def note_lines(*, note: VisitNote) -> list[BillableLine]:
    """The billable lines of one signed visit note, KX as the month's export has it."""
    month = billable_lines(clinic=note.patient.clinic, month=note.visit_on, patient=note.patient)
    return [line for line in month.lines if line.note_id == note.pk]


def _earlier_totals(loaded: LineLoader) -> dict[tuple[int, int], Decimal]:
    """What each patient's Medicare lines of the year before the loaded period add to
    the threshold, by patient and year: the same amounts as the lines' own."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    medicare: dict[tuple[int, datetime.date], bool] = {}
    amounts: dict[tuple[str, int], Decimal | None] = {}
    for _, patient_id, day, code, units in loaded.earlier_procedures:
        if patient_id not in loaded.coverages:
            continue  # no line in the period, or self-pay
        if (patient_id, day) not in medicare:
            medicare[patient_id, day] = loaded.medicare_on(patient_id, day)
        if not medicare[patient_id, day]:
            continue
        if (code, units) not in amounts:
            amounts[code, units] = loaded.threshold_amount(code, units)
        totals[patient_id, day.year] += amounts[code, units] or Decimal(0)
    for line in loaded.earlier_rtm_lines():
        if line.medicare and line.threshold_amount is not None:
            totals[line.patient_id, line.date_of_service.year] += line.threshold_amount
    return totals


def _with_kx(
    lines: Sequence[BillableLine], *, earlier: dict[tuple[int, int], Decimal]
) -> list[BillableLine]:
    """The lines with KX added from each patient's crossing line on (see module doc),
    their totals starting from `earlier` (by patient and year)."""
    order = sorted(
        range(len(lines)),
        key=lambda i: (
            lines[i].patient_id,
            lines[i].date_of_service,
            lines[i].kind != VISIT,  # a visit's lines before the day's monitoring
            lines[i].note_id or 0,
            lines[i].cpt,
        ),
    )
    result = list(lines)
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal, earlier)
    for i in order:
        line = lines[i]
        threshold = kx_threshold(line.date_of_service.year)
        if not line.medicare or threshold is None:
            continue
        key = (line.patient_id, line.date_of_service.year)
        totals[key] += line.threshold_amount or Decimal(0)
        if totals[key] > threshold:
            result[i] = replace(line, modifiers=(*line.modifiers, KX))
    return result
