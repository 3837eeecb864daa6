"""The exercise library, programs and the sessions patients log against them."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

import factory
from django.utils import timezone

from core.localtime import local_today, patient_zone
from patients.models import Cause, Diagnosis, Patient
from practice.models import StaffMember
from programs import services as program_services
from programs.models import (
    Category,
    Contraindication,
    Exercise,
    ExerciseMedia,
    MediaKind,
    PrescribedExercise,
    Prescription,
    ProgramKind,
    ProgramPhase,
    ProgramTemplate,
    TemplateExercise,
)
from programs.session_models import ExerciseSession

from .patients import make_diagnosis

# Library content is edited in the admin, with no rule beyond the model's own: factories.


class ExerciseFactory(factory.django.DjangoModelFactory[Exercise]):
    class Meta:
        model = Exercise

    slug = factory.Sequence(lambda n: f"test-exercise-{n}")
    name = factory.Sequence(lambda n: f"Test exercise {n}")
    category = Category.STRETCHING
    summary = "A gentle stretch."
    instructions = "Lie on your back.\nBring one knee to the chest.\nHold, then switch."
    sets = 2
    reps = 10


class ContraindicationFactory(factory.django.DjangoModelFactory[Contraindication]):
    class Meta:
        model = Contraindication

    exercise = factory.SubFactory(ExerciseFactory)
    cause = Cause.SPONDYLOLISTHESIS
    reason = "Loads the pars interarticularis."


class ExerciseMediaFactory(factory.django.DjangoModelFactory[ExerciseMedia]):
    """A linked video for every language; pass `static_path` (and `url=""`) for a
    shipped drawing."""

    class Meta:
        model = ExerciseMedia

    exercise = factory.SubFactory(ExerciseFactory)
    kind = MediaKind.VIDEO
    url = factory.Sequence(lambda n: f"https://videos.example.org/exercise-{n}.mp4")
    caption = "How to do it."


class ProgramTemplateFactory(factory.django.DjangoModelFactory[ProgramTemplate]):
    class Meta:
        model = ProgramTemplate

    slug = factory.Sequence(lambda n: f"test-program-{n}")
    name = factory.Sequence(lambda n: f"Test program {n}")
    kind = ProgramKind.STRETCHING
    description = "A program built for a test."


class ProgramPhaseFactory(factory.django.DjangoModelFactory[ProgramPhase]):
    class Meta:
        model = ProgramPhase

    template = factory.SubFactory(ProgramTemplateFactory)
    number = factory.LazyAttribute(lambda phase: phase.template.phases.count() + 1)
    name = factory.LazyAttribute(lambda phase: f"Phase {phase.number}")


class TemplateExerciseFactory(factory.django.DjangoModelFactory[TemplateExercise]):
    class Meta:
        model = TemplateExercise

    phase = factory.SubFactory(ProgramPhaseFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.LazyAttribute(lambda item: item.phase.exercises.count())
    sets = 2
    reps = 10


# Programs and sessions carry the clinical rules: made through the services.


def make_prescription(
    *,
    diagnosis: Diagnosis | None = None,
    prescribed_by: StaffMember | None = None,
    template_slug: str = "mckenzie-extension",
    **kwargs: Any,
) -> Prescription:
    diagnosis = diagnosis or make_diagnosis(diagnosed_by=prescribed_by)
    prescribed_by = prescribed_by or diagnosis.diagnosed_by
    assert prescribed_by is not None, "the diagnosis names no clinician to prescribe"
    kwargs.setdefault("weekdays", list(range(7)))
    kwargs.setdefault("reminder_times", ["08:00", "18:00"])
    # The patient's today, not the server's: after midnight UTC they differ, and a
    # session logged "now" must not come before the program's first day.
    kwargs.setdefault("start_date", local_today(patient_zone(diagnosis.patient)))
    return program_services.program_prescribe(
        patient=diagnosis.patient,
        diagnosis=diagnosis,
        template=ProgramTemplate.objects.get(slug=template_slug),
        prescribed_by=prescribed_by,
        **kwargs,
    )


def make_prescribed_exercise(
    *,
    prescription: Prescription | None = None,
    exercise: Exercise | None = None,
    actor: StaffMember | None = None,
    **kwargs: Any,
) -> PrescribedExercise:
    """An exercise added to a program (a new one of the library unless given)."""
    prescription = prescription or make_prescription()
    return program_services.prescription_add_exercise(
        prescription=prescription,
        exercise=exercise or ExerciseFactory.create(),
        actor=actor or prescription.prescribed_by,
        **kwargs,
    )


def make_session(
    *,
    patient: Patient | None = None,
    performed_at: datetime.datetime | None = None,
    pain_extent: str = "thigh",
    exercises: Sequence[program_services.ExerciseDone] = (),
    **pain: Any,
) -> ExerciseSession:
    """A session the app logged against the patient's open program, with its exercises
    (one set of the program's first exercise unless given) and its pain readings
    (`leg_pain_before=...` and the like; leg pain 4 before and 3 after unless given)."""
    patient = patient or make_prescription().patient
    if not exercises:
        program = patient.prescriptions.get(status__in=Prescription.OPEN_STATUSES)
        first = program.exercises.order_by("phase", "order", "pk").first()
        assert first is not None, "the program has no exercise to log"
        exercises = [program_services.ExerciseDone(prescribed_exercise_id=first.pk, sets=1)]
    readings = pain or {"leg_pain_before": 4, "leg_pain_after": 3}
    session, _ = program_services.session_log(
        patient=patient,
        client_id=uuid.uuid4(),
        performed_at=performed_at or timezone.now() - datetime.timedelta(hours=1),
        pain_extent=pain_extent,
        exercises=exercises,
        **readings,
    )
    return session
