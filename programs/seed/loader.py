"""Loads the exercise library and program templates from library.py, by slug.

Takes an app registry so the same code serves data migrations (historical models)
and the running project (`django.apps.apps`). Loading twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from .library import EXERCISES, TEMPLATES

DOSAGE_KEYS = ("sets", "reps", "hold_seconds", "minutes", "times_per_day")


def load_library(apps: Any) -> None:
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
                "name": spec["name"],
                "category": spec["category"],
                "methods": list(spec["methods"]),
                "summary": spec["summary"],
                "instructions": "\n".join(spec["instructions"]),
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
                "name": spec["name"],
                "kind": spec["method"],
                "description": spec["description"],
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
                name=phase_spec["name"],
                goal=phase_spec.get("goal", ""),
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
