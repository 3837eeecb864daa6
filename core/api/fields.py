"""Serializer fields every app's API shares."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

# PostgreSQL's bigint: a larger id cannot exist, and must not reach the database.
MAX_ID = 2**63 - 1
# Digits enough for any id up to MAX_ID; a longer string is no id.
_MAX_ID_DIGITS = len(str(MAX_ID))


def as_id(data: object) -> int | None:
    """An id given as a whole number or a string of digits; None when it is neither.

    Booleans and floats are refused: `int()` would quietly turn true or 1.5 into id 1.
    """
    if isinstance(data, bool):
        return None
    if isinstance(data, int):
        return data
    if isinstance(data, str) and data.isascii() and data.isdigit() and len(data) <= _MAX_ID_DIGITS:
        return int(data)
    return None


class StaffNameField(serializers.CharField):
    """A staff member shown by name and credentials (read only)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)
