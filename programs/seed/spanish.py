"""Writes the library's Spanish texts (library_es.py) into the `_es` columns, by slug.

Historical models in data migrations have no translation descriptors, so the columns
are named explicitly. Rows that are not seeded (added in the admin) are left alone.
"""

from __future__ import annotations

from typing import Any

from .library_es import EXERCISES_ES, TEMPLATES_ES


def load_spanish(apps: Any) -> None:
    """Writes the Spanish columns of the exercises, templates and phases."""
    Exercise = apps.get_model("programs", "Exercise")
    ProgramTemplate = apps.get_model("programs", "ProgramTemplate")
    ProgramPhase = apps.get_model("programs", "ProgramPhase")
    if not _has_spanish(Exercise):
        return

    for slug, text in EXERCISES_ES.items():
        Exercise.objects.filter(slug=slug).update(
            name_es=text["name"],
            summary_es=text["summary"],
            instructions_es="\n".join(text["instructions"]),
        )
    for slug, text in TEMPLATES_ES.items():
        ProgramTemplate.objects.filter(slug=slug).update(
            name_es=text["name"], description_es=text["description"]
        )
        for number, phase in text["phases"].items():
            ProgramPhase.objects.filter(template__slug=slug, number=number).update(
                name_es=phase["name"], goal_es=phase["goal"]
            )


def _has_spanish(model: Any) -> bool:
    # The first seeding migration loads the library before the `_es` columns exist;
    # the later Spanish migration fills them.
    return any(field.name == "name_es" for field in model._meta.get_fields())
