"""Writing a plan of care and its goals, and recording the physician's certification.

A new plan for a patient who has one replaces it (a recertification, or a changed
plan): the old one is kept, marked superseded by the new.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.dates import check_record_date
from core.records import record_save
from patients.models import Patient
from practice.models import StaffMember
from practice.tenancy import ensure_same_clinic

from .plan_models import MAX_WEEKS, Goal, PlanOfCare, SignatureStatus


@dataclass(frozen=True)
class GoalInput:
    term: str
    description: str
    measure: str
    target_date: datetime.date


def _check_clinician(staff: StaffMember, patient: Patient) -> None:
    ensure_same_clinic(patient.clinic, staff_member=staff)
    if not staff.is_clinician:
        raise PermissionDenied("Only a clinician writes a plan of care.")


def current_plan(*, patient: Patient) -> PlanOfCare | None:
    """The plan in force: the latest one not replaced by another."""
    return (
        PlanOfCare.objects.filter(patient=patient, superseded_by__isnull=True)
        .order_by("-starts_on", "-id")
        .first()
    )


def _goal(plan: PlanOfCare, goal: GoalInput) -> Goal:
    check_record_date(goal.target_date, field="goals", label="target date")
    if goal.target_date < plan.starts_on:
        raise ValidationError({"goals": "A goal's target date is on or after the plan's start."})
    return Goal(
        plan=plan,
        term=goal.term,
        description=goal.description.strip(),
        measure=goal.measure.strip(),
        target_date=goal.target_date,
    )


@transaction.atomic
def plan_of_care_create(
    *,
    patient: Patient,
    therapist: StaffMember,
    starts_on: datetime.date,
    visits_per_week: int,
    weeks: int,
    physician_name: str,
    physician_npi: str = "",
    goals: Sequence[GoalInput] = (),
) -> PlanOfCare:
    patient = Patient.objects.select_for_update().select_related("clinic").get(pk=patient.pk)
    _check_clinician(therapist, patient)
    check_record_date(starts_on, field="starts_on", label="start of the plan")
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError({"weeks": f"A plan runs 1 to {MAX_WEEKS} weeks."})
    previous = current_plan(patient=patient)
    plan = PlanOfCare(
        patient=patient,
        therapist=therapist,
        starts_on=starts_on,
        visits_per_week=visits_per_week,
        weeks=weeks,
        ends_on=starts_on + datetime.timedelta(weeks=weeks, days=-1),
        physician_name=physician_name.strip(),
        physician_npi=physician_npi.strip(),
    )
    record_save(plan, actor=therapist.user)
    for goal in goals:
        record_save(_goal(plan, goal), actor=therapist.user)
    if previous is not None:
        previous.superseded_by = plan
        record_save(previous, actor=therapist.user, update_fields=["superseded_by"])
    return plan


@transaction.atomic
def plan_of_care_mark_sent(*, plan: PlanOfCare, staff_member: StaffMember) -> PlanOfCare:
    """The plan went to the physician for signature."""
    plan = PlanOfCare.objects.select_for_update().select_related("patient__clinic").get(pk=plan.pk)
    ensure_same_clinic(plan.patient.clinic, staff_member=staff_member)
    if plan.signature_status == SignatureStatus.SIGNED:
        raise ValidationError("This plan is already signed.")
    plan.signature_status = SignatureStatus.SENT
    record_save(plan, actor=staff_member.user, update_fields=["signature_status"])
    return plan


@transaction.atomic
def plan_of_care_certify(
    *, plan: PlanOfCare, staff_member: StaffMember, certified_on: datetime.date
) -> PlanOfCare:
    """Record the physician's signature and its date: a day from the plan's start to its
    end (whether it came within the timely 30 days is visits.deadlines')."""
    plan = PlanOfCare.objects.select_for_update().select_related("patient__clinic").get(pk=plan.pk)
    ensure_same_clinic(plan.patient.clinic, staff_member=staff_member)
    if plan.signature_status == SignatureStatus.SIGNED:
        raise ValidationError(f"This plan was certified on {plan.certified_on}.")
    check_record_date(certified_on, field="certified_on", label="date of certification")
    if not plan.starts_on <= certified_on <= plan.ends_on:
        raise ValidationError(
            {"certified_on": "A plan is certified on a day from its start to its end."}
        )
    plan.signature_status = SignatureStatus.SIGNED
    plan.certified_on = certified_on
    record_save(plan, actor=staff_member.user, update_fields=["signature_status", "certified_on"])
    return plan


@transaction.atomic
def goal_add(*, plan: PlanOfCare, therapist: StaffMember, goal: GoalInput) -> Goal:
    _check_clinician(therapist, plan.patient)
    row = _goal(plan, goal)
    record_save(row, actor=therapist.user)
    return row


@transaction.atomic
def goal_set_status(*, goal: Goal, therapist: StaffMember, status: str) -> Goal:
    goal = Goal.objects.select_for_update().select_related("plan__patient__clinic").get(pk=goal.pk)
    _check_clinician(therapist, goal.plan.patient)
    if status not in Goal.Status.values:
        raise ValidationError({"status": f"Choose one of {', '.join(Goal.Status.values)}."})
    goal.status = status
    record_save(goal, actor=therapist.user, update_fields=["status"])
    return goal
