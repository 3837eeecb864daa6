"""Loads the education topics from topics.py, by slug.

Takes an app registry so the same code serves the data migration (historical models)
and the running project (`django.apps.apps`). Loading twice changes nothing; unloading
removes only the seeded slugs, so topics added in the admin stay.
"""

from __future__ import annotations

from django.apps.registry import Apps

from .topics import TOPICS


def load_topics(apps: Apps) -> None:
    Topic = apps.get_model("education", "Topic")
    for spec in TOPICS:
        Topic.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "summary": spec["summary"],
                "body": "\n\n".join(spec["body"]),
                "causes": list(spec["causes"]),
                "phases": list(spec["phases"]),
                "order": spec["order"],
                "is_active": True,
            },
        )


def unload_topics(apps: Apps) -> None:
    Topic = apps.get_model("education", "Topic")
    Topic.objects.filter(slug__in=[spec["slug"] for spec in TOPICS]).delete()
