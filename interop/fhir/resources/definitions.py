"""PlanDefinition for each program template, ActivityDefinition for each exercise.

Both are definitions: they belong to no clinic, are the same for every reader, and are
named by canonical URL (their slug), which prescriptions' CarePlans and ServiceRequests
instantiate. Retired templates and exercises are served too, marked `retired`, so the
canonical of a program prescribed before the retirement still resolves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import translation

from interop.fhir import codes, systems
from interop.fhir.types import FhirType, Resource, Source, coding
from programs.models import (
    Category,
    Dosage,
    Exercise,
    ProgramPhase,
    ProgramTemplate,
    TemplateExercise,
)

PLAN_DEFINITION = "PlanDefinition"
ACTIVITY_DEFINITION = "ActivityDefinition"


def status(is_active: bool) -> str:
    return "active" if is_active else "retired"


def computable_name(slug: str) -> str:
    """FHIR's machine name (cnl-0: starts with a capital, letters, digits, `_`)."""
    return "".join(part.capitalize() for part in slug.replace("_", "-").split("-") if part)


def dosage_timing(dose: Dosage) -> Resource | None:
    """Times a day and minutes per bout as a Timing; sets, reps and holds have no place
    in Timing and go in the dosage text beside it."""
    repeat: Resource = {}
    if dose.times_per_day:
        repeat.update(frequency=dose.times_per_day, period=1, periodUnit="d")
    if dose.minutes:
        repeat.update(duration=dose.minutes, durationUnit="min")
    return {"repeat": repeat} if repeat else None


def dosage_text(dose: Dosage) -> str:
    # Other systems and staff read English, whatever language the request came in.
    with translation.override("en"):
        return dose.dosage_text


def exercise_code(category: str) -> Resource:
    """The exercise's kind: the SNOMED CT concept where one matches the category, and
    the category itself in this system's own code system."""
    found: list[Resource] = []
    snomed = codes.EXERCISE_CATEGORY_SNOMED.get(category)
    if snomed is not None:
        found.append(coding(systems.SNOMED, *snomed))
    found.append(
        coding(
            systems.local_code_system(codes.EXERCISE_CATEGORY_SYSTEM),
            category,
            str(Category(category).label),
        )
    )
    return {"coding": found, "text": str(Category(category).label)}


def _latest_change(model: Any) -> Subquery:
    """When the row's history last recorded a change: these models carry no
    `updated_at`. Weaker for templates: their phases and phase exercises keep no
    history, so editing only those leaves it as it was."""
    history = model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return Subquery(history.values("history_date")[:1])


def exercise_rows(clinic: object) -> QuerySet[Exercise]:
    return (
        Exercise.objects.annotate(fhir_changed=_latest_change(Exercise))
        .prefetch_related("contraindications")
        .order_by("pk")
    )


def _steps_markdown(exercise: Exercise) -> str:
    steps = "\n".join(f"{n}. {step}" for n, step in enumerate(exercise.steps, start=1))
    return f"{exercise.summary}\n\n{steps}" if steps else exercise.summary


def _usage(exercise: Exercise) -> str:
    parts = [f"Default dosage: {dosage_text(exercise)}."]
    contraindications = sorted(exercise.contraindications.all(), key=lambda c: c.cause)
    for item in contraindications:
        parts.append(f"Not for {item.get_cause_display().lower()}: {item.reason}")
    if not contraindications:
        parts.append("No contraindicated cause of sciatica recorded.")
    return "\n\n".join(parts)


def render_activity(exercise: Exercise) -> Resource:
    resource: Resource = {
        "resourceType": ACTIVITY_DEFINITION,
        "id": str(exercise.pk),
        "url": systems.canonical(ACTIVITY_DEFINITION, exercise.slug),
        "name": computable_name(exercise.slug),
        "title": exercise.name,
        "status": status(exercise.is_active),
        "description": _steps_markdown(exercise),
        "usage": _usage(exercise),
        # The HL7 Physical Activity IG orders exercise as a ServiceRequest.
        "kind": "ServiceRequest",
        "code": exercise_code(exercise.category),
    }
    if exercise.methods:
        system = systems.local_code_system(codes.EXERCISE_METHOD_SYSTEM)
        resource["topic"] = [{"coding": [coding(system, str(m))]} for m in exercise.methods]
    timing = dosage_timing(exercise)
    if timing is not None:
        resource["timingTiming"] = timing
    return resource


def template_rows(clinic: object) -> QuerySet[ProgramTemplate]:
    exercises = TemplateExercise.objects.select_related("exercise").order_by("order", "pk")
    phases = ProgramPhase.objects.order_by("number").prefetch_related(
        Prefetch("exercises", queryset=exercises)
    )
    return (
        ProgramTemplate.objects.annotate(fhir_changed=_latest_change(ProgramTemplate))
        .prefetch_related(Prefetch("phases", queryset=phases))
        .order_by("pk")
    )


def _phase_action(phase: ProgramPhase, previous: ProgramPhase | None) -> Resource:
    action: Resource = {
        "id": f"phase-{phase.number}",
        "prefix": str(phase.number),
        "title": f"Phase {phase.number}: {phase.name}",
        "timingDuration": {
            "value": phase.weeks,
            "unit": "wk",
            "system": systems.UCUM,
            "code": "wk",
        },
    }
    if phase.goal:
        action["goalId"] = [f"goal-{phase.number}"]
    if previous is not None:
        action["relatedAction"] = [
            {"actionId": f"phase-{previous.number}", "relationship": "after-end"}
        ]
    children = []
    for item in phase.exercises.all():
        child: Resource = {
            "title": item.exercise.name,
            "textEquivalent": dosage_text(item),
            "definitionCanonical": systems.canonical(ACTIVITY_DEFINITION, item.exercise.slug),
        }
        timing = dosage_timing(item)
        if timing is not None:
            child["timingTiming"] = timing
        children.append(child)
    if children:
        action["action"] = children
    return action


def plan_named(templates: QuerySet[ProgramTemplate]) -> set[str]:
    """The ActivityDefinitions these plans' actions name."""
    slugs = TemplateExercise.objects.filter(phase__template__in=templates.values("pk")).values_list(
        "exercise__slug", flat=True
    )
    return {systems.canonical(ACTIVITY_DEFINITION, slug) for slug in slugs}


def render_plan(template: ProgramTemplate) -> Resource:
    phases = list(template.phases.all())
    resource: Resource = {
        "resourceType": PLAN_DEFINITION,
        "id": str(template.pk),
        "url": systems.canonical(PLAN_DEFINITION, template.slug),
        "name": computable_name(template.slug),
        "title": template.name,
        "type": {
            "coding": [coding(codes.PLAN_DEFINITION_TYPE, "clinical-protocol", "Clinical Protocol")]
        },
        "status": status(template.is_active),
        "description": template.description,
        "topic": [
            {
                "coding": [
                    coding(
                        systems.local_code_system(codes.PROGRAM_KIND_SYSTEM),
                        template.kind,
                        template.get_kind_display(),
                    )
                ]
            }
        ],
    }
    goals = [
        {"id": f"goal-{phase.number}", "description": {"text": phase.goal}}
        for phase in phases
        if phase.goal
    ]
    if goals:
        resource["goal"] = goals
    actions = [_phase_action(phase, phases[n - 1] if n else None) for n, phase in enumerate(phases)]
    if actions:
        resource["action"] = actions
    return resource


TYPES: tuple[FhirType, ...] = (
    FhirType(
        name=PLAN_DEFINITION,
        sources=(
            Source(
                rows=template_rows,
                render=render_plan,
                last_updated="fhir_changed",
                canonical_key="slug",
                names=plan_named,
            ),
        ),
        documentation="Each program template: its phases in order, each phase's exercises "
        "as actions naming their ActivityDefinition, with the template's dosage.",
    ),
    FhirType(
        name=ACTIVITY_DEFINITION,
        sources=(
            Source(
                rows=exercise_rows,
                render=render_activity,
                last_updated="fhir_changed",
                canonical_key="slug",
            ),
        ),
        documentation="Each exercise of the library: steps, default dosage and the causes "
        "of sciatica it is contraindicated for.",
    ),
)
