"""An exercise's pictures and videos as the app gets them: those of the active language
and those of none, in order, each with an absolute URL."""

from __future__ import annotations

import logging
from typing import Any, TypedDict

from django.templatetags.static import static
from django.utils.translation import get_language

from .models import Exercise, ExerciseMedia

logger = logging.getLogger(__name__)


class MediaRow(TypedDict):
    kind: str
    url: str
    caption: str
    language: str


def media_url(media: ExerciseMedia, request: Any | None) -> str:
    """Where the app fetches it: the linked URL as it is; a shipped file's static URL or
    an uploaded file's storage URL, made absolute when there is a request to say how."""
    if media.url:
        return media.url
    relative = static(media.static_path) if media.static_path else media.file.url
    return request.build_absolute_uri(relative) if request is not None else relative


def active_language() -> str:
    """The active language's base code (`es` for `es-mx`)."""
    return (get_language() or "en").split("-")[0].lower()


def exercise_media(exercise: Exercise, request: Any | None) -> list[MediaRow]:
    """The exercise's media for the active language. Reads `exercise.media.all()`, so a
    list prefetches `exercise__media` (the model orders them) and filters here. One that
    cannot be served (a shipped file missing from this deployment's manifest) is left
    out and logged: the patient's program still opens."""
    language = active_language()
    rows: list[MediaRow] = []
    for media in exercise.media.all():
        if media.language not in ("", language):
            continue
        try:
            url = media_url(media, request)
        except ValueError:
            logger.exception("exercise media %s left out: its file is not deployed", media.pk)
            continue
        rows.append(
            {"kind": media.kind, "url": url, "caption": media.caption, "language": media.language}
        )
    return rows
