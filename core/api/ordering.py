"""`ordering` that refuses what it cannot do, instead of quietly ignoring it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.views import APIView


class StrictOrderingFilter(OrderingFilter):
    """Orders by the view's `ordering_fields` (each ascending, or descending with `-`).

    An unknown term is a 400 that lists the allowed ones: DRF's filter drops it and
    answers the default order, so a client's typo looked like a working sort. A view
    without `ordering_fields` has a fixed order (DRF would offer every serializer field,
    some of which are no column and would fail in the database)."""

    def allowed_terms(self, view: APIView) -> list[str]:
        names = [
            item if isinstance(item, str) else item[0]
            for item in getattr(view, "ordering_fields", None) or []
        ]
        return [term for name in names for term in (name, f"-{name}")]

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: APIView) -> Any:
        given = request.query_params.get(self.ordering_param)
        if not given:
            return self.get_default_ordering(view)
        terms = [term.strip() for term in given.split(",")]
        allowed = self.allowed_terms(view)
        unknown = [term for term in terms if term not in allowed]
        if unknown:
            if allowed:
                message = gettext(
                    "Unknown ordering %(unknown)s; allowed: %(allowed)s (several "
                    "separated by commas)."
                ) % {
                    "unknown": ", ".join(repr(term) for term in unknown),
                    "allowed": ", ".join(allowed),
                }
            else:
                message = gettext("This list has a fixed order; leave out `ordering`.")
            raise exceptions.ValidationError({self.ordering_param: [message]})
        return terms

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        allowed = self.allowed_terms(view)
        if not allowed:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Sort by this field, descending with a leading `-`. The server also "
                    "takes several, separated by commas; any other value is a 400."
                ),
                "schema": {"type": "string", "enum": allowed},
            }
        ]
