"""An exercise's pictures and videos (programs.media serves them to the app)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.translations import translation_columns

from .media_sources import check_media_source


class MediaKind(models.TextChoices):
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"


class ExerciseMedia(models.Model):
    """A picture or video of an exercise: linked (`url`), uploaded (`file`) or shipped
    with the project (`static_path`), exactly one of them. The program shows the media of
    the patient's language and those of no language."""

    exercise = models.ForeignKey(
        "programs.Exercise", on_delete=models.CASCADE, related_name="media"
    )
    kind = models.CharField(max_length=8, choices=MediaKind.choices)
    url = models.URLField(max_length=500, blank=True, help_text="Where it is served from.")
    file = models.FileField(upload_to="exercise-media/", blank=True, max_length=300)
    static_path = models.CharField(
        max_length=300,
        blank=True,
        help_text="A file shipped with the project, under its static files "
        "(the library's own drawings), e.g. programs/exercises/prone-lying.svg.",
    )
    caption = models.CharField(max_length=300, blank=True)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text="Blank: for every language (a drawing without words).",
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=translation_columns("caption"))

    class Meta:
        ordering = ["exercise", "order", "pk"]
        verbose_name_plural = "exercise media"
        constraints = [
            models.CheckConstraint(
                condition=(~Q(url="") & Q(file="") & Q(static_path=""))
                | (Q(url="") & ~Q(file="") & Q(static_path=""))
                | (Q(url="") & Q(file="") & ~Q(static_path="")),
                name="exercise_media_one_source",
                violation_error_message="Give one of a URL, a file or a static path.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: {self.get_kind_display().lower()} {self.order}"

    def clean(self) -> None:
        check_media_source(
            url=self.url, file_name=self.file.name or "", static_path=self.static_path
        )
