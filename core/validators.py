import functools
import zoneinfo

from django.core.exceptions import ValidationError


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(
            "%(value)s is not an IANA time zone (for example America/New_York).",
            code="invalid_time_zone",
            params={"value": value},
        )


def validate_npi(value: str) -> None:
    """A National Provider Identifier: ten digits whose last is the Luhn check digit of
    the other nine prefixed with 80840 (CMS, "Requirements for NPI check digit")."""
    if len(value) != 10 or not value.isdigit():
        raise ValidationError("An NPI is 10 digits.", code="invalid_npi")
    digits = [int(d) for d in "80840" + value[:9]]
    total = 0
    for i, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if i % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    if (10 - total % 10) % 10 != int(value[9]):
        raise ValidationError(
            "%(value)s is not a valid NPI (its check digit does not match).",
            code="invalid_npi",
            params={"value": value},
        )
