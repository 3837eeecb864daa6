"""The seeded topics in Spanish: every field filled, paragraph for paragraph."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation

from education.models import Topic
from education.seed.loader import load_topics
from education.seed.topics import TOPICS

pytestmark = pytest.mark.django_db


def _paragraphs(text: str | None) -> list[str]:
    return (text or "").split("\n\n")


def test_every_seeded_topic_has_spanish_in_every_field_after_migrate():
    topics = Topic.objects.filter(slug__in=[spec["slug"] for spec in TOPICS])
    assert topics.count() == len(TOPICS)
    for topic in topics:
        for field in ("title_es", "summary_es", "body_es"):
            assert getattr(topic, field), (topic.slug, field)
        assert topic.title_es != topic.title_en, topic.slug
        assert all(part.strip() for part in _paragraphs(topic.body_es)), topic.slug
        assert len(_paragraphs(topic.body_es)) == len(_paragraphs(topic.body_en)), topic.slug


def test_english_is_in_the_english_columns_after_migrate():
    for spec in TOPICS:
        topic = Topic.objects.get(slug=spec["slug"])
        assert topic.title_en == spec["title"]
        assert _paragraphs(topic.body_en) == list(spec["body"])


def test_reading_in_spanish_gives_the_spanish_texts():
    with translation.override("es"):
        topic = Topic.objects.get(slug="when-to-seek-emergency-care")
        assert topic.title == "Cuándo buscar atención de emergencia"
        assert topic.body == topic.body_es
    with translation.override("en"):
        assert Topic.objects.get(slug="keep-moving").title.startswith("Rest no more")


def test_reloading_the_topics_keeps_english_and_spanish():
    Topic.objects.filter(slug="herniated-disc").update(title_en="", title_es="")
    load_topics(apps)
    topic = Topic.objects.get(slug="herniated-disc")
    assert (topic.title_en, topic.title_es) == (
        "Sciatica from a herniated disc",
        "Ciática por hernia de disco",
    )
