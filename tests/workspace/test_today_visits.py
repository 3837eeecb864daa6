"""The plan-of-care deadlines and remote monitoring on the Today page: who needs
recertifying or a progress note at the next visit, and whose monitoring is short of
data days, in the "needs attention" list with why; for clinicians only."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practice.models import Role
from tests.factories import (
    make_attended_appointment,
    make_patient,
    make_plan_of_care,
    make_rtm_episode,
    make_staff,
    make_visit_note,
)

from .clinic_day import NOW, at, signed_in

pytestmark = pytest.mark.django_db

D = datetime.date
# The ninth treatment day since the evaluation of 16 November is 26 November.
TREATED_ON = [D(2026, 11, d) for d in (16, 17, 18, 19, 20, 23, 24, 25, 26)]


def reasons(user) -> dict[str, list[str]]:
    response = signed_in(user).get("/admin/")
    assert response.status_code == 200
    return {
        row.patient.last_name: [reason.text for reason in row.reasons]
        for row in response.context["today"].attention
    }


def patient(clinic, therapist, last_name: str):
    return make_patient(clinic=clinic, primary_therapist=therapist, last_name=last_name)


def certified(patient, therapist, on: datetime.date) -> None:
    make_plan_of_care(patient=patient, therapist=therapist, starts_on=on, weeks=13, certified_on=on)


def evaluated_and_treated(patient, therapist, days: list[datetime.date], hour: int = 10) -> None:
    """An evaluation on the first day, then a visit on each of the others."""
    for n, day in enumerate(days):
        appointment = make_attended_appointment(
            patient=patient, therapist=therapist, starts_at=at(hour, day=day)
        )
        if n == 0:
            make_visit_note(
                appointment=appointment, therapist=therapist, kind="evaluation", signed=True
            )


def monitored_since(patient, therapist, on: datetime.date) -> None:
    make_rtm_episode(patient=patient, therapist=therapist, starts_on=on)


@pytest.fixture
def deadlines(clock, clinic, therapist):
    """On Wednesday 2 December 2026: a certification ending tomorrow, one lapsed, one
    far off, a progress note due at the next visit, monitoring short of days."""
    certified(patient(clinic, therapist, "Soon"), therapist, D(2026, 9, 5))  # to 3 December
    certified(patient(clinic, therapist, "Lapsed"), therapist, D(2026, 8, 1))  # to 29 October
    certified(patient(clinic, therapist, "Later"), therapist, D(2026, 11, 1))
    progress = patient(clinic, therapist, "Progress")
    certified(progress, therapist, D(2026, 11, 16))
    evaluated_and_treated(progress, therapist, TREATED_ON)
    # From 10 November, its period ends on 9 December: 7 days left and none with data.
    monitored_since(patient(clinic, therapist, "Monitored"), therapist, D(2026, 11, 10))
    clock.move_to(NOW)


def test_the_deadlines_are_listed_with_why(deadlines, therapist):
    found = reasons(therapist.user)

    assert found["Soon"] == [
        "Recertification due: the plan's certification ends 2026-12-03 (in 1 day)"
    ]
    assert found["Lapsed"] == ["Certification lapsed after 2026-10-29: recertify the plan of care"]
    assert "Later" not in found
    assert (
        "Progress note due at the next visit (9 treatment days since the last report)"
        in (found["Progress"])
    )
    assert found["Monitored"] == [
        "Remote monitoring short of data days: 0 of 16 days with data, 7 days left in the "
        "period ending 2026-12-09"
    ]


def test_the_page_shows_the_reasons(deadlines, therapist):
    response = signed_in(therapist.user).get("/admin/")

    assert "Certification lapsed after 2026-10-29" in response.text
    assert "0 of 16 days with data" in response.text


def test_the_front_desk_sees_none_of_it(deadlines, front_desk):
    found = reasons(front_desk.user)

    assert not any(
        word in text
        for texts in found.values()
        for text in texts
        for word in ("certif", "Progress note", "monitoring")
    )


def test_a_patient_of_another_clinic_is_not_listed(clock, clinic, therapist, other_patient):
    other_therapist = make_staff(clinic=other_patient.clinic)
    certified(other_patient, other_therapist, D(2026, 8, 1))
    clock.move_to(NOW)

    assert other_patient.last_name not in reasons(therapist.user)


def _due_everywhere(clinic, therapist, names: range) -> None:
    for n in names:
        p = patient(clinic, therapist, f"Due{n}")
        certified(p, therapist, D(2026, 9, 5))
        evaluated_and_treated(p, therapist, TREATED_ON[:3], hour=7 + n % 10)
        monitored_since(p, therapist, D(2026, 11, 10))


@pytest.mark.parametrize("role", [Role.PHYSICAL_THERAPIST, Role.FRONT_DESK])
def test_the_page_runs_the_same_queries_for_one_patient_as_for_many(clock, clinic, role):
    therapist = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST)
    reader = therapist if role == Role.PHYSICAL_THERAPIST else make_staff(clinic=clinic, role=role)
    _due_everywhere(clinic, therapist, range(1))
    clock.move_to(NOW)
    client = signed_in(reader.user)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/admin/").status_code == 200

    clock.move_to(at(6))
    _due_everywhere(clinic, therapist, range(1, 8))
    clock.move_to(NOW)
    with CaptureQueriesContext(connection) as eight:
        response = client.get("/admin/")

    attention = response.context["today"].attention
    assert len(attention) == 8 * (role != Role.FRONT_DESK)
    assert len(eight) == len(one), "\n".join(q["sql"] for q in eight)
