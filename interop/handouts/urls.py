"""The handout's API routes, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "prescriptions/<str:id>/handout.pdf",
        api.PrescriptionHandoutView.as_view(),
        name="prescription-handout-pdf",
    ),
    path("me/program/handout.pdf", api.MyHandoutView.as_view(), name="me-program-handout-pdf"),
]
