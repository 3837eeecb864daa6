"""Serializer fields every app's API shares."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
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


class ClinicScopedPKField(serializers.PrimaryKeyRelatedField):
    """An id of a row in the caller's clinic; another clinic's id does not exist."""

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        if queryset is None:
            raise ImproperlyConfigured(f"{self.field_name} has no queryset to choose from.")
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        # The clinic-scoped querysets of the apps above (practice.tenancy) narrow to the
        # caller's clinic; this layer knows them only by that method.
        for_user = getattr(queryset, "for_user", None)
        if for_user is None:
            raise ImproperlyConfigured(f"{queryset.model.__name__} rows are not clinic-scoped.")
        scoped: QuerySet[Any] = for_user(request.user)
        return scoped

    def to_internal_value(self, data: object) -> Any:
        pk = as_id(data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < pk <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(pk)


class StaffNameField(serializers.CharField):
    """A staff member shown by name and credentials (read only)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)
