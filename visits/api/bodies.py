"""What every body of the clinical visits API shares: it refuses fields it does not
know, so a misspelt section is a 400 rather than silently dropped; its free text is
bounded; and every date of care lies within core.dates' record years."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers

from core.dates import (
    EARLIEST_RECORD,
    EARLIEST_RECORD_TIME,
    LATEST_RECORD,
    RECORD_TIMES_END,
)

# A free-text section: long enough for any note, bounded so no body fills the disk;
# TEXT bounds a model text field as a ModelSerializer's extra_kwargs give it.
MAX_TEXT = 10000
TEXT = {"max_length": MAX_TEXT}


class ClosedBodyMixin:
    """Refuses keys the serializer has no writable field for, naming each."""

    fields: Any

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {key: ["Not a field of this body."] for key in unknown}
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class RecordDateField(serializers.DateField):
    """A date of care, from 2000 to 2099 (core.dates): a typing slip outside them would
    also push the services' date arithmetic off the calendar."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators += [MinValueValidator(EARLIEST_RECORD), MaxValueValidator(LATEST_RECORD)]


class RecordTimeField(serializers.DateTimeField):
    """A moment of care, from 2000 to the end of 2099 (core.dates)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(EARLIEST_RECORD_TIME),
            MaxValueValidator(RECORD_TIMES_END),
        ]
