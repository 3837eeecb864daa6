"""Prescribing a program: copied from the template, refused when it is not safe or allowed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.records import HardDeleteRefused
from patients.models import Cause, Patient, Side
from patients.services import patient_set_status
from practice.models import Role
from programs.models import (
    Contraindication,
    Exercise,
    PrescribedExercise,
    Prescription,
    ProgramTemplate,
    TemplateExercise,
)
from programs.schedule import default_start_date
from programs.services import (
    ContraindicationError,
    prescription_set_status,
    program_prescribe,
)
from tests.factories import make_diagnosis, make_patient, make_prescription, make_staff

pytestmark = pytest.mark.django_db

MCKENZIE = "mckenzie-extension"
DLS = "dynamic-lumbar-stabilization"
OVERRIDE = "Stable grade I slip on flexion-extension films; progressed below symptom threshold."


def _template_rows(template: ProgramTemplate) -> list[tuple]:
    return [
        (te.phase.number, te.order, te.exercise_id, te.dosage)
        for te in TemplateExercise.objects.filter(phase__template=template).order_by(
            "phase__number", "order"
        )
    ]


def _prescribed_rows(prescription: Prescription) -> list[tuple]:
    return [
        (pe.phase, pe.order, pe.exercise_id, pe.dosage)
        for pe in prescription.exercises.order_by("phase", "order")
    ]


@pytest.fixture
def spondy_diagnosis(patient, therapist):
    return make_diagnosis(
        patient=patient,
        diagnosed_by=therapist,
        cause=Cause.SPONDYLOLISTHESIS,
        side=Side.BILATERAL,
        icd10_code="M43.16",
    )


def _contraindicated_in(template_slug: str, cause: str) -> list[Contraindication]:
    return list(
        Contraindication.objects.filter(
            cause=cause,
            exercise__in=TemplateExercise.objects.filter(
                phase__template__slug=template_slug
            ).values("exercise"),
        ).select_related("exercise")
    )


def test_the_seeded_templates_exist_with_phases_and_exercises():
    for slug in (MCKENZIE, DLS):
        template = ProgramTemplate.objects.get(slug=slug)
        assert template.is_active
        assert template.phases.exists()
        assert _template_rows(template)


def test_prescribing_a_template_copies_its_phases_and_doses(diagnosis, therapist):
    template = ProgramTemplate.objects.get(slug=MCKENZIE)
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    prescription.refresh_from_db()
    assert prescription.template == template
    assert prescription.name == template.name
    assert prescription.status == Prescription.Status.ACTIVE
    assert prescription.current_phase == 1
    assert prescription.phase_names == [p.name for p in template.phases.order_by("number")]
    assert prescription.current_phase_name == template.phases.get(number=1).name
    assert _prescribed_rows(prescription) == _template_rows(template)
    assert prescription.prescribed_by == therapist
    assert prescription.start_date == default_start_date(diagnosis.patient)


def test_prescribing_records_the_prescriber_as_history_author(diagnosis, therapist):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    assert prescription.history.get().history_user == therapist.user
    item = prescription.exercises.first()
    assert item.history.get().history_user == therapist.user


def test_editing_the_template_afterwards_does_not_change_the_prescription(diagnosis, therapist):
    template = ProgramTemplate.objects.get(slug=MCKENZIE)
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    before_rows = _prescribed_rows(prescription)
    before_names = list(prescription.phase_names)

    first = TemplateExercise.objects.filter(phase__template=template).order_by("pk").first()
    first.reps = 99
    first.sets = 9
    first.save()
    other = Exercise.objects.exclude(
        pk__in=TemplateExercise.objects.filter(phase__template=template).values("exercise")
    ).first()
    TemplateExercise.objects.create(phase=first.phase, exercise=other, order=50, reps=3)
    phase = template.phases.get(number=1)
    phase.name = "Renamed by an editor"
    phase.save()

    prescription.refresh_from_db()
    assert _prescribed_rows(prescription) == before_rows
    assert prescription.phase_names == before_names


def test_editing_an_exercise_default_dosage_does_not_change_the_prescription(diagnosis, therapist):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    before = _prescribed_rows(prescription)
    Exercise.objects.filter(pk__in=prescription.exercises.values("exercise")).update(
        reps=77, sets=7, minutes=77
    )
    assert _prescribed_rows(prescription) == before


def test_a_herniated_disc_needs_no_override_for_the_mckenzie_program(diagnosis, therapist):
    assert diagnosis.cause == Cause.HERNIATED_DISC
    assert _contraindicated_in(MCKENZIE, Cause.HERNIATED_DISC) == []
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    assert not prescription.exercises.exclude(contraindication_override="").exists()


def test_stabilization_for_spondylolisthesis_without_override_is_refused_naming_the_exercise(
    spondy_diagnosis, therapist
):
    contraindicated = _contraindicated_in(DLS, Cause.SPONDYLOLISTHESIS)
    assert contraindicated, "the seed library marks a DLS exercise unsafe for spondylolisthesis"
    with pytest.raises(ContraindicationError) as exc:
        make_prescription(diagnosis=spondy_diagnosis, prescribed_by=therapist, template_slug=DLS)
    message = exc.value.message_dict["override_reason"][0]
    assert "contraindicated for spondylolisthesis" in message
    for c in contraindicated:
        assert c.exercise.name in message
        assert c.reason in message
    assert {c.pk for c in exc.value.contraindications} == {c.pk for c in contraindicated}
    assert not Prescription.objects.exists()
    assert not PrescribedExercise.objects.exists()


def test_a_blank_override_reason_counts_as_none(spondy_diagnosis, therapist):
    with pytest.raises(ContraindicationError):
        make_prescription(
            diagnosis=spondy_diagnosis,
            prescribed_by=therapist,
            template_slug=DLS,
            override_reason="   \n ",
        )
    assert not Prescription.objects.exists()


def test_stabilization_for_spondylolisthesis_with_override_stores_the_reason_on_those_exercises(
    spondy_diagnosis, therapist
):
    contraindicated_ids = {c.exercise_id for c in _contraindicated_in(DLS, Cause.SPONDYLOLISTHESIS)}
    prescription = make_prescription(
        diagnosis=spondy_diagnosis,
        prescribed_by=therapist,
        template_slug=DLS,
        override_reason=f"  {OVERRIDE}  ",
    )
    items = list(prescription.exercises.all())
    assert _prescribed_rows(prescription) == _template_rows(ProgramTemplate.objects.get(slug=DLS))
    overridden = [i for i in items if i.exercise_id in contraindicated_ids]
    others = [i for i in items if i.exercise_id not in contraindicated_ids]
    assert overridden
    assert {i.contraindication_override for i in overridden} == {OVERRIDE}
    assert {i.contraindication_override for i in others} <= {""}


def test_front_desk_cannot_prescribe(diagnosis, front_desk):
    with pytest.raises(ValidationError) as exc:
        make_prescription(diagnosis=diagnosis, prescribed_by=front_desk)
    assert "cannot prescribe" in exc.value.message_dict["prescribed_by"][0]
    assert not Prescription.objects.exists()


def test_a_clinic_admin_cannot_prescribe(clinic, diagnosis):
    admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN)
    with pytest.raises(ValidationError):
        make_prescription(diagnosis=diagnosis, prescribed_by=admin)
    assert not Prescription.objects.exists()


def test_an_athletic_trainer_may_prescribe(clinic, diagnosis):
    trainer = make_staff(clinic=clinic, role=Role.ATHLETIC_TRAINER)
    assert make_prescription(diagnosis=diagnosis, prescribed_by=trainer).prescribed_by == trainer


def test_a_prescriber_from_another_clinic_is_refused(diagnosis, other_therapist):
    with pytest.raises(ValidationError) as exc:
        make_prescription(diagnosis=diagnosis, prescribed_by=other_therapist)
    assert exc.value.message_dict == {"prescribed_by": ["Not found in this clinic."]}
    assert not Prescription.objects.exists()


def test_a_diagnosis_of_another_patient_is_refused(clinic, patient, therapist):
    someone_else = make_patient(clinic=clinic, first_name="Jo")
    their_diagnosis = make_diagnosis(patient=someone_else, diagnosed_by=therapist)
    with pytest.raises(ValidationError) as exc:
        program_prescribe(
            patient=patient,
            diagnosis=their_diagnosis,
            template=ProgramTemplate.objects.get(slug=MCKENZIE),
            prescribed_by=therapist,
            start_date=timezone.localdate(),
            weekdays=[0, 2, 4],
            reminder_times=["08:00"],
        )
    assert "diagnosis" in exc.value.message_dict
    assert not Prescription.objects.exists()


def test_only_one_open_program_per_patient(diagnosis, therapist):
    first = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    with pytest.raises(ValidationError, match="already has an open program"):
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist, template_slug=DLS)
    assert list(Prescription.objects.all()) == [first]


def test_a_paused_program_still_counts_as_open(diagnosis, therapist):
    first = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    prescription_set_status(
        prescription=first, status=Prescription.Status.PAUSED, actor=therapist.user
    )
    with pytest.raises(ValidationError, match="already has an open program"):
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    assert Prescription.objects.count() == 1


@pytest.mark.parametrize("closing", [Prescription.Status.COMPLETED, Prescription.Status.STOPPED])
def test_after_completing_or_stopping_a_new_program_may_be_prescribed(
    diagnosis, therapist, closing
):
    first = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    prescription_set_status(prescription=first, status=closing, actor=therapist.user)
    second = make_prescription(diagnosis=diagnosis, prescribed_by=therapist, template_slug=DLS)
    assert second.status == Prescription.Status.ACTIVE
    assert Prescription.objects.filter(patient=diagnosis.patient).count() == 2


def test_the_database_also_refuses_a_second_open_program(diagnosis, therapist):
    first = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    with pytest.raises(IntegrityError), transaction.atomic():
        Prescription.objects.create(
            patient=first.patient,
            diagnosis=diagnosis,
            name="Sneaked in",
            prescribed_by=therapist,
            start_date=first.start_date,
        )


@pytest.mark.parametrize("status", [Patient.Status.DISCHARGED, Patient.Status.ARCHIVED])
def test_a_patient_who_is_not_active_cannot_be_prescribed(patient, diagnosis, therapist, status):
    patient_set_status(patient=patient, status=status)
    with pytest.raises(ValidationError, match=status.label.lower()):
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    assert not Prescription.objects.exists()


def test_a_retired_template_cannot_be_prescribed(diagnosis, therapist):
    ProgramTemplate.objects.filter(slug=MCKENZIE).update(is_active=False)
    with pytest.raises(ValidationError) as exc:
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    assert "retired" in exc.value.message_dict["template"][0]


def test_a_bad_schedule_refuses_the_prescription_and_writes_nothing(diagnosis, therapist):
    with pytest.raises(ValidationError) as exc:
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist, weekdays=[7])
    assert "weekdays" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist, reminder_times=["25:00"])
    assert "reminder_times" in exc.value.message_dict
    assert not Prescription.objects.exists()


def test_the_schedule_is_stored_normalized(diagnosis, therapist):
    prescription = make_prescription(
        diagnosis=diagnosis,
        prescribed_by=therapist,
        weekdays=[4, "0", 2, 2],
        reminder_times=["18:00", "08:00", "08:00"],
    )
    prescription.refresh_from_db()
    assert prescription.weekdays == [0, 2, 4]
    assert prescription.reminder_times == ["08:00", "18:00"]


def test_a_prescription_is_never_deleted(diagnosis, therapist):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    with pytest.raises(HardDeleteRefused):
        prescription.delete()
    with pytest.raises(HardDeleteRefused):
        prescription.exercises.all().delete()
    assert Prescription.objects.filter(pk=prescription.pk).exists()
