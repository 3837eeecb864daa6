"""Counts a therapist prescribes or a patient reports: sets, reps, minutes, holds and
times a day, each a whole number from 1 to MAX_COUNT (or left out)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

MAX_COUNT = 1000


def check_count(name: str, value: object) -> None:
    """Refuse a count that is not a whole number from 1 to MAX_COUNT; None passes (left
    out). A boolean is no count, though Python takes True for 1."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_COUNT:
        raise ValidationError({name: f"{value!r} is not a whole number from 1 to {MAX_COUNT}."})
