"""The search parameters the API takes, parsed strictly: anything else is a 400.

Dates follow FHIR's rules: a value is the range its precision spans (`2026-03` is the
whole of March), a date without a time is read in the clinic's time zone, and the
prefixes compare ranges: `ge2026-03` from the first of March, `lt2026-03` before it,
`gt2026-03` after March's end, `le2026-03` up to its end, `eq` (or none) within it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from interop.fhir.outcome import BadSearch, NotAcceptable

DEFAULT_COUNT = 50
MAX_COUNT = 200
# Paging and format take part in every request; the rest are searches. `_pretty` and
# `_total` are taken and change nothing: FHIR clients send them, the JSON is compact
# and every searchset carries its total.
CONTROL = frozenset({"_count", "_offset", "_format", "_pretty", "_total"})
FORMATS = frozenset({"json", "application/json", "application/fhir+json", "application/json+fhir"})
_WHOLE = re.compile(r"[0-9]{1,18}")
# The parameters this module reads itself; any other a type allows is its own.
STANDARD = CONTROL | {"_id", "_lastUpdated", "patient", "date", "url"}
_PREFIXES = frozenset({"eq", "lt", "gt", "le", "ge"})
_DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?P<seconds>:\d{2}(?:\.\d+)?)?)(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


@dataclass(frozen=True)
class DateRange:
    """[start, end) of a searched value."""

    prefix: str
    start: datetime.datetime
    end: datetime.datetime

    def q(self, path: str, *, is_date: bool) -> Q:
        start: datetime.datetime | datetime.date = self.start
        end: datetime.datetime | datetime.date = self.end
        if is_date:
            # A date column holds a local day: the days the range touches, in the zone
            # the value was given in (the clinic's, for a value without a time).
            start = self.start.date()
            end = (self.end - datetime.timedelta(microseconds=1)).date() + datetime.timedelta(
                days=1
            )
        if self.prefix == "eq":
            return Q(**{f"{path}__gte": start, f"{path}__lt": end})
        if self.prefix == "ge":
            return Q(**{f"{path}__gte": start})
        if self.prefix == "gt":
            return Q(**{f"{path}__gte": end})
        if self.prefix == "lt":
            return Q(**{f"{path}__lt": start})
        return Q(**{f"{path}__lt": end})  # le


@dataclass(frozen=True)
class Search:
    count: int = DEFAULT_COUNT
    offset: int = 0
    ids: tuple[str, ...] = ()
    patient: int | None = None
    dates: tuple[DateRange, ...] = ()
    last_updated: tuple[DateRange, ...] = ()
    # Canonical URLs of definitions, without their |version.
    urls: tuple[str, ...] = ()
    # A type's own parameters (`Source.filters`) as given: (name, value) pairs.
    custom: tuple[tuple[str, str], ...] = ()
    # The parameters as given, to repeat in the paging links.
    given: tuple[tuple[str, str], ...] = field(default=())


def parse_date(raw: str, zone: datetime.tzinfo) -> DateRange:
    prefix = raw[:2] if raw[:2] in _PREFIXES else "eq"
    value = raw[2:] if raw[:2] in _PREFIXES else raw
    match = _DATE.match(value)
    if match is None:
        raise BadSearch(
            _("%(value)s is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or an instant).")
            % {"value": raw}
        )
    parts = match.groupdict()
    try:
        year, month, day = int(parts["year"]), int(parts["month"] or 1), int(parts["day"] or 1)
        first = datetime.date(year, month, day)
    except ValueError:
        raise BadSearch(_("%(value)s is not a calendar date.") % {"value": raw}) from None
    if parts["time"] and not parts["tz"]:
        raise BadSearch(
            _("A time in %(value)s needs its time zone (Z or +hh:mm).") % {"value": raw}
        )
    try:
        return _range(prefix, value, first, parts, zone)
    except (ValueError, OverflowError):
        # An hour of 25, or a range ending past the year 9999.
        raise BadSearch(
            _("%(value)s is not a time this server can search.") % {"value": raw}
        ) from None


def _range(
    prefix: str, value: str, first: datetime.date, parts: dict[str, Any], zone: datetime.tzinfo
) -> DateRange:
    if parts["time"]:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        step = datetime.timedelta(seconds=1) if parts["seconds"] else datetime.timedelta(minutes=1)
        return DateRange(prefix, moment, moment + step)
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=zone)
    if parts["day"]:
        last = first + datetime.timedelta(days=1)
    elif parts["month"]:
        last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    else:
        last = first.replace(year=first.year + 1)
    return DateRange(prefix, start, datetime.datetime.combine(last, datetime.time(0), tzinfo=zone))


def _int(name: str, raw: str, *, low: int, high: int | None = None) -> int:
    if not _WHOLE.fullmatch(raw) or int(raw) < low or (high is not None and int(raw) > high):
        bounds = f"{low}-{high}" if high is not None else f"{low} or more"
        raise BadSearch(
            _("%(name)s must be a whole number, %(bounds)s.") % {"name": name, "bounds": bounds}
        )
    return int(raw)


def _patient_id(raw: str) -> int:
    value = raw.removeprefix("Patient/")
    if not _WHOLE.fullmatch(value):
        raise BadSearch(
            _("patient must be a Patient id or Patient/<id>, not %(value)s.") % {"value": raw}
        )
    return int(value)


def parse(
    params: Mapping[str, Sequence[str]],
    *,
    allowed: frozenset[str],
    zone: datetime.tzinfo,
    lenient: bool = False,
) -> Search:
    """`params` is the query string as lists of values; `allowed` the searches the type
    supports. Repeated parameters all apply (`date=ge2026-01&date=lt2026-02`). An
    unknown parameter is refused, as a server that ignored it would answer another
    question than the one asked, unless the client asked for lenient handling (FHIR's
    `Prefer: handling=lenient`); then it is left out, of the links too."""
    unknown = sorted(set(params) - allowed - CONTROL)
    if unknown and lenient:
        params = {name: values for name, values in params.items() if name not in unknown}
    elif unknown:
        raise BadSearch(
            _("Unknown or unsupported search parameter: %(names)s. Supported: %(supported)s.")
            % {"names": ", ".join(unknown), "supported": ", ".join(sorted(allowed | CONTROL))}
        )
    found: dict[str, Any] = {}
    for name in ("_count", "_offset", "_format", "_total", "_pretty", "patient"):
        values = params.get(name, [])
        if len(values) > 1:
            raise BadSearch(_("%(name)s may be given once.") % {"name": name})
    if "_count" in params:
        found["count"] = _int("_count", params["_count"][0], low=1, high=MAX_COUNT)
    if "_offset" in params:
        found["offset"] = _int("_offset", params["_offset"][0], low=0)
    if "patient" in params:
        found["patient"] = _patient_id(params["patient"][0])
    if "_id" in params:
        found["ids"] = tuple(i for value in params["_id"] for i in value.split(",") if i)
    found["custom"] = tuple(
        (name, value) for name, values in params.items() if name not in STANDARD for value in values
    )
    if "url" in params:
        found["urls"] = tuple(v.split("|", 1)[0] for v in params["url"])
    found["dates"] = tuple(parse_date(v, zone) for v in params.get("date", []))
    found["last_updated"] = tuple(parse_date(v, zone) for v in params.get("_lastUpdated", []))
    given = tuple(
        (name, value)
        for name, values in params.items()
        if name not in {"_offset"}
        for value in values
    )
    return Search(**found, given=given)


def check_format(params: Mapping[str, Sequence[str]]) -> None:
    for value in params.get("_format", []):
        # A media type may carry parameters (`application/fhir+json;fhir-version=4.0`).
        if value.split(";", 1)[0].strip() not in FORMATS:
            raise NotAcceptable()


def is_whole(value: str) -> bool:
    """Digits 0-9 only ("²" is a digit to str.isdigit, not to int), and not absurdly long."""
    return _WHOLE.fullmatch(value) is not None


def tokens(value: str) -> list[tuple[str | None, str]]:
    """A token parameter's alternatives (comma-separated), each as (system, code):
    `system|code`, `|code` (no system: ""), or `code` (any system: None)."""
    found: list[tuple[str | None, str]] = []
    for item in value.split(","):
        system, bar, code = item.partition("|")
        found.append((system, code) if bar else (None, item))
    if not all(code for _, code in found):
        raise BadSearch(_("%(value)s is not a token (code or system|code).") % {"value": value})
    return found


def strings(value: str) -> list[str]:
    """A string parameter's alternatives (comma-separated), none of them empty."""
    found = [item.strip() for item in value.split(",")]
    if not all(found):
        raise BadSearch(_("%(value)s has an empty alternative.") % {"value": value})
    return found
