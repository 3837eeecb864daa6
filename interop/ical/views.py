"""GET /ical/<token>.ics: the feed a calendar app subscribes to.

No login: calendar apps send none, so the token in the URL is the credential (an
unknown, revoked or malformed one is a 404, the same for each). The answer is
`Cache-Control: private, no-store`: it holds where and when a person is treated, and the
URL is a secret, so no proxy or disk cache may keep a copy; calendar apps fetch it on
their own schedule anyway (REFRESH-INTERVAL asks for hourly). Throttled per address.
The calendar is answered whatever Accept says (calendar apps send text/calendar, a
browser text/html); an error is the API's JSON error. Content-Language is the
calendar's own, the patient's language.

Every read goes in the access log under the feed's owner, the only person the token
stands for: the patient's own login for their feed (the staff member who issued it when
the patient has no login), the clinician for their schedule, with each patient shown.
The path logged names the feed by its id (`/ical/feed-<id>.ics`), never by the token;
Django's own log of a 404 has the token redacted (interop.ical.logs).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from audit.services import record_access_log
from core.access_log import VIEW
from core.api.files import FirstRenderer

from ..models import CalendarFeed
from . import selectors
from .calendar import feed_calendar, feed_language

CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_CONTROL = "private, no-store"


class CalendarFeedIPThrottle(SimpleRateThrottle):
    scope = "calendar_feed_ip"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class _Shown(NamedTuple):
    """A patient the answer showed, with its clinic, as the access log takes it."""

    pk: int
    clinic_id: int


class CalendarFeedView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [CalendarFeedIPThrottle]
    # The calendar itself is not rendered by DRF, only an error is, and a calendar app
    # asking for text/calendar should learn of a 404 as a 404, not a 406.
    content_negotiation_class = FirstRenderer
    # Not part of the API's schema: a calendar app reads it, not the app's client. None
    # rather than an exclusion, so the schema's path prefix stays /api/.
    schema = None

    def get(self, request: Request, token: str) -> HttpResponse:
        feed = selectors.calendar_feed_live(token=token)
        if feed is None:
            raise exceptions.NotFound(gettext_lazy("There is no calendar at this address."))
        now = timezone.now()
        appointments = list(selectors.feed_appointments(feed=feed, now=now))
        response = HttpResponse(
            feed_calendar(feed=feed, appointments=appointments, now=now), content_type=CONTENT_TYPE
        )
        response["Cache-Control"] = CACHE_CONTROL
        response["Content-Disposition"] = 'inline; filename="appointments.ics"'
        # Set here, LocaleMiddleware would give the request's language, not the text's.
        response["Content-Language"] = feed_language(feed)
        _log_read(request, feed, sorted({a.patient_id for a in appointments}))
        return response


def _log_read(request: Request, feed: CalendarFeed, patient_ids: list[int]) -> None:
    if feed.patient is not None:
        user = feed.patient.user or feed.created_by
        shown = [_Shown(feed.patient.pk, feed.clinic_id)]
    elif feed.staff is not None:
        user = feed.staff.user
        shown = [_Shown(pk, feed.clinic_id) for pk in patient_ids]
    else:  # the check constraint gives every feed an owner
        return
    path = f"/ical/feed-{feed.pk}.ics"  # the token in the real path is the credential
    record_access_log(user=user, patients=shown, action=VIEW, request=request, path=path)
