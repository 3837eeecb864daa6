"""API routes of this app, mounted under /api/v1/ by practice/api/urls.py."""

urlpatterns: list = []
