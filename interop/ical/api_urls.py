"""API routes of the calendar feeds, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from . import api

patient_feed = api.PatientCalendarFeedViewSet.as_view(
    {"get": "state", "post": "issue", "delete": "revoke"}
)

urlpatterns = [
    path("me/calendar-feed/", api.MyCalendarFeedView.as_view(), name="me-calendar-feed"),
    path(
        "staff/me/calendar-feed/", api.StaffCalendarFeedView.as_view(), name="staff-calendar-feed"
    ),
    path("patients/<str:pk>/calendar-feed/", patient_feed, name="patient-calendar-feed"),
]
