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


NPI_DIGITS = 10
# The prefix that makes an NPI's Luhn check digit the card industry's (ISO 7812).
_NPI_PREFIX = "80840"


def _luhn_check_digit(digits: str) -> int:
    total = 0
    for i, digit in enumerate(reversed(digits)):
        doubled = int(digit) * 2 if i % 2 == 0 else int(digit)
        total += sum(divmod(doubled, 10))
    return -total % 10


def validate_npi(value: str) -> None:
    """A National Provider Identifier: ten digits whose last is the Luhn check digit of
    the other nine prefixed with 80840 (CMS, "Requirements for NPI check digit")."""
    if len(value) != NPI_DIGITS or not value.isdigit():
        raise ValidationError("An NPI is 10 digits.", code="invalid_npi")
    if _luhn_check_digit(_NPI_PREFIX + value[:-1]) != int(value[-1]):
        raise ValidationError(
            "%(value)s is not a valid NPI (its check digit does not match).",
            code="invalid_npi",
            params={"value": value},
        )
