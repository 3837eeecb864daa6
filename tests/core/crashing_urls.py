"""The project's routes plus one API view that fails, to see what a 500 answers."""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from config.urls import handler400, handler404, handler500  # noqa: F401 (read by Django)
from config.urls import urlpatterns as project_urlpatterns


@api_view(["GET"])
@permission_classes([AllowAny])
def crash(request):
    raise RuntimeError("secret detail from deep inside /srv/app/services.py")


urlpatterns = [*project_urlpatterns, path("api/v1/crash/", crash), path("crash/", crash)]
