"""The plan of care in the admin: created, certified and its goals moved through the
services; shown with its deadlines on the patient page, to clinicians only."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.admin_forms import change_form_data
from tests.factories.visits import make_plan_of_care
from visits.plan_models import Goal, PlanOfCare, SignatureStatus

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)
ADD = reverse("admin:visits_planofcare_add")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pt_client(client, therapist):
    client.force_login(therapist.user)
    return client


def _new_goal_management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_a_plan_is_created_with_its_goals_through_the_service(pt_client, patient, therapist):
    response = pt_client.post(
        ADD,
        {
            "patient": patient.pk,
            "starts_on": "2026-03-10",
            "visits_per_week": "2",
            "weeks": "6",
            "physician_name": "Dr. Ana Ruiz",
            "physician_npi": "",
            **_new_goal_management("goals", 1),
            "goals-0-term": "short",
            "goals-0-description": "Sit through a meeting.",
            "goals-0-measure": "60 minutes, leg pain 2/10 or less.",
            "goals-0-target_date": "2026-04-01",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    plan = PlanOfCare.objects.get()
    assert (plan.therapist, plan.ends_on) == (therapist, datetime.date(2026, 4, 20))
    assert plan.goals.get().measure == "60 minutes, leg pain 2/10 or less."
    assert response["Location"] == reverse("admin:patients_patient_change", args=[patient.pk])


def test_a_goal_before_the_plan_is_a_form_error_and_no_plan_is_kept(pt_client, patient):
    response = pt_client.post(
        ADD,
        {
            "patient": patient.pk,
            "starts_on": "2026-03-10",
            "visits_per_week": "2",
            "weeks": "6",
            "physician_name": "Dr. Ana Ruiz",
            **_new_goal_management("goals", 1),
            "goals-0-term": "short",
            "goals-0-description": "Walk.",
            "goals-0-measure": "20 minutes.",
            "goals-0-target_date": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert "on or after the plan" in response.text
    assert not PlanOfCare.objects.exists()


def test_the_physicians_signature_certifies_the_plan(pt_client, patient, therapist):
    plan = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)
    url = reverse("admin:visits_planofcare_change", args=[plan.pk])
    data = change_form_data(pt_client.get(url))
    data["certified_on"] = "2026-03-12"
    response = pt_client.post(url, data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.signature_status == SignatureStatus.SIGNED
    assert plan.certified_on == datetime.date(2026, 3, 12)
    page = pt_client.get(url)
    assert 'name="certified_on"' not in page.text  # the service's now, read-only
    assert "Covered until 2026-04-20" in page.text


def test_marking_a_plan_sent(pt_client, patient, therapist):
    plan = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)
    url = reverse("admin:visits_planofcare_change", args=[plan.pk])
    data = change_form_data(pt_client.get(url))
    data["signature_status"] = "sent"
    assert pt_client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.signature_status == SignatureStatus.SENT


def test_certifying_after_the_plan_ends_is_a_form_error(pt_client, patient, therapist):
    plan = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)
    url = reverse("admin:visits_planofcare_change", args=[plan.pk])
    data = change_form_data(pt_client.get(url))
    data["certified_on"] = "2026-06-01"
    response = pt_client.post(url, data)
    assert response.status_code == 200
    assert "certified on a day from its start to its end" in response.text
    plan.refresh_from_db()
    assert plan.certified_on is None


def test_a_goals_status_changes_through_the_service(pt_client, patient, therapist):
    plan = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)
    goal = plan.goals.get()
    url = reverse("admin:visits_planofcare_change", args=[plan.pk])
    data = change_form_data(pt_client.get(url))
    assert "goals-0-description" not in data  # what the goal says is the service's
    data["goals-0-status"] = Goal.Status.MET
    assert pt_client.post(url, data).status_code == 302
    goal.refresh_from_db()
    assert goal.status == Goal.Status.MET
    assert goal.history.first().history_user == therapist.user


def test_the_patient_page_shows_the_plan_and_its_deadlines(pt_client, patient, therapist):
    make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY, certified_on=TODAY)
    page = pt_client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert "Covered until 2026-04-20: recertification due in 41 days." in page.text
    assert "No evaluation or progress note yet." in page.text
    assert f"{ADD}?patient={patient.pk}" in page.text


def test_the_front_desk_sees_no_plan(client, front_desk, patient, therapist):
    plan = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)
    client.force_login(front_desk.user)
    assert client.get(reverse("admin:visits_planofcare_change", args=[plan.pk])).status_code == 403
    assert client.get(ADD).status_code == 403
    page = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert "Dr. Ana Ruiz" not in page.text
    assert ADD not in page.text


def test_another_clinics_plan_is_not_found(client, other_therapist, patient, therapist):
    plan = make_plan_of_care(patient=patient, therapist=therapist, starts_on=TODAY)
    client.force_login(other_therapist.user)
    assert client.get(reverse("admin:visits_planofcare_change", args=[plan.pk])).status_code == 404
