"""The columns django-modeltranslation adds beside a translated field."""

from __future__ import annotations

from django.conf import settings


def translation_columns(*fields: str) -> list[str]:
    """`name_en`, `name_es`, ... for each field: what a model's history leaves out, since
    django-simple-history builds the historical model before the translations are
    registered. The history keeps the original column: the text as last saved, in the
    language active then."""
    return [f"{field}_{code}" for field in fields for code, _ in settings.LANGUAGES]
