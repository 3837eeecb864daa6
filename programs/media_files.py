"""The pictures and videos clinics upload for exercises, served to the app.

Library content, not a patient's record: public like the static drawings. Only the
types `media_sources.UPLOAD_TYPES` allows are served, as what they are (nosniff) and in
a sandbox, so a file that is not what its name says cannot run in our origin.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from .media_sources import UPLOAD_TYPES

UPLOAD_DIR = "exercise-media"


@require_safe
def exercise_media_file(request: HttpRequest, name: str) -> FileResponse:
    path = PurePosixPath(UPLOAD_DIR, name)
    content_type = UPLOAD_TYPES.get(path.suffix.lower())
    inside = path.parts[0] == UPLOAD_DIR and ".." not in path.parts  # "//etc/x.png" too
    if content_type is None or not inside or not default_storage.exists(str(path)):
        raise Http404("No such exercise media.")
    response = FileResponse(default_storage.open(str(path)), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "public, max-age=86400"
    return response
