"""The body of an exercise's picture or video, as the program and the library give it."""

from __future__ import annotations

from rest_framework import serializers

from programs.models import MediaKind


class ExerciseMediaSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MediaKind.choices)
    url = serializers.URLField(help_text="Absolute: where the app fetches it.")
    caption = serializers.CharField(help_text="In the active language.")
    language = serializers.CharField(
        help_text="The language it is for (its words or speech); blank for every language."
    )
