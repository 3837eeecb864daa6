"""API routes of this app, mounted under /api/v1/ by config/api_urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("patients", views.PatientEpisodeViewSet, basename="patient-episode")

urlpatterns = router.urls
