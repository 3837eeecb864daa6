"""Writes the topics' Spanish texts (topics_es.py) into the `_es` columns, by slug.

Historical models in data migrations have no translation descriptors, so the columns
are named explicitly. Topics added in the admin are left alone.
"""

from __future__ import annotations

from typing import Any

from .topics_es import TOPICS_ES


def load_spanish(apps: Any) -> None:
    """Writes the Spanish columns of the topics."""
    Topic = apps.get_model("education", "Topic")
    # The first seeding migration loads the topics before the `_es` columns exist;
    # the later Spanish migration fills them.
    if not any(field.name == "title_es" for field in Topic._meta.get_fields()):
        return
    for slug, text in TOPICS_ES.items():
        Topic.objects.filter(slug=slug).update(
            title_es=text["title"],
            summary_es=text["summary"],
            body_es="\n\n".join(text["body"]),
        )
