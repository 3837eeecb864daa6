"""What reaches a view from its URL: any path segment, an id read from one, and only the
methods the view serves."""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.views import APIView

from .fields import MAX_ID, as_id

# Any path segment reaches the view, so a malformed id is the API's JSON 404, not the
# URL resolver's HTML page.
ANY_SEGMENT = r"[^/]+"


def path_id(value: object) -> int:
    """The id a URL segment names (read by `as_id`); a segment that can name no row is
    the API's 404."""
    pk = as_id(value)
    if pk is None or not 0 < pk <= MAX_ID:
        raise exceptions.NotFound(gettext("Not found."))
    return pk


class RoutedMethodsOnly(APIView):
    """A method the view does not serve (e.g. DELETE) is a 405, not a 403 from the
    role's missing delete permission."""

    def check_permissions(self, request: Request) -> None:
        method = (request.method or "").lower()
        if method not in self.http_method_names or getattr(self, method, None) is None:
            raise exceptions.MethodNotAllowed(request.method or "")
        super().check_permissions(request)
