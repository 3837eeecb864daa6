"""What an exercise picture or video may be served from, checked before it is stored.

The app loads these URLs in every patient's program: a shipped path that is not there
would fail the whole page in production (the manifest storage refuses unknown files),
a plain-http link is blocked by the phones, and an uploaded SVG or HTML file served
from our own origin could carry script.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError

# What a clinic may upload: pictures and videos that carry no script.
UPLOAD_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
}


def check_media_source(*, url: str, file_name: str, static_path: str) -> None:
    """Refuse a source the app could not load safely; which one is set is the model's
    constraint (exactly one)."""
    errors: dict[str, str] = {}
    if url and not url.lower().startswith("https://"):
        errors["url"] = "Link media over https: phones refuse plain http."
    if file_name and PurePosixPath(file_name).suffix.lower() not in UPLOAD_TYPES:
        errors["file"] = "Upload a picture or video: " + ", ".join(sorted(UPLOAD_TYPES)) + "."
    if static_path and finders.find(static_path) is None:
        errors["static_path"] = f"No file {static_path} among the project's static files."
    if errors:
        raise ValidationError(errors)
