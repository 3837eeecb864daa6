"""PlanDefinition for each program template, ActivityDefinition for each exercise."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.activitydefinition import ActivityDefinition
from fhir.resources.R4B.plandefinition import PlanDefinition

from interop.fhir import systems
from interop.fhir.resources import definitions
from patients.models import Cause
from programs.models import Category, Exercise, ProgramTemplate
from tests.factories.programs import (
    ContraindicationFactory,
    ExerciseFactory,
    ProgramPhaseFactory,
    ProgramTemplateFactory,
    TemplateExerciseFactory,
)

pytestmark = pytest.mark.django_db

SNOMED = "http://snomed.info/sct"


def _activity(exercise: Exercise) -> dict:
    row = definitions.exercise_rows(None).get(pk=exercise.pk)
    resource = definitions.render_activity(row)
    ActivityDefinition.model_validate(resource)
    return resource


def _plan(template: ProgramTemplate) -> dict:
    row = definitions.template_rows(None).get(pk=template.pk)
    resource = definitions.render_plan(row)
    PlanDefinition.model_validate(resource)
    return resource


def test_activity_definition_names_the_exercise_by_its_slug_with_steps_and_dosage():
    exercise = ExerciseFactory.create(
        slug="test-dead-bug",
        name="Dead bug",
        category=Category.STRENGTHENING,
        methods=["stabilization"],
        sets=2,
        reps=8,
        hold_seconds=5,
        times_per_day=2,
        minutes=None,
    )
    resource = _activity(exercise)
    assert resource["url"] == systems.canonical("ActivityDefinition", "test-dead-bug")
    assert resource["name"] == "TestDeadBug"
    assert resource["title"] == "Dead bug"
    assert resource["status"] == "active"
    assert resource["kind"] == "ServiceRequest"
    assert "1. Lie on your back.\n2. Bring one knee to the chest." in resource["description"]
    assert "Default dosage: 2 x 8, hold 5 s, 2x a day." in resource["usage"]
    assert resource["timingTiming"] == {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}
    assert resource["topic"][0]["coding"][0]["code"] == "stabilization"


def test_activity_definition_says_which_causes_the_exercise_is_not_for():
    exercise = ExerciseFactory.create()
    ContraindicationFactory.create(
        exercise=exercise, cause=Cause.SPONDYLOLISTHESIS, reason="Loads the pars."
    )
    ContraindicationFactory.create(
        exercise=exercise, cause=Cause.SPINAL_STENOSIS, reason="Extension narrows the canal."
    )
    usage = _activity(exercise)["usage"]
    assert "Not for spondylolisthesis: Loads the pars." in usage
    assert "Not for spinal stenosis: Extension narrows the canal." in usage


def test_activity_definition_without_contraindications_or_timing():
    exercise = ExerciseFactory.create(times_per_day=None, minutes=None, methods=[])
    resource = _activity(exercise)
    assert "No contraindicated cause" in resource["usage"]
    assert "timingTiming" not in resource
    assert "topic" not in resource


def test_a_timed_exercise_carries_its_minutes_as_the_timing_duration():
    exercise = ExerciseFactory.create(
        category=Category.LOW_IMPACT_AEROBIC, sets=None, reps=None, minutes=20
    )
    resource = _activity(exercise)
    assert resource["timingTiming"]["repeat"]["duration"] == 20
    assert resource["timingTiming"]["repeat"]["durationUnit"] == "min"


@pytest.mark.parametrize(
    ("category", "snomed"),
    [
        (Category.STRETCHING, "229070002"),
        (Category.STRENGTHENING, "266741004"),
        (Category.LOW_IMPACT_AEROBIC, "229072005"),
        (Category.MCKENZIE, "229065009"),
        (Category.SELF_CARE, None),
    ],
)
def test_activity_definition_codes_the_category(category, snomed):
    codings = _activity(ExerciseFactory.create(category=category))["code"]["coding"]
    found = [c["code"] for c in codings if c["system"] == SNOMED]
    assert found == ([snomed] if snomed else [])
    local = [c for c in codings if c["system"] != SNOMED]
    assert local[0]["system"] == systems.local_code_system("exercise-category")
    assert local[0]["code"] == category


def test_a_retired_exercise_is_still_served_as_retired():
    exercise = ExerciseFactory.create(is_active=False)
    assert _activity(exercise)["status"] == "retired"


def test_plan_definition_lists_each_phase_with_its_exercises_as_activity_definitions():
    template = ProgramTemplate.objects.get(slug="mckenzie-extension")
    resource = _plan(template)
    assert resource["url"] == systems.canonical("PlanDefinition", "mckenzie-extension")
    assert resource["name"] == "MckenzieExtension"
    assert resource["title"] == template.name
    assert resource["status"] == "active"
    assert resource["type"]["coding"][0]["code"] == "clinical-protocol"
    phases = list(template.phases.order_by("number"))
    assert [a["title"] for a in resource["action"]] == [
        f"Phase {p.number}: {p.name}" for p in phases
    ]
    first = phases[0]
    expected = [
        systems.canonical("ActivityDefinition", item.exercise.slug)
        for item in first.exercises.order_by("order", "pk")
    ]
    assert [a["definitionCanonical"] for a in resource["action"][0]["action"]] == expected
    second = resource["action"][1]
    assert second["relatedAction"] == [{"actionId": "phase-1", "relationship": "after-end"}]


def test_plan_definition_phase_goal_and_template_dosage():
    template = ProgramTemplateFactory.create(slug="walk-more", is_active=False)
    phase = ProgramPhaseFactory.create(template=template, name="Start", goal="Walk daily", weeks=3)
    ProgramPhaseFactory.create(template=template, name="Build", goal="")
    walk = ExerciseFactory.create(slug="test-walking", name="Walking")
    TemplateExerciseFactory.create(
        phase=phase, exercise=walk, sets=None, reps=None, minutes=15, times_per_day=1
    )
    resource = _plan(template)
    assert resource["status"] == "retired"
    assert resource["goal"] == [{"id": "goal-1", "description": {"text": "Walk daily"}}]
    start, build = resource["action"]
    assert start["goalId"] == ["goal-1"]
    assert "goalId" not in build
    assert "action" not in build
    assert start["timingDuration"]["value"] == 3
    child = start["action"][0]
    assert child["textEquivalent"] == "15 min, 1x a day"
    assert child["timingTiming"]["repeat"]["duration"] == 15


def test_a_template_without_phases_validates():
    resource = _plan(ProgramTemplateFactory.create())
    assert "action" not in resource
    assert "goal" not in resource


def test_every_seeded_definition_validates():
    for row in definitions.exercise_rows(None):
        ActivityDefinition.model_validate(definitions.render_activity(row))
    for row in definitions.template_rows(None):
        PlanDefinition.model_validate(definitions.render_plan(row))


@pytest.mark.parametrize(
    ("rows", "render"),
    [
        (definitions.exercise_rows, definitions.render_activity),
        (definitions.template_rows, definitions.render_plan),
    ],
)
def test_rendering_costs_the_same_queries_for_one_row_as_for_many(rows, render):
    for _ in range(5):
        template = ProgramTemplateFactory.create()
        phase = ProgramPhaseFactory.create(template=template)
        item = TemplateExerciseFactory.create(phase=phase)
        ContraindicationFactory.create(exercise=item.exercise)
    counts = []
    for size in (1, 5):
        with CaptureQueriesContext(connection) as queries:
            for row in rows(None).order_by("-pk")[:size]:
                render(row)
        counts.append(len(queries))
    assert counts[0] == counts[1]
