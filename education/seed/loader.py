"""Loads the education topics from topics.py, by slug.

Takes an app registry so the same code serves the data migration (historical models)
and the running project (`django.apps.apps`). Loading twice changes nothing; unloading
removes only the seeded slugs, so topics added in the admin stay.
"""

from __future__ import annotations

from django.apps.registry import Apps

from .spanish import load_spanish
from .topics import TOPICS


def load_topics(apps: Apps) -> None:
    Topic = apps.get_model("education", "Topic")
    # Historical models have no translation descriptors: the original column and the
    # `_en` one are both written, so either way of reading finds English. The first
    # seeding migration runs before the `_en` columns exist.
    columns = {field.name for field in Topic._meta.get_fields()}
    for spec in TOPICS:
        english = {
            "title": spec["title"],
            "summary": spec["summary"],
            "body": "\n\n".join(spec["body"]),
        }
        Topic.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                **english,
                **{f"{f}_en": text for f, text in english.items() if f"{f}_en" in columns},
                "causes": list(spec["causes"]),
                "phases": list(spec["phases"]),
                "order": spec["order"],
                "is_active": True,
            },
        )
    load_spanish(apps)


def unload_topics(apps: Apps) -> None:
    Topic = apps.get_model("education", "Topic")
    Topic.objects.filter(slug__in=[spec["slug"] for spec in TOPICS]).delete()
