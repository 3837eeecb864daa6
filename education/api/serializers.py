"""Response bodies of the education endpoints, and the link today's plan embeds."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from education.models import Topic
from education.selectors import CAUSE, PHASE
from patients.models import Cause, Chronicity


@extend_schema_field(OpenApiTypes.URI)
class TopicUrlField(serializers.Field):
    """The absolute URL of the patient's own copy of a topic (/me/education/{slug}/)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Topic) -> str:
        return reverse(
            "api:me-education-detail",
            kwargs={"slug": value.slug},
            request=self.context.get("request"),
        )


class TopicLinkSerializer(serializers.ModelSerializer):
    """A topic as a link, for other answers (today's plan) to point at."""

    url = TopicUrlField()

    class Meta:
        model = Topic
        fields = ["slug", "title", "url"]


class MyTopicSerializer(serializers.ModelSerializer):
    url = TopicUrlField()
    matches = serializers.ListField(
        child=serializers.ChoiceField(choices=[CAUSE, PHASE]),
        read_only=True,
        help_text="Chosen for your cause, your phase, both, or (empty) for everyone.",
    )

    class Meta:
        model = Topic
        fields = ["slug", "title", "summary", "matches", "url"]


class MyTopicDetailSerializer(MyTopicSerializer):
    paragraphs = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(MyTopicSerializer.Meta):
        fields = [*MyTopicSerializer.Meta.fields, "body", "paragraphs"]


class TopicSerializer(serializers.ModelSerializer):
    """The library as staff read it."""

    causes = serializers.ListField(
        child=serializers.ChoiceField(choices=Cause.choices),
        read_only=True,
        help_text="Causes the topic is written for; empty for every cause.",
    )
    phases = serializers.ListField(
        child=serializers.ChoiceField(choices=Chronicity.choices),
        read_only=True,
        help_text="Phases the topic is written for; empty for every phase.",
    )
    paragraphs = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "body",
            "paragraphs",
            "causes",
            "phases",
            "order",
            "is_active",
            "updated_at",
        ]
        read_only_fields = fields
