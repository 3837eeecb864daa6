"""What the admin's own list filters share."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters


def offered_value(list_filter: admin.SimpleListFilter) -> str | None:
    """The filter's value when it is one of the choices it offers, else a bad lookup:
    a typed id or junk in the URL gets the changelist's "invalid lookup" page, not a
    query that fails (or reaches a row the list does not offer)."""
    value = list_filter.value()
    if not value:
        return None
    # Counting facets sets the value to each offered choice as it is, an int pk included.
    value = str(value)
    if value not in {str(choice) for choice, _ in list_filter.lookup_choices}:
        raise IncorrectLookupParameters(f"No {list_filter.title} {value!r} to filter by.")
    return value
