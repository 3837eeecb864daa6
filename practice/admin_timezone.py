"""Admin pages in the clinic's own time.

Django shows and parses every date and time in the active time zone, so activating the
clinic's for the length of an admin request makes a visit booked for "10:00" at a New
York clinic 10:00 in New York, shown back as 10:00, across a change of daylight saving
time. The API is left alone: it answers ISO 8601 with offsets, which need no zone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.db import models
from django.forms import Field
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from core.localtime import zone_of

from .tenancy import clinic_of


@cache
def _admin_prefix() -> str:
    return reverse("admin:index")


class ClinicTimeZoneMiddleware:
    """Activates the signed-in staff member's clinic's zone on admin pages; an operator
    who works at no clinic keeps the server's (UTC), and every page says which it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(_admin_prefix()):
            clinic = clinic_of(request.user)
            if clinic is not None:
                with timezone.override(zone_of(clinic.time_zone)):
                    return self.get_response(request)
        return self.get_response(request)


def label_with_zone(db_field: models.Field, formfield: Field | None) -> Field | None:
    """Says on a date-and-time field which zone its time is read in."""
    if formfield is not None and isinstance(db_field, models.DateTimeField):
        zone = timezone.get_current_timezone_name()
        note = f"Time in {zone}."
        formfield.help_text = f"{formfield.help_text} {note}" if formfield.help_text else note
    return formfield
