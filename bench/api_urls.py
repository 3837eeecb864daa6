"""The project's routes plus /bench/ping/, the floor bench.api_load compares against."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import handler400, handler404, handler500  # noqa: F401 (Django reads the handlers from the ROOT_URLCONF)
from config.urls import urlpatterns as project_urlpatterns


class PingView(APIView):
    """Default authentication and permissions (JWT, IsAuthenticated), no query of its own."""

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [*project_urlpatterns, path("bench/ping/", PingView.as_view())]
