"""Who may discharge: a clinician or a clinic admin, never the front desk. The rule is the
episode service's, so the admin and the API obey the same one; the admin does not offer
what a role cannot use, and a refusal says why (an admin page, or the API's 403)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from episodes import services
from episodes.models import EpisodeClosure
from patients.models import Patient
from practice.models import Role
from tests.clients import bearer, error_of
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:patients_patient_changelist")
CLOSING_ROLES = [Role.PHYSICAL_THERAPIST, Role.CHIROPRACTOR, Role.CLINIC_ADMIN]


def _page(patient: Patient) -> str:
    return reverse("admin:patients_patient_change", args=[patient.pk])


def _discharge_url(patient: Patient) -> str:
    return reverse("admin:patients_patient_discharge", args=[patient.pk])


def _actions(client) -> list[str]:
    response = client.get(CHANGELIST)
    return [value for value, _ in response.context["action_form"].fields["action"].choices]


@pytest.mark.parametrize("role", CLOSING_ROLES)
def test_a_clinician_or_clinic_admin_is_offered_discharge_in_the_admin(
    client, clinic, patient, role
):
    client.force_login(make_staff(clinic=clinic, role=role, username=f"closer.{role}").user)

    assert _discharge_url(patient) in client.get(_page(patient)).text
    assert {"discharge", "archive"} <= set(_actions(client))


def test_the_front_desk_is_offered_no_discharge_and_the_page_says_why(client, front_desk, patient):
    client.force_login(front_desk.user)

    assert _discharge_url(patient) not in client.get(_page(patient)).text
    assert not {"discharge", "archive"} & set(_actions(client))
    refused = client.get(_discharge_url(patient))

    assert refused.status_code == 403
    assert "admin/403.html" in [t.name for t in refused.templates]
    assert services.CLOSING_REFUSED in refused.text
    assert 'href="/admin/"' in refused.text
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


def test_the_admin_obeys_the_service_even_where_a_permission_was_granted_by_hand(
    client, front_desk, patient
):
    """The admin's offer follows the permission; the rule itself is the service's."""
    front_desk.user.user_permissions.add(Permission.objects.get(codename="close_episode"))
    client.force_login(front_desk.user)

    response = client.post(
        CHANGELIST,
        {"action": "discharge", "_selected_action": [patient.pk], "confirm": "Yes"},
        follow=True,
    )

    assert f"{patient}: {services.CLOSING_REFUSED}" in [
        str(m) for m in response.context["messages"]
    ]
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE
    assert not EpisodeClosure.objects.exists()


def test_the_front_desk_gets_a_403_with_the_reason_from_the_api(front_desk, patient):
    response = bearer(front_desk.user).post(
        f"/api/v1/patients/{patient.pk}/status/", {"status": "discharged"}
    )

    assert error_of(response) == {
        "status": 403,
        "code": "permission_denied",
        "detail": services.CLOSING_REFUSED,
        "errors": {},
    }
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


@pytest.mark.parametrize("role", CLOSING_ROLES)
def test_a_clinician_or_clinic_admin_discharges_through_the_api(clinic, patient, role):
    staff = make_staff(clinic=clinic, role=role, username=f"closer.{role}")

    response = bearer(staff.user).post(
        f"/api/v1/patients/{patient.pk}/status/", {"status": "discharged"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "discharged"
    assert EpisodeClosure.objects.get(patient=patient).closed_by == staff.user
