"""Serializer fields the program bodies share: a library row named by id or slug, and a
count (sets, reps, minutes ...)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import MAX_ID, as_id
from programs.counts import MAX_COUNT
from programs.models import Exercise, ProgramTemplate

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,50}\Z")


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class LibraryRefField(serializers.RelatedField):
    """A library row (exercise or template) named by its id or its slug."""

    default_error_messages = {
        "required": "This field is required.",
        "does_not_exist": "No {kind} with the id or slug {value}.",
        "invalid": "Give an id (a whole number) or a slug.",
    }

    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data: object) -> Exercise | ProgramTemplate:
        pk = as_id(data)
        slug = data if isinstance(data, str) and _SLUG.match(data) else None
        if pk is None and slug is None:
            self.fail("invalid")
        if pk is not None and not 0 < pk <= MAX_ID:
            self.fail("does_not_exist", kind=self.kind, value=repr(data))
        queryset = self.get_queryset()
        if queryset is None:  # DRF asks every writable related field for one
            raise ImproperlyConfigured(f"{type(self).__name__} needs a queryset.")
        try:
            return queryset.get(pk=pk) if pk is not None else queryset.get(slug=slug)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", kind=self.kind, value=repr(data))

    def to_representation(self, value: Any) -> str:
        return str(value.slug)


def count_field(**kwargs: Any) -> serializers.IntegerField:
    """A count from 1 to MAX_COUNT, optional; null clears it."""
    return serializers.IntegerField(
        min_value=1, max_value=MAX_COUNT, allow_null=True, required=False, **kwargs
    )
