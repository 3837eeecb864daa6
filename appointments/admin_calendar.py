"""The calendar page of the appointment admin: a day (`?day=YYYY-MM-DD`) or a week from
its Monday (`?week=YYYY-MM-DD`), of every clinician or one (`?therapist=<id>`).

Plain HTML: every free half-hour links to the add page with the therapist and the time
filled in, every visit to its change page, which moves it through
`appointment_reschedule`. A value in the URL that names no day or no clinician of the
clinic is said in a message and ignored, never a 500. Every patient shown is in the
access log, in one insert.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from core import dates
from core.access_log import VIEW
from core.localtime import local_today
from practice.admin_base import given_id
from practice.admin_clinicians import clinicians_of
from practice.models import StaffMember
from practice.tenancy import clinic_of

from .calendar import calendar_of

if TYPE_CHECKING:
    from practice.admin_base import ClinicScopedAdmin

CALENDAR_URL = "admin:appointments_appointment_calendar"
_DAY = datetime.timedelta(days=1)


def _parse_day(request: HttpRequest, name: str) -> datetime.date | None:
    value = request.GET.get(name)
    if value is None:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        day = None
    # A week on either side must still be a date: the previous and next links need it.
    if day is None or not dates.EARLIEST_RECORD <= day <= dates.LATEST_RECORD:
        messages.warning(request, f"{value!r} is not a day (YYYY-MM-DD); showing today.")
        return None
    return day


def _chosen_therapist(request: HttpRequest) -> StaffMember | None:
    value = request.GET.get("therapist")
    if not value:
        return None
    pk = given_id(value)
    therapist = clinicians_of(request).filter(pk=pk).first() if pk is not None else None
    if therapist is None:
        # Another clinic's id says nothing more than a typo: no one of that id here.
        messages.warning(request, "No clinician of this clinic has that id; showing everyone.")
    return therapist


def _link(*, week: bool, day: datetime.date, therapist: StaffMember | None) -> str:
    query: dict[str, Any] = {"week" if week else "day": day.isoformat()}
    if therapist is not None:
        query["therapist"] = therapist.pk
    return f"{reverse(CALENDAR_URL)}?{urlencode(query)}"


def calendar_view(model_admin: ClinicScopedAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied("Your role cannot see the appointments.")
    clinic = clinic_of(request.user)
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Calendar",
        "calendar": None,
    }
    if clinic is None:
        messages.info(request, "The calendar is a clinic's: sign in as one of its staff.")
        return TemplateResponse(request, "admin/appointments/calendar.html", context)
    today = local_today(clinic.time_zone)
    week_of = _parse_day(request, "week")
    is_week = "week" in request.GET
    day = (week_of if is_week else _parse_day(request, "day")) or today
    if is_week:
        day -= datetime.timedelta(days=day.weekday())  # weeks start on Monday
    step = datetime.timedelta(days=7 if is_week else 1)
    therapist = _chosen_therapist(request)
    calendar = calendar_of(
        clinic=clinic, first_day=day, days=7 if is_week else 1, therapist=therapist
    )
    model_admin.log_patient_access(request, calendar.patient_ids, VIEW)
    context.update(
        calendar=calendar,
        is_week=is_week,
        therapist=therapist,
        clinicians=list(clinicians_of(request)),
        previous_url=_link(week=is_week, day=day - step, therapist=therapist),
        next_url=_link(week=is_week, day=day + step, therapist=therapist),
        today_url=_link(week=is_week, day=today, therapist=therapist),
        day_url=_link(week=False, day=day, therapist=therapist),
        week_url=_link(week=True, day=day, therapist=therapist),
        can_add=model_admin.has_add_permission(request),
        add_url=reverse("admin:appointments_appointment_add"),
        series_url=reverse("admin:appointments_appointment_series"),
        title=f"Calendar: {'week of ' if is_week else ''}{day:%A %Y-%m-%d}",
    )
    return TemplateResponse(request, "admin/appointments/calendar.html", context)


def slot_initial(request: HttpRequest) -> dict[str, Any]:
    """The start a calendar slot's link gives the add page (`starts_at_0` the date,
    `starts_at_1` the time, as the split widget posts them), read in the clinic's zone.

    Django's own prefill passes `?starts_at=` to the widget as text, which it cannot
    show; so that key is always replaced here, and a value that is no time is dropped."""
    day, time = request.GET.get("starts_at_0", ""), request.GET.get("starts_at_1", "")
    try:
        wall = datetime.datetime.combine(
            datetime.date.fromisoformat(day), datetime.time.fromisoformat(time)
        )
    except ValueError:
        return {}
    if not dates.EARLIEST_RECORD <= wall.date() <= dates.LATEST_RECORD:
        return {}
    return {"starts_at": timezone.make_aware(wall.replace(second=0, microsecond=0))}


def urls(model_admin: ClinicScopedAdmin) -> list[URLPattern]:
    def view(request: HttpRequest) -> HttpResponse:
        return calendar_view(model_admin, request)

    return [
        path(
            "calendar/",
            model_admin.admin_site.admin_view(view),
            name="appointments_appointment_calendar",
        )
    ]
