"""API routes of this app, mounted under /api/v1/ by practice/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from outcomes.api.progress import PatientProgressView

from . import prescriptions, session_views, views

router = SimpleRouter()
router.register("exercises", views.ExerciseViewSet, basename="exercise")
router.register("program-templates", views.ProgramTemplateViewSet, basename="program-template")
router.register("prescriptions", prescriptions.PrescriptionViewSet, basename="prescription")
router.register("me/sessions", session_views.MySessionViewSet, basename="me-session")

urlpatterns = [
    path(
        "patients/<str:patient_id>/sessions/",
        session_views.PatientSessionsView.as_view(),
        name="patient-sessions",
    ),
    path(
        "patients/<str:patient_id>/progress/",
        PatientProgressView.as_view(),
        name="patient-progress",
    ),
    path("me/program/", session_views.MyProgramView.as_view(), name="me-program"),
    *router.urls,
]
