"""A plan of care's certification and Medicare's progress-report count, in clinic days."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_attended_appointment, make_plan_of_care, make_visit_note
from visits import plans
from visits.plan_status import certification_problem, plan_status, treatment_days

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


def _visit_on(day: datetime.date, patient, therapist, kind: str = "daily"):
    """An attended visit at 10:00 New York time on `day`, with its signed note."""
    starts_at = datetime.datetime.combine(day, datetime.time(15, 0), UTC)
    appointment = make_attended_appointment(
        patient=patient, therapist=therapist, starts_at=starts_at
    )
    return make_visit_note(appointment=appointment, kind=kind, signed=True)


def test_a_plan_runs_its_weeks_from_its_first_day():
    plan = make_plan_of_care(starts_on=D(2026, 10, 1), weeks=6)
    assert plan.ends_on == D(2026, 11, 11)
    assert plan.goals.count() == 1


def test_a_new_plan_supersedes_the_one_in_force():
    first = make_plan_of_care(starts_on=D(2026, 9, 1))
    second = make_plan_of_care(
        patient=first.patient, therapist=first.therapist, starts_on=D(2026, 10, 13)
    )
    first.refresh_from_db()
    assert first.superseded_by == second
    assert plans.current_plan(patient=first.patient) == second


def test_a_plan_is_certified_once_and_before_it_ends():
    plan = make_plan_of_care(starts_on=D(2026, 10, 1), weeks=6)
    with pytest.raises(ValidationError):
        plans.plan_of_care_certify(
            plan=plan, staff_member=plan.therapist, certified_on=D(2026, 11, 12)
        )
    plans.plan_of_care_certify(plan=plan, staff_member=plan.therapist, certified_on=D(2026, 10, 2))
    with pytest.raises(ValidationError, match="certified on 2026-10-02"):
        plans.plan_of_care_certify(
            plan=plan, staff_member=plan.therapist, certified_on=D(2026, 10, 3)
        )


def test_a_goal_cannot_be_due_before_the_plan_starts():
    plan = make_plan_of_care(starts_on=D(2026, 10, 1))
    goal = plans.GoalInput(
        term="long", description="Run 5 km", measure="5 km", target_date=D(2026, 9, 30)
    )
    with pytest.raises(ValidationError):
        plans.goal_add(plan=plan, therapist=plan.therapist, goal=goal)


@pytest.mark.parametrize(
    ("now", "lapsed", "days_left"),
    [
        # 23:30 on 29 November in New York (EST, after the change on 1 November): the
        # 90th day, still covered.
        (datetime.datetime(2026, 11, 30, 4, 30, tzinfo=UTC), False, 0),
        # Half past midnight on 30 November: the certification has lapsed.
        (datetime.datetime(2026, 11, 30, 5, 30, tzinfo=UTC), True, -1),
    ],
)
def test_a_certification_covers_ninety_clinic_days_across_the_dst_change(
    time_machine, now, lapsed, days_left
):
    time_machine.move_to(datetime.datetime(2026, 9, 1, 14, 0, tzinfo=UTC), tick=False)
    plan = make_plan_of_care(starts_on=D(2026, 9, 1), weeks=16, certified_on=D(2026, 9, 1))
    time_machine.move_to(now, tick=False)
    status = plan_status(patient=plan.patient)
    assert status.covered_until == D(2026, 11, 29)
    assert (status.lapsed, status.days_to_recertification) == (lapsed, days_left)


def test_the_progress_report_is_due_at_the_tenth_treatment_day(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, 0, tzinfo=UTC), tick=False)
    plan = make_plan_of_care(starts_on=D(2026, 10, 1), weeks=12, certified_on=D(2026, 10, 1))
    patient, therapist = plan.patient, plan.therapist
    _visit_on(D(2026, 10, 1), patient, therapist, kind="evaluation")
    days = [D(2026, 10, 1) + datetime.timedelta(days=3 * i) for i in range(1, 9)]
    for day in days:
        _visit_on(day, patient, therapist)
    status = plan_status(patient=patient)
    assert status.treatment_days_since_report == 9
    assert status.progress_report_due_in == 0  # the next visit, the 10th, needs it
    assert not status.progress_report_overdue

    _visit_on(D(2026, 10, 28), patient, therapist)  # the 10th, documented as a daily note
    assert plan_status(patient=patient).progress_report_overdue

    _visit_on(D(2026, 10, 30), patient, therapist, kind="progress")
    status = plan_status(patient=patient)
    assert (status.last_report_on, status.treatment_days_since_report) == (D(2026, 10, 30), 1)
    assert status.progress_report_due_in == 8


def test_treatment_days_are_the_clinics_days():
    appointment = make_attended_appointment(
        starts_at=datetime.datetime(2026, 11, 2, 4, 0, tzinfo=UTC)  # 23:00 on 1 Nov in NY
    )
    assert treatment_days(patient=appointment.patient, since=D(2026, 11, 1)) == [D(2026, 11, 1)]
    assert treatment_days(patient=appointment.patient, since=D(2026, 11, 2)) == []


def test_a_late_signature_does_not_lengthen_the_certification():
    plan = make_plan_of_care(starts_on=D(2026, 9, 1), weeks=20, certified_on=D(2026, 10, 20))
    assert plan.covered_until == D(2026, 11, 29)


def test_a_visit_outside_a_certified_plan_is_named():
    plan = make_plan_of_care(starts_on=D(2026, 10, 1), weeks=6)
    assert certification_problem(patient=plan.patient, day=D(2026, 9, 30)) == (
        "No plan of care covers this visit."
    )
    assert "not certified" in certification_problem(patient=plan.patient, day=D(2026, 10, 5))
    plans.plan_of_care_certify(plan=plan, staff_member=plan.therapist, certified_on=D(2026, 10, 1))
    assert certification_problem(patient=plan.patient, day=D(2026, 11, 11)) == ""
    assert "lapsed after 2026-11-11" in certification_problem(
        patient=plan.patient, day=D(2026, 11, 12)
    )


def test_an_unsigned_progress_note_does_not_restart_the_count(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, 0, tzinfo=UTC), tick=False)
    plan = make_plan_of_care(starts_on=D(2026, 10, 1), weeks=12, certified_on=D(2026, 10, 1))
    patient, therapist = plan.patient, plan.therapist
    _visit_on(D(2026, 10, 1), patient, therapist, kind="evaluation")
    _visit_on(D(2026, 10, 5), patient, therapist)
    draft_visit = make_attended_appointment(
        patient=patient,
        therapist=therapist,
        starts_at=datetime.datetime(2026, 10, 8, 15, 0, tzinfo=UTC),
    )
    make_visit_note(appointment=draft_visit, kind="progress")  # started, never signed
    status = plan_status(patient=patient)
    assert (status.last_report_on, status.treatment_days_since_report) == (D(2026, 10, 1), 3)


def test_a_plan_is_certified_neither_before_it_starts_nor_after_it_ends():
    plan = make_plan_of_care(starts_on=D(2026, 10, 1), weeks=6)
    for day in (D(2026, 9, 30), D(2026, 11, 12)):
        with pytest.raises(ValidationError) as error:
            plans.plan_of_care_certify(plan=plan, staff_member=plan.therapist, certified_on=day)
        assert "certified_on" in error.value.message_dict


def test_a_plan_starting_outside_the_calendar_this_system_keeps_is_refused():
    plan = make_plan_of_care()
    with pytest.raises(ValidationError) as error:
        plans.plan_of_care_create(
            patient=plan.patient,
            therapist=plan.therapist,
            starts_on=D(9999, 12, 31),
            visits_per_week=2,
            weeks=6,
            physician_name="Dr. Ruiz",
        )
    assert "starts_on" in error.value.message_dict


def test_the_certifying_physicians_npi_is_checked():
    with pytest.raises(ValidationError) as error:
        make_plan_of_care(physician_npi="1234567890")
    assert "physician_npi" in error.value.message_dict
