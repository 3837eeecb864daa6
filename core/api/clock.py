"""Times of day (quiet hours, reminder times): HH:MM, 24-hour, read and written alike."""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.clock import CLOCK_TIME_PATTERN, parse_clock_time

CLOCK_TIME_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": CLOCK_TIME_PATTERN,
    "example": "21:00",
    "description": "A local time of day, HH:MM (24-hour).",
}


@extend_schema_field(CLOCK_TIME_SCHEMA)
class ClockTimeField(serializers.TimeField):
    """A local time of day as HH:MM (24-hour)."""

    default_error_messages = {
        "invalid": 'Send a time of day as HH:MM (24-hour), e.g. "21:00".',
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)

    def to_internal_value(self, value: Any) -> datetime.time:
        parsed = parse_clock_time(value)
        if parsed is None:
            self.fail("invalid")
        return parsed
