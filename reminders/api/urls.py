"""API routes of this app, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import inbox, views

router = SimpleRouter()
router.register("me/notifications", inbox.MyNotificationViewSet, basename="me-notification")

urlpatterns = [
    path("me/devices/", views.MyDevicesView.as_view(), name="me-devices"),
    path("staff/devices/", views.StaffDevicesView.as_view(), name="staff-devices"),
    *router.urls,
]
