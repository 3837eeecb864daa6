"""API routes of this app, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("education", views.TopicViewSet, basename="education-topic")

urlpatterns = [
    path("me/education/", views.MyTopicListView.as_view(), name="me-education-list"),
    path(
        "me/education/<str:slug>/",
        views.MyTopicDetailView.as_view(),
        name="me-education-detail",
    ),
    *router.urls,
]
