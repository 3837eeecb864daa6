"""The library's own line drawings, one per exercise, as ExerciseMedia rows."""

from __future__ import annotations

from typing import Any

from .library import EXERCISES

DRAWINGS_DIR = "programs/exercises"


def drawing_path(slug: str) -> str:
    """The drawing's path under the static files."""
    return f"{DRAWINGS_DIR}/{slug}.svg"


def load_drawings(apps: Any) -> None:
    """Links each exercise to its drawing under programs/static/programs/exercises/.

    Keyed by exercise and static path, so loading twice changes nothing. The Spanish
    caption uses the Spanish name the library's translation wrote before it (0010),
    English where there is none yet. The strings are literal, not gettext: migrations
    write the same text whatever language the process runs in."""
    Exercise = apps.get_model("programs", "Exercise")
    ExerciseMedia = apps.get_model("programs", "ExerciseMedia")
    slugs = [spec["slug"] for spec in EXERCISES]
    for exercise in Exercise.objects.filter(slug__in=slugs).order_by("pk"):
        english = exercise.name_en or exercise.name
        spanish = exercise.name_es or english
        ExerciseMedia.objects.update_or_create(
            exercise=exercise,
            static_path=drawing_path(exercise.slug),
            defaults={
                "kind": "image",
                "url": "",
                "file": "",
                "language": "",
                "order": 0,
                "caption": f"Drawing: {english}",
                "caption_en": f"Drawing: {english}",
                "caption_es": f"Dibujo: {spanish}",
            },
        )
