"""/ical/: the calendar feeds, mounted by config/urls.py."""

from django.urls import re_path

from . import views

urlpatterns = [
    # Any URL-safe token of sane length; anything else matches nothing and is a 404.
    re_path(
        r"^(?P<token>[A-Za-z0-9_-]{1,128})\.ics$",
        views.CalendarFeedView.as_view(),
        name="ical-feed",
    ),
]
