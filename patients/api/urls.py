"""API routes of this app, mounted under /api/v1/ by practice/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import screening_views, views

router = SimpleRouter()
router.register("patients", views.PatientViewSet, basename="patient")
router.register("diagnoses", views.DiagnosisViewSet, basename="diagnosis")
router.register("screenings", screening_views.ScreeningViewSet, basename="screening")
router.register("alerts", screening_views.AlertViewSet, basename="alert")
router.register("me/symptoms", screening_views.SymptomReportViewSet, basename="me-symptoms")

urlpatterns = [
    path(
        "me/",
        views.MeViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="me",
    ),
    *router.urls,
]
