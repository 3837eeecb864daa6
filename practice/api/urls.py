"""API routes of this app, mounted under /api/v1/ by config/api_urls.py (login and
passwords are mounted there, under auth/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import staff

router = SimpleRouter()
router.register("therapists", staff.TherapistViewSet, basename="therapist")

urlpatterns = [
    path("staff/me/", staff.StaffMeView.as_view(), name="staff-me"),
    *router.urls,
]
