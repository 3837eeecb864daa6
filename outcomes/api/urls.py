"""API routes of this app, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import history, progress, views

router = SimpleRouter()
router.register(
    "questionnaire-responses",
    views.QuestionnaireResponseViewSet,
    basename="questionnaire-response",
)

urlpatterns = [
    path("me/history/", history.MyHistoryView.as_view(), name="me-history"),
    path("me/questionnaires/", views.MyQuestionnairesView.as_view(), name="me-questionnaires"),
    path(
        "me/questionnaires/<str:code>/responses/",
        views.MyQuestionnaireResponseView.as_view(),
        name="me-questionnaire-responses",
    ),
    path(
        "patients/<str:patient_id>/progress/",
        progress.PatientProgressView.as_view(),
        name="patient-progress",
    ),
    *router.urls,
]
