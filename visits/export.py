"""The monthly billing export: the billable lines (visits.billing) as CSV or as rows of
JSON, with the same columns in the same order.

The CSV's header row is stable: a billing clerk's spreadsheet or a clearinghouse import
maps its columns by name. Lists (modifiers, ICD-10 codes) are joined with ";", which
neither a modifier nor an ICD-10 code contains. Free text that a spreadsheet would run
as a formula (a leading =, +, - or @) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .billing import BillableLine

EXPORT_COLUMNS: tuple[str, ...] = (
    "date_of_service",
    "kind",
    "patient_id",
    "patient_name",
    "mrn",
    "date_of_birth",
    "payer",
    "member_id",
    "cpt",
    "description",
    "modifiers",
    "units",
    "icd10_codes",
    "rendering_clinician",
    "rendering_npi",
    "clinic_npi",
    "charge",
    "certification_problem",
    "appointment_id",
)
LIST_SEPARATOR = ";"
# Columns a person typed: what a spreadsheet might take for a formula is defused there.
_FREE_TEXT = frozenset(
    {"patient_name", "mrn", "payer", "member_id", "rendering_clinician", "description"}
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def line_row(line: BillableLine) -> dict[str, Any]:
    """A line as the JSON export gives it: the export's columns, lists as lists, the
    charge as a decimal string (or null without a fee), dates as ISO dates."""
    return {name: _value(getattr(line, name)) for name in EXPORT_COLUMNS}


def _value(value: object) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    text = str(_value(value))
    if name in _FREE_TEXT and text.startswith(_FORMULA_STARTS):
        return f"'{text}"
    return text


def lines_csv(lines: Iterable[BillableLine]) -> str:
    """The header row, then one row per line, as RFC 4180 CSV (CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for line in lines:
        writer.writerow([_cell(name, getattr(line, name)) for name in EXPORT_COLUMNS])
    return out.getvalue()


def csv_filename(*, clinic_slug: str, month: datetime.date) -> str:
    return f"billing-{clinic_slug}-{month:%Y-%m}.csv"
