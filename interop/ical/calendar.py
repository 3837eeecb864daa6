"""The VCALENDAR of a feed: one event per appointment, saying only when and where.

Phones show a subscribed calendar on the lock screen and sync it to other services, so
an event carries no health detail: the summary is "Appointment - <clinic>", with no
patient name, diagnosis, visit kind, notes or therapist, and a clinician's schedule
carries no video room's URL. Each event's UID stays the same
across reschedules and its SEQUENCE grows with every change of time, place or status
(appointments bump `sequence`), so a calendar updates its copy instead of adding another;
a cancelled visit stays in the feed as STATUS:CANCELLED, which is how a calendar learns
to remove it. Times are in the clinic's zone with its VTIMEZONE, so a 09:00 visit shows
at 09:00 on both sides of a change of daylight saving time.

Without a METHOD the calendar is a published one (RFC 5545 3.8.7.2): DTSTAMP is then
the time the event last changed, which keeps the body the same while nothing changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from appointments.models import Appointment
from core.localtime import zone_of
from practice.models import Clinic

from ..models import CalendarFeed
from .selectors import feed_window

PRODID = "-//Sciatica practice//Appointments//EN"

_STATUS = {
    Appointment.Status.SCHEDULED: "TENTATIVE",
    Appointment.Status.CONFIRMED: "CONFIRMED",
    # Past visits stay as they were booked: attended or missed, the time was held.
    Appointment.Status.ATTENDED: "CONFIRMED",
    Appointment.Status.NO_SHOW: "CONFIRMED",
    Appointment.Status.CANCELLED: "CANCELLED",
}

# How often a calendar app should fetch again (those that honour it); a change made at
# the desk reaches the phone within this.
_REFRESH = datetime.timedelta(hours=1)


def event_uid(appointment_pk: int) -> str:
    """The appointment's UID, the same in every feed and across reschedules."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"appointment-{appointment_pk}@{host}"


def event_location(appointment: Appointment, clinic: Clinic, *, video: str | None = None) -> str:
    """Where to go: the place staff set, else the video link of a remote visit (`video`
    instead when given: a clinician's feed), else the clinic's address."""
    if appointment.location:
        return appointment.location
    if appointment.telehealth_url:
        return video if video is not None else appointment.telehealth_url
    return clinic.address


def feed_language(feed: CalendarFeed) -> str:
    # The patient reads their own calendar in their language; a clinician's is the
    # clinic's default, as the admin is.
    chosen = feed.patient.language if feed.patient is not None else ""
    return chosen or settings.LANGUAGE_CODE


def feed_calendar(
    *, feed: CalendarFeed, appointments: Iterable[Appointment], now: datetime.datetime
) -> bytes:
    """The feed's iCalendar body (`appointments` as `selectors.feed_appointments` reads
    them); reads nothing from the database beyond the feed's clinic and patient."""
    clinic = feed.clinic
    zone = zone_of(clinic.time_zone)
    with translation.override(feed_language(feed)):
        summary = _("Appointment - %(clinic)s") % {"clinic": clinic.name}
        name = _("Appointments - %(clinic)s") % {"clinic": clinic.name}
        # A video room's URL may name the patient (many services put it in the room's
        # name): a clinician's schedule, synced wherever their calendar goes, only says
        # that the visit is by video. The patient's own feed keeps the link to join.
        video = _("Video visit") if feed.staff_id is not None else None
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", _REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(_REFRESH))  # an X- name is text by default
    for appointment in appointments:
        event = Event()
        event.add("uid", event_uid(appointment.pk))
        event.add("sequence", appointment.sequence)
        event.add("dtstamp", appointment.updated_at)
        event.add("last-modified", appointment.updated_at)
        event.add("created", appointment.created_at)
        event.add("dtstart", appointment.starts_at.astimezone(zone))
        event.add("dtend", appointment.ends_at.astimezone(zone))
        event.add("summary", summary)
        location = event_location(appointment, clinic, video=video)
        if location:
            event.add("location", location)
        if appointment.telehealth_url and video is None:
            event.add("url", appointment.telehealth_url)
        event.add("status", _STATUS[Appointment.Status(appointment.status)])
        # A cancelled visit no longer takes the time in a free/busy view.
        cancelled = appointment.status == Appointment.Status.CANCELLED
        event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
        calendar.add_component(event)
    # The zone's rules over the feed's window (a day's margin each side), not from 1970:
    # each VTIMEZONE then holds the few transitions its events need.
    start, end = feed_window(now)
    calendar.add_missing_timezones(
        first_date=(start - datetime.timedelta(days=1)).date(),
        last_date=(end + datetime.timedelta(days=1)).date(),
    )
    return calendar.to_ical()
