"""API routes of this app, mounted under /api/v1/ by practice/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register(
    "questionnaire-responses",
    views.QuestionnaireResponseViewSet,
    basename="questionnaire-response",
)

urlpatterns = [
    path("me/questionnaires/", views.MyQuestionnairesView.as_view(), name="me-questionnaires"),
    path(
        "me/questionnaires/<str:code>/responses/",
        views.MyQuestionnaireResponseView.as_view(),
        name="me-questionnaire-responses",
    ),
    *router.urls,
]
