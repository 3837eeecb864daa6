"""Query filters every app's API shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
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
