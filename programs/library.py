"""Reads of the exercise library for prescribing: a template's dosed exercises, and which
exercises are contraindicated for a diagnosed cause."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from patients.models import Diagnosis

from .models import Contraindication, Exercise, ProgramTemplate


@dataclass(frozen=True)
class ExerciseDose:
    """One exercise of a program with its dosage; `phase` counts from 1."""

    exercise: Exercise
    phase: int = 1
    order: int = 0
    dosage: dict[str, int | None] = field(default_factory=dict)


def contraindications_for(*, exercises: Sequence[Exercise], cause: str) -> list[Contraindication]:
    """The contraindications among `exercises` for a cause, in program order."""
    found = {
        c.exercise_id: c
        for c in Contraindication.objects.filter(
            exercise__in=[e.pk for e in exercises], cause=cause
        ).select_related("exercise")
    }
    seen: set[int] = set()
    result = []
    for exercise in exercises:
        if exercise.pk in found and exercise.pk not in seen:
            seen.add(exercise.pk)
            result.append(found[exercise.pk])
    return result


def template_doses(template: ProgramTemplate) -> list[ExerciseDose]:
    doses = []
    for phase in template.phases.prefetch_related("exercises__exercise"):
        for item in phase.exercises.all():
            doses.append(
                ExerciseDose(
                    exercise=item.exercise, phase=phase.number, order=item.order, dosage=item.dosage
                )
            )
    return doses


def template_warnings(diagnosis: Diagnosis) -> str:
    """Which templates hold exercises contraindicated for the diagnosed cause."""
    lines = []
    for template in ProgramTemplate.objects.filter(is_active=True):
        exercises = [dose.exercise for dose in template_doses(template)]
        found = contraindications_for(exercises=exercises, cause=diagnosis.cause)
        if found:
            names = ", ".join(c.exercise.name for c in found)
            lines.append(f"{template.name}: {names}")
    if not lines:
        return f"No template holds exercises contraindicated for {diagnosis.get_cause_display()}."
    return (
        f"Contraindicated for {diagnosis.get_cause_display().lower()} (needs an override "
        f"reason): " + "; ".join(lines) + "."
    )
