"""Form fields shared by every admin form.

A JSON form field decodes what was typed, so the six characters `\\u0000` arrive as a NUL
and `\\ud800` as a lone surrogate, past the check on the raw post; PostgreSQL refuses
both (`core.unstorable`), which would end the save in a 500. `StorableJSONField` refuses
them on the form instead, naming where in the JSON they are, and keeps what was typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from core.unstorable import unstorable_errors


def _first_error(errors: Any, path: str = "") -> tuple[str, str]:
    """The first message in nested errors, with the path (keys and indexes) to it."""
    if isinstance(errors, dict):
        key, value = next(iter(errors.items()))
        return _first_error(value, f"{path}.{key}" if path else str(key))
    return path, str(errors[0])


class StorableJSONField(forms.JSONField):
    def to_python(self, value: Any) -> Any:
        converted = super().to_python(value)
        errors = unstorable_errors(converted)
        if errors is not None:
            path, message = _first_error(errors)
            raise ValidationError(f"{path}: {message}" if path else message, code="unstorable")
        return converted

    def bound_data(self, data: Any, initial: Any) -> Any:
        # Shown again as typed: decoded, a lone surrogate could not be written into the
        # page (no UTF-8 encoder takes one) and a NUL would be sent raw.
        decoded = super().bound_data(data, initial)
        if not isinstance(decoded, forms.fields.InvalidJSONInput) and unstorable_errors(decoded):
            return forms.fields.InvalidJSONInput(data)
        return decoded


# For the admin classes' `formfield_overrides`: every model JSONField gets the field above.
STORABLE_JSON_OVERRIDES: dict[type[models.Field], dict[str, Any]] = {
    models.JSONField: {"form_class": StorableJSONField}
}
