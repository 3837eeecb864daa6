"""Pages a role may read but not change, untracked histories and tampered selections
answer a page or a message, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from episodes import services as episode_services
from patients.models import Patient
from practice.models import Role
from tests.factories import make_patient, make_prescription, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic_admin(clinic):
    return make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")


def logged_in(staff) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(staff.user)
    return client


def test_a_clinic_admin_reads_a_prescription_it_may_not_change(clinic_admin, diagnosis, therapist):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    url = reverse("admin:programs_prescription_change", args=[prescription.pk])

    response = logged_in(clinic_admin).get(url)

    assert response.status_code == 200
    assert prescription.name in response.text
    assert 'name="_save"' not in response.text  # read only


def test_a_therapist_reads_a_colleagues_staff_page_it_may_not_change(therapist, front_desk):
    url = reverse("admin:practice_staffmember_change", args=[front_desk.pk])

    response = logged_in(therapist).get(url)

    assert response.status_code == 200
    assert f"{front_desk} | View staff member" in response.text
    assert 'name="_save"' not in response.text


def test_the_clinics_history_page_opens_although_the_clinic_keeps_no_versions(clinic, clinic_admin):
    client = logged_in(clinic_admin)

    response = client.get(reverse("admin:practice_clinic_history", args=[clinic.pk]))

    assert response.status_code == 200
    assert clinic.name in response.text
    version = reverse("admin:practice_clinic_simple_history", args=[clinic.pk, 1])
    assert client.get(version).status_code == 404


def test_a_closure_records_history_page_opens(clinic, therapist, patient):
    closure = episode_services.patient_discharge(
        patient=patient, actor=therapist.user, note="Goals met."
    ).closure
    url = reverse("admin:episodes_episodeclosure_history", args=[closure.pk])

    assert logged_in(therapist).get(url).status_code == 200


def test_a_tampered_selection_is_refused_with_a_message_and_changes_nothing(clinic, therapist):
    patient = make_patient(clinic=clinic)
    url = reverse("admin:patients_patient_changelist")

    response = logged_in(therapist).post(
        url,
        {"action": "archive", "_selected_action": [str(patient.pk), "1; drop"], "confirm": "1"},
        follow=True,
    )

    assert response.redirect_chain == [(url, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The selection is not valid; select the rows again."
    ]
    assert Patient.objects.get(pk=patient.pk).status == Patient.Status.ACTIVE


def test_an_earlier_version_cannot_be_restored_past_the_discharge(therapist, diagnosis):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    patient = diagnosis.patient
    before = patient.history.order_by("history_id").first()
    episode_services.patient_discharge(patient=patient, actor=therapist.user, note="Goals met.")
    url = reverse("admin:patients_patient_simple_history", args=[patient.pk, before.history_id])
    client = logged_in(therapist)

    page = client.get(url)
    response = client.post(url, {"status": Patient.Status.ACTIVE, "mrn": patient.mrn})

    assert page.status_code == 200
    assert "Revert" not in page.text
    assert response.status_code == 403
    assert "cannot be restored" in response.text
    assert Patient.objects.get(pk=patient.pk).status == Patient.Status.DISCHARGED
    prescription.refresh_from_db()
    assert prescription.status == prescription.Status.COMPLETED
