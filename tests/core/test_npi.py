"""An NPI is ten digits ending in the Luhn check digit CMS defines."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.validators import validate_npi


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1003000126"])
def test_a_real_npi_is_accepted(npi):
    validate_npi(npi)


@pytest.mark.parametrize(
    ("npi", "message"),
    [
        ("1234567890", "check digit"),
        ("1234567894", "check digit"),
        ("123456789", "10 digits"),
        ("12345678930", "10 digits"),
        ("12345678a3", "10 digits"),
    ],
)
def test_a_mistyped_npi_is_refused(npi, message):
    with pytest.raises(ValidationError, match=message):
        validate_npi(npi)
