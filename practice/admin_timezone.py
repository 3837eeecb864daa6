"""Admin pages in the clinic's own time.

Django shows and parses every date and time in the active time zone, so activating the
clinic's for the length of an admin request makes a visit booked for "10:00" at a New
York clinic 10:00 in New York, shown back as 10:00, across a change of daylight saving
time. The API is left alone: it answers ISO 8601 with offsets, which need no zone.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models
from django.forms import Field
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from core.localtime import known_zone

from .tenancy import clinic_of


def _admin_prefix() -> str:
    # Read each request, not once per process: the URLconf can change under it (tests
    # override ROOT_URLCONF, a deployment may mount the admin elsewhere).
    return reverse("admin:index")


class _PageZone(zoneinfo.ZoneInfo):
    """The clinic's zone, for showing stored values: one stored at the very ends of the
    calendar (year 1 or 9999: bad imports, sentinels) has no local time in a zone behind
    or ahead of UTC, and Django's conversion would fail the whole page. Such a value is
    shown at its UTC wall time instead, as core.localtime.local_date does."""

    def fromutc(self, dt: datetime.datetime) -> datetime.datetime:
        try:
            return super().fromutc(dt)
        except OverflowError:
            return dt.replace(tzinfo=self)


class ClinicTimeZoneMiddleware:
    """Activates the signed-in staff member's clinic's zone on admin pages; an operator
    who works at no clinic keeps the server's (UTC), and every page says which it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(_admin_prefix()):
            clinic = clinic_of(request.user)
            if clinic is not None and known_zone(clinic.time_zone) is not None:
                with timezone.override(_PageZone(clinic.time_zone)):
                    return self.get_response(request)
        return self.get_response(request)


def _showable() -> tuple[datetime.datetime, datetime.datetime]:
    """The stored moments the page's zone can show as a local date: all but the hours at
    each end of the calendar that the zone's offset pushes out of it."""
    zone = timezone.get_current_timezone()
    ahead_at_start = datetime.datetime(1, 1, 2, tzinfo=zone).utcoffset()
    ahead_at_end = datetime.datetime(9999, 12, 30, tzinfo=zone).utcoffset()
    zero = datetime.timedelta()
    return (
        datetime.datetime.min.replace(tzinfo=datetime.UTC) + max(-(ahead_at_start or zero), zero),
        datetime.datetime.max.replace(tzinfo=datetime.UTC) - max(ahead_at_end or zero, zero),
    )


if TYPE_CHECKING:
    from django.contrib.admin.views.main import ChangeList

    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object


class ClinicTimeMixin(_ModelAdminBase):
    """A model admin's part in showing the clinic's time."""

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Field | None:
        """Says on a date-and-time field which zone its time is read in."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(db_field, models.DateTimeField):
            note = f"Time in {timezone.get_current_timezone_name()}."
            formfield.help_text = f"{formfield.help_text} {note}" if formfield.help_text else note
        return formfield

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        """The list's date links count the years in the clinic's zone, which PostgreSQL
        computes: a row stored at the very end of the calendar would be a year 0 or
        10000 there, which no driver can read, and the page would fail. Such rows stay
        in the list (already read by now) but out of the date links."""
        changelist = super().get_changelist_instance(request)
        if changelist.date_hierarchy:
            lookup = f"{changelist.date_hierarchy}__range"
            changelist.queryset = changelist.queryset.filter(**{lookup: _showable()})
        return changelist
