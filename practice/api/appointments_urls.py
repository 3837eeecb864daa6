"""Appointment routes (staff and /me/appointments/)."""

urlpatterns: list = []
