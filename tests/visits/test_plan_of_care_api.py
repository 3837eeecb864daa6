"""/api/v1/patients/{id}/plan-of-care/: the plan in force with its goals, how long its
certification covers and when the next progress report is due; written, certified and
its goals' status set through the API."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import RecordAccess
from tests.clients import bearer, error_of
from tests.factories.visits import make_attended_appointment, make_plan_of_care, make_visit_note
from visits import plans
from visits.plan_models import Goal, PlanOfCare

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 3)
NOW = datetime.datetime(2025, 3, 3, 17, 0, tzinfo=datetime.UTC)  # noon in New York


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def url(patient, tail: str = "") -> str:
    return f"/api/v1/patients/{patient.pk}/plan-of-care/{tail}"


def _body(**changes):
    return {
        "starts_on": "2025-03-03",
        "visits_per_week": 2,
        "weeks": 6,
        "physician_name": "Dr. Ana Ruiz",
        "goals": [
            {
                "term": "short",
                "description": "Walk 20 minutes without leg pain.",
                "measure": "Leg pain 2/10 or less after a 20-minute walk.",
                "target_date": "2025-03-24",
            },
            {
                "term": "long",
                "description": "Sit through a 60-minute meeting.",
                "measure": "ODI at or below 20%.",
                "target_date": "2025-04-13",
            },
        ],
        **changes,
    }


def test_a_patient_without_a_plan_reads_plan_null(therapist_api, patient):
    response = therapist_api.get(url(patient))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["plan"] is None
    assert body["covered_until"] is None
    assert body["lapsed"] is False
    assert body["progress_report_due_in"] is None


def test_writing_a_plan_answers_it_with_its_goals(therapist_api, patient, therapist):
    response = therapist_api.post(url(patient), _body())

    assert response.status_code == 201, response.json()
    plan = response.json()["plan"]
    assert plan["ends_on"] == "2025-04-13"
    assert (plan["visits_per_week"], plan["weeks"]) == (2, 6)
    assert plan["therapist"] == therapist.pk
    assert plan["signature_status"] == "pending"
    assert [g["term"] for g in plan["goals"]] == ["long", "short"]
    assert {g["status"] for g in plan["goals"]} == {"in_progress"}


def test_a_new_plan_replaces_the_one_in_force(therapist_api, patient, therapist):
    old = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)

    body = therapist_api.post(url(patient), _body(starts_on="2025-03-10")).json()

    old.refresh_from_db()
    assert old.superseded_by_id == body["plan"]["id"]
    assert therapist_api.get(url(patient)).json()["plan"]["starts_on"] == "2025-03-10"


def test_certifying_starts_the_90_days(therapist_api, patient, therapist):
    make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY, weeks=20)

    response = therapist_api.post(url(patient, "certify/"), {"certified_on": "2025-03-03"})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["plan"]["signature_status"] == "signed"
    assert body["plan"]["certified_on"] == "2025-03-03"
    assert body["covered_until"] == "2025-05-31"  # 90 days, the plan running longer
    assert body["days_to_recertification"] == 89
    assert body["lapsed"] is False


def test_a_certification_lapses_after_90_days(patient, therapist):
    make_plan_of_care(
        patient=patient, therapist=therapist, starts_on=TODAY, weeks=20, certified_on=TODAY
    )

    with time_machine.travel(NOW + datetime.timedelta(days=91), tick=False):
        # A token made then: the fixture's would have expired.
        body = bearer(therapist.user).get(url(patient)).json()

    assert body["lapsed"] is True
    assert body["days_to_recertification"] < 0


def test_certifying_twice_is_a_400(therapist_api, patient, therapist):
    make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY, certified_on=TODAY)

    response = therapist_api.post(url(patient, "certify/"), {"certified_on": "2025-03-04"})

    assert response.status_code == 400
    assert error_of(response)["detail"] == "This plan was certified on 2025-03-03."


def test_certifying_without_a_plan_is_a_400(therapist_api, patient):
    response = therapist_api.post(url(patient, "certify/"), {"certified_on": "2025-03-03"})

    assert response.status_code == 400
    assert error_of(response)["detail"] == "This patient has no plan of care yet."


def test_sending_the_plan_for_signature(therapist_api, patient, therapist):
    make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)

    body = therapist_api.post(url(patient, "sent/")).json()

    assert body["plan"]["signature_status"] == "sent"


def test_the_progress_report_count_runs_from_the_evaluation(therapist_api, patient, therapist):
    make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY, certified_on=TODAY)
    evaluation = make_attended_appointment(
        patient=patient, therapist=therapist, starts_at=NOW - datetime.timedelta(hours=2)
    )
    make_visit_note(appointment=evaluation, kind="evaluation", signed=True)

    body = therapist_api.get(url(patient)).json()

    assert body["last_report_on"] == "2025-03-03"
    assert body["treatment_days_since_report"] == 1
    assert body["progress_report_due_in"] == 8  # the evaluation's day is the first of ten
    assert body["progress_report_overdue"] is False


def test_a_goals_status_is_set(therapist_api, patient, therapist):
    goal = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY).goals.get()

    response = therapist_api.patch(url(patient, f"goals/{goal.pk}/"), {"status": "met"})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "met"
    goal.refresh_from_db()
    assert goal.status == Goal.Status.MET


def test_another_patients_goal_is_a_404(therapist_api, patient, therapist, same_clinic_patient):
    goal = make_plan_of_care(patient=same_clinic_patient, therapist=therapist).goals.get()

    response = therapist_api.patch(url(patient, f"goals/{goal.pk}/"), {"status": "met"})

    assert response.status_code == 404


# ---------------------------------------------------------------- who may


ROUTES = [
    ("get", "", None),
    ("post", "", _body()),
    ("post", "certify/", {"certified_on": "2025-03-03"}),
    ("post", "sent/", None),
]


@pytest.mark.parametrize(("method", "tail", "body"), ROUTES)
def test_front_desk_and_patients_may_not_reach_a_plan(
    front_desk_api, patient_api, patient, therapist, method, tail, body
):
    make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)
    for client in (front_desk_api, patient_api):
        response = getattr(client, method)(url(patient, tail), body, format="json")
        assert response.status_code == 403, response.json()


@pytest.mark.parametrize(("method", "tail", "body"), ROUTES)
def test_another_clinics_patient_is_a_404(
    other_therapist_api, patient, therapist, method, tail, body
):
    make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)

    response = getattr(other_therapist_api, method)(url(patient, tail), body, format="json")

    assert response.status_code == 404
    assert PlanOfCare.objects.filter(patient=patient).count() == 1


def test_front_desk_may_not_set_a_goal(front_desk_api, other_therapist_api, patient, therapist):
    goal = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY).goals.get()

    desk = front_desk_api.patch(url(patient, f"goals/{goal.pk}/"), {"status": "met"})
    other = other_therapist_api.patch(url(patient, f"goals/{goal.pk}/"), {"status": "met"})

    assert (desk.status_code, other.status_code) == (403, 404)


def test_reading_a_plan_is_access_logged(therapist_api, patient, therapist):
    therapist_api.get(url(patient))

    assert RecordAccess.objects.filter(user=therapist.user, patient=patient, action="view").exists()


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weeks": 0}, "weeks"),
        ({"weeks": 53}, "weeks"),
        ({"visits_per_week": 8}, "visits_per_week"),
        ({"visits_per_week": "twice"}, "visits_per_week"),
        ({"starts_on": "9999-12-31"}, "starts_on"),
        ({"starts_on": "next monday"}, "starts_on"),
        ({"physician_name": ""}, "physician_name"),
        ({"goals": [{"term": "medium"}]}, "goals"),
        ({"goals": "walk more"}, "goals"),
        ({"surgeon": "Dr. No"}, "surgeon"),
        (
            {
                "goals": [
                    {
                        "term": "short",
                        "description": "Walk.",
                        "measure": "Walk.",
                        "target_date": "2025-01-01",
                    }
                ]
            },
            "goals",
        ),
    ],
)
def test_a_bad_plan_is_a_400_naming_the_field(therapist_api, patient, changes, field):
    response = therapist_api.post(url(patient), _body(**changes), format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not PlanOfCare.objects.filter(patient=patient).exists()


@pytest.mark.parametrize(
    "body", [{}, {"certified_on": "yesterday"}, {"certified_on": "2025-12-31"}]
)
def test_a_bad_certification_is_a_400(therapist_api, patient, therapist, body):
    make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)

    response = therapist_api.post(url(patient, "certify/"), body, format="json")

    assert response.status_code == 400, response.json()


@pytest.mark.parametrize("body", [{}, {"status": "done"}, {"status": "met", "note": "x"}])
def test_a_bad_goal_status_is_a_400(therapist_api, patient, therapist, body):
    goal = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY).goals.get()

    response = therapist_api.patch(url(patient, f"goals/{goal.pk}/"), body, format="json")

    assert response.status_code == 400, response.json()


# ---------------------------------------------------------------- queries


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_a_plan_costs_the_same_queries_with_1_or_50_goals(therapist_api, patient, therapist):
    plan = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)
    one = _queries(therapist_api, url(patient))
    for number in range(49):
        plans.goal_add(
            plan=plan,
            therapist=therapist,
            goal=plans.GoalInput(
                term=Goal.Term.LONG,
                description=f"Goal {number}.",
                measure="Measured.",
                target_date=TODAY + datetime.timedelta(days=number),
            ),
        )

    fifty = _queries(therapist_api, url(patient))

    assert fifty == one
