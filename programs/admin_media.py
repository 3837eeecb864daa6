"""An exercise's pictures and videos on its admin page, with a preview of the images."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from .media import media_url
from .models import ExerciseMedia, MediaKind


class ExerciseMediaInline(admin.TabularInline):
    """Edited with the exercise, so the library's permissions are the exercise's; the
    model's one-source constraint is checked by the form (a form error, not a 500)."""

    model = ExerciseMedia
    extra = 0
    fields = [
        "preview",
        "kind",
        "url",
        "file",
        "static_path",
        "caption_en",
        "caption_es",
        "language",
        "order",
    ]
    readonly_fields = ["preview"]

    @admin.display(description="preview")
    def preview(self, obj: ExerciseMedia) -> str:
        if obj.pk is None or obj.kind != MediaKind.IMAGE:
            return "-"
        return format_html(
            '<img src="{}" alt="{}" style="max-height:80px;max-width:120px">',
            media_url(obj, None),
            obj.caption,
        )
