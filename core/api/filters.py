"""Query filters every app's API shares."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .fields import MAX_ID, as_id


class _IdFormField(forms.IntegerField):
    """Digits only, up to the largest id: Django's own field takes "1.0" as 1."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        found = as_id(value)
        if found is None or found > MAX_ID:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return found


# Typed here: the schema generator reads a number filter on a foreign key as any number,
# and a generated client would then send floats.
@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """An id filter: whole numbers only (a decimal would be rounded to someone's id)."""

    field_class = _IdFormField


_SPACE_FOR_PLUS = re.compile(r"(?<=\d) (?=\d{2}:?\d{2}$)")


class _OffsetDateTimeFormField(IsoDateTimeField):
    """An ISO 8601 moment with its UTC offset (or Z): without one, whose clock it was read
    by (the server's, the patient's, the phone's) would be a guess, and a phone's last
    sync would skip or repeat changes. A `+` left unencoded in the query string arrives
    as a space, and is read as the `+` it was."""

    # Built at import: lazy, so each answer is in its caller's language.
    default_error_messages = {
        "offset": _(
            "Give an ISO 8601 date and time with its UTC offset, e.g. "
            "2026-03-01T09:30:00+01:00 (the + URL-encoded) or 2026-03-01T08:30:00Z."
        ),
        "range": _("Enter a date and time between the years 1 and 9999 (UTC)."),
    }

    def to_python(self, value: Any) -> datetime.datetime | None:
        if isinstance(value, str):
            value = _SPACE_FOR_PLUS.sub("+", value.strip())
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:  # well formed, but no such moment (month 13)
            parsed = None
        if value not in self.empty_values and (parsed is None or parsed.utcoffset() is None):
            raise ValidationError(self.error_messages["offset"], code="invalid")
        moment = super().to_python(value)
        if moment is None:
            return None
        # Sent as UTC: PostgreSQL refuses offsets past 15:59, and the year must stay in
        # range once the offset is applied.
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["range"], code="invalid") from None


@extend_schema_field(OpenApiTypes.DATETIME)
class OffsetDateTimeFilter(filters.IsoDateTimeFilter):
    """A moment filter that refuses a time without its UTC offset (`?since=`)."""

    field_class = _OffsetDateTimeFormField


# A change is stamped before its transaction commits, so a row may become visible only
# after a phone synced past its stamp. Answering the minute before `since` again catches
# it; the app keeps rows by id, so a repeat costs nothing.
SINCE_OVERLAP = datetime.timedelta(minutes=1)


class ChangedSinceFilter(OffsetDateTimeFilter):
    """`?since=`: the rows stamped after that moment, and those of the minute before."""

    def filter(self, qs: Any, value: datetime.datetime | None) -> Any:
        if value is not None:
            floor = datetime.datetime.min.replace(tzinfo=datetime.UTC)
            value = value - SINCE_OVERLAP if value - floor > SINCE_OVERLAP else floor
        return super().filter(qs, value)
