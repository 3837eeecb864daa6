"""Serializer fields that know the caller's clinic."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from rest_framework import serializers

from core.api.fields import MAX_ID, as_id
from practice.tenancy import visible_to


class ClinicScopedPKField(serializers.PrimaryKeyRelatedField):
    """An id of a row in the caller's clinic; another clinic's id does not exist."""

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        if queryset is None:
            raise ImproperlyConfigured(f"{self.field_name} has no queryset to choose from.")
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return visible_to(queryset, request.user)

    def to_internal_value(self, data: object) -> Any:
        pk = as_id(data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < pk <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(pk)
