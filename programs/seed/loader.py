"""Loads the exercise library and program templates from library.py, by slug.

Takes an app registry so the same code serves data migrations (historical models)
and the running project (`django.apps.apps`). Loading twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from .library import EXERCISES, TEMPLATES
from .spanish import load_spanish

DOSAGE_KEYS = ("sets", "reps", "hold_seconds", "minutes", "times_per_day")


def load_library(apps: Any) -> None:
    """Loads the library in English and then its Spanish texts."""
    Exercise = apps.get_model("programs", "Exercise")
    Contraindication = apps.get_model("programs", "Contraindication")
    ProgramTemplate = apps.get_model("programs", "ProgramTemplate")
    ProgramPhase = apps.get_model("programs", "ProgramPhase")
    TemplateExercise = apps.get_model("programs", "TemplateExercise")

    exercises = {}
    for spec in EXERCISES:
        exercise, _ = Exercise.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                **_with_english(
                    Exercise,
                    name=spec["name"],
                    summary=spec["summary"],
                    instructions="\n".join(spec["instructions"]),
                ),
                "category": spec["category"],
                "methods": list(spec["methods"]),
                **{key: spec["dosage"][key] for key in DOSAGE_KEYS},
            },
        )
        exercises[exercise.slug] = exercise
        Contraindication.objects.filter(exercise=exercise).delete()
        Contraindication.objects.bulk_create(
            Contraindication(exercise=exercise, cause=c["cause"], reason=c["reason"])
            for c in spec["contraindications"]
        )

    for spec in TEMPLATES:
        template, _ = ProgramTemplate.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                **_with_english(
                    ProgramTemplate, name=spec["name"], description=spec["description"]
                ),
                "kind": spec["method"],
            },
        )
        # Prescriptions copy a template when they are made, so rebuilding its phases
        # never changes a patient's program.
        TemplateExercise.objects.filter(phase__template=template).delete()
        ProgramPhase.objects.filter(template=template).delete()
        for number, phase_spec in enumerate(spec["phases"], start=1):
            phase = ProgramPhase.objects.create(
                template=template,
                number=number,
                **_with_english(
                    ProgramPhase, name=phase_spec["name"], goal=phase_spec.get("goal", "")
                ),
                weeks=phase_spec["weeks"],
            )
            TemplateExercise.objects.bulk_create(
                TemplateExercise(
                    phase=phase,
                    exercise=exercises[item["exercise"]],
                    order=order,
                    **{key: item.get(key) for key in DOSAGE_KEYS},
                )
                for order, item in enumerate(phase_spec["exercises"])
            )
    load_spanish(apps)


def _with_english(model: Any, **texts: str) -> dict[str, str]:
    # Historical models have no translation descriptors: the original column and the
    # `_en` one are both written, so either way of reading finds English. The first
    # seeding migration runs before the `_en` columns exist.
    columns = {field.name for field in model._meta.get_fields()}
    english = {f"{field}_en": text for field, text in texts.items() if f"{field}_en" in columns}
    return {**texts, **english}
