"""The seeded library in Spanish: every translated field filled, line for line."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation

from programs.models import Exercise, ProgramPhase, ProgramTemplate
from programs.seed.library import EXERCISES, TEMPLATES
from programs.seed.loader import load_library
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

SEEDED = [spec["slug"] for spec in EXERCISES]


def _lines(text: str | None) -> list[str]:
    return (text or "").split("\n")


def test_every_seeded_exercise_has_spanish_in_every_field_after_migrate():
    exercises = Exercise.objects.filter(slug__in=SEEDED)
    assert exercises.count() == len(EXERCISES)
    for exercise in exercises:
        for field in ("name_es", "summary_es", "instructions_es"):
            assert getattr(exercise, field), (exercise.slug, field)
        assert exercise.name_es != exercise.name_en, exercise.slug
        assert all(line.strip() for line in _lines(exercise.instructions_es)), exercise.slug
        assert len(_lines(exercise.instructions_es)) == len(_lines(exercise.instructions_en)), (
            exercise.slug
        )


def test_every_seeded_template_and_phase_has_spanish_after_migrate():
    templates = ProgramTemplate.objects.filter(slug__in=[spec["slug"] for spec in TEMPLATES])
    assert templates.count() == len(TEMPLATES)
    for template in templates:
        assert template.name_es, template.slug
        assert template.description_es, template.slug
    phases = ProgramPhase.objects.filter(template__in=templates)
    assert phases.count() == sum(len(spec["phases"]) for spec in TEMPLATES)
    for phase in phases:
        assert phase.name_es, (phase.template.slug, phase.number)
        assert phase.goal_es or not phase.goal_en, (phase.template.slug, phase.number)


def test_english_is_in_the_english_columns_after_migrate():
    for spec in EXERCISES:
        exercise = Exercise.objects.get(slug=spec["slug"])
        assert exercise.name_en == spec["name"]
        assert _lines(exercise.instructions_en) == list(spec["instructions"])


def test_reading_in_spanish_gives_the_spanish_texts():
    with translation.override("es"):
        exercise = Exercise.objects.get(slug="prone-lying")
        template = ProgramTemplate.objects.get(slug="mckenzie-extension")
        phase = ProgramPhase.objects.get(template=template, number=1)
        assert exercise.name == "Acostado boca abajo"
        assert exercise.summary == exercise.summary_es
        assert template.name == "Programa de extensión de McKenzie"
        assert phase.name == "Reducir y centralizar"
    with translation.override("en"):
        assert Exercise.objects.get(slug="prone-lying").name == "Prone lying"


def test_an_exercise_without_spanish_falls_back_to_english_field_by_field():
    exercise = ExerciseFactory(name_en="Wall sit", summary_en="Sitting against a wall.")
    Exercise.objects.filter(pk=exercise.pk).update(
        name_es="Sentadilla en la pared", summary_es=None
    )
    with translation.override("es"):
        exercise = Exercise.objects.get(pk=exercise.pk)
        assert exercise.name == "Sentadilla en la pared"
        assert exercise.summary == "Sitting against a wall."


def test_reloading_the_library_keeps_english_and_spanish():
    Exercise.objects.filter(slug="walking").update(name_en="", name_es="", name="")
    ProgramTemplate.objects.filter(slug="heat-and-cold").update(description_es="")
    load_library(apps)
    walking = Exercise.objects.get(slug="walking")
    assert (walking.name_en, walking.name_es) == ("Walking", "Caminar")
    assert ProgramTemplate.objects.get(slug="heat-and-cold").description_es
    phase = ProgramPhase.objects.get(template__slug="heat-and-cold", number=2)
    assert phase.name_es == "Aliviar la rigidez"
