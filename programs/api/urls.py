"""API routes of this app, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import batch, library, me, me_profile, prescriptions, sessions

router = SimpleRouter()
router.register("exercises", library.ExerciseViewSet, basename="exercise")
router.register("program-templates", library.ProgramTemplateViewSet, basename="program-template")
router.register("prescriptions", prescriptions.PrescriptionViewSet, basename="prescription")
router.register("me/sessions", sessions.MySessionViewSet, basename="me-session")

urlpatterns = [
    path(
        "patients/<str:patient_id>/sessions/",
        sessions.PatientSessionsView.as_view(),
        name="patient-sessions",
    ),
    path(
        "me/",
        me_profile.MeViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="me",
    ),
    path("me/program/", me.MyProgramView.as_view(), name="me-program"),
    # Before the router's routes, whose detail route would take "batch" for an id.
    path("me/sessions/batch/", batch.MySessionBatchView.as_view(), name="me-session-batch"),
    *router.urls,
]
