"""Serializer fields every app's API shares."""

from __future__ import annotations

from rest_framework import serializers

# PostgreSQL's bigint: a larger id cannot exist, and must not reach the database.
MAX_ID = 2**63 - 1


def as_id(data) -> int | None:
    """An id given as a whole number or a string of digits; None when it is neither.

    Booleans and floats are refused: `int()` would quietly turn true or 1.5 into id 1.
    """
    if isinstance(data, bool):
        return None
    if isinstance(data, int):
        return data
    if isinstance(data, str) and data.isascii() and data.isdigit() and len(data) < 20:
        return int(data)
    return None


class ClinicScopedPKField(serializers.PrimaryKeyRelatedField):
    """An id of a row in the caller's clinic; another clinic's id does not exist."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return queryset.for_user(request.user)

    def to_internal_value(self, data):
        pk = as_id(data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < pk <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(pk)


class StaffNameField(serializers.CharField):
    """A staff member shown by name and credentials (read only)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)
