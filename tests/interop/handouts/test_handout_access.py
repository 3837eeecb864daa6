"""Who gets a handout, from the API and the admin: staff who may read programs, of their
own clinic; the patient, of their own open program. Each one served is in the access
log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import RecordAccess
from programs.models import Prescription
from programs.services import prescription_set_status
from tests.clients import bearer, error_of
from tests.factories import make_diagnosis, make_prescription

from .world import pdf_text, with_phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(clinic):
    return with_phone(clinic)


@pytest.fixture
def prescription(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


@pytest.fixture
def other_prescription(other_patient, other_therapist):
    diagnosis = make_diagnosis(patient=other_patient, diagnosed_by=other_therapist)
    return make_prescription(diagnosis=diagnosis, prescribed_by=other_therapist)


def _url(prescription: Prescription | int | str) -> str:
    pk = prescription.pk if isinstance(prescription, Prescription) else prescription
    return f"/api/v1/prescriptions/{pk}/handout.pdf"


ME_URL = "/api/v1/me/program/handout.pdf"


def _admin_url(prescription: Prescription | str) -> str:
    pk = prescription.pk if isinstance(prescription, Prescription) else prescription
    return reverse("admin:interop_prescription_handout", args=[pk])


def _logged(user, patient) -> list[RecordAccess]:
    return list(RecordAccess.objects.filter(user=user, patient=patient))


def test_staff_get_the_pdf_as_an_attachment_and_the_read_is_logged(
    therapist, prescription, patient
):
    response = bearer(therapist.user).get(_url(prescription))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="home-exercises.pdf"'
    assert response.content.startswith(b"%PDF-")
    [row] = _logged(therapist.user, patient)
    assert (row.action, row.path, row.method) == ("view", _url(prescription), "GET")


def test_another_clinics_program_is_a_404(therapist, other_prescription):
    response = bearer(therapist.user).get(_url(other_prescription))

    assert response.status_code == 404
    assert error_of(response)["detail"] == "No such program in your clinic."
    assert not RecordAccess.objects.exists()


@pytest.mark.parametrize("pk", ["abc", "0", "99999999999999999999999"])
def test_an_id_that_names_no_program_is_a_404(therapist, pk):
    response = bearer(therapist.user).get(_url(pk))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_the_front_desk_is_refused(front_desk, prescription):
    # The role neither diagnoses nor prescribes (practice.roles): a 403, as every other
    # prescription endpoint answers it.
    response = bearer(front_desk.user).get(_url(prescription))

    assert response.status_code == 403
    assert error_of(response)["detail"] == "Your role does not include reading programs."


def test_a_patient_cannot_use_the_staff_endpoint(patient_api, prescription):
    assert patient_api.get(_url(prescription)).status_code == 403


def test_a_closed_program_has_no_handout(therapist, prescription):
    prescription_set_status(
        prescription=prescription, status=Prescription.Status.COMPLETED, actor=therapist.user
    )

    response = bearer(therapist.user).get(_url(prescription))

    assert response.status_code == 400
    assert "completed" in error_of(response)["detail"]


def test_the_patient_gets_their_own_programs_handout_logged(
    patient_api, patient_user, prescription, patient
):
    response = patient_api.get(ME_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="home-exercises.pdf"'
    assert f"Home exercises for {patient.first_name}" in pdf_text(response.content)
    [row] = _logged(patient_user, patient)
    assert row.path == ME_URL


def test_another_patient_gets_only_their_own(
    same_clinic_patient, same_clinic_patient_api, prescription, therapist
):
    response = same_clinic_patient_api.get(ME_URL)

    assert response.status_code == 404
    assert error_of(response)["detail"] == (
        "You have no active program, so there is no handout to print."
    )

    diagnosis = make_diagnosis(patient=same_clinic_patient, diagnosed_by=therapist)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    text = pdf_text(same_clinic_patient_api.get(ME_URL).content)
    assert f"Home exercises for {same_clinic_patient.first_name}" in text
    assert f"Home exercises for {prescription.patient.first_name}" not in text


def test_the_patient_without_a_program_gets_a_404_saying_so(patient_api):
    response = patient_api.get(ME_URL)

    assert response.status_code == 404
    assert "no active program" in error_of(response)["detail"]


def test_staff_cannot_use_the_patients_endpoint(therapist, prescription):
    assert bearer(therapist.user).get(ME_URL).status_code == 403


def test_a_patient_without_a_language_gets_the_phones(patient_api, prescription):
    response = patient_api.get(ME_URL, HTTP_ACCEPT_LANGUAGE="es")

    first = prescription.exercises.filter(phase=1).order_by("order").first().exercise
    assert first.name_es in pdf_text(response.content)


# --- the admin -------------------------------------------------------------------------


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def test_the_prescription_page_offers_the_handout(therapist_client, prescription):
    page = therapist_client.get(
        reverse("admin:programs_prescription_change", args=[prescription.pk])
    )

    assert page.status_code == 200
    assert f'<a href="{_admin_url(prescription)}">Print handout</a>' in page.content.decode()


@pytest.mark.parametrize("status", [Prescription.Status.COMPLETED, Prescription.Status.STOPPED])
def test_a_closed_programs_page_offers_no_handout(
    therapist_client, therapist, prescription, status
):
    prescription_set_status(prescription=prescription, status=status, actor=therapist.user)

    page = therapist_client.get(
        reverse("admin:programs_prescription_change", args=[prescription.pk])
    )

    assert page.status_code == 200
    assert "Print handout" not in page.content.decode()
    assert _admin_url(prescription) not in page.content.decode()


def test_the_admin_serves_the_same_pdf_and_logs_it(
    therapist_client, therapist, prescription, patient
):
    response = therapist_client.get(_admin_url(prescription))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="home-exercises.pdf"'
    api = bearer(therapist.user).get(_url(prescription))
    assert pdf_text(response.content) == pdf_text(api.content)
    rows = _logged(therapist.user, patient)
    assert [row.path for row in rows].count(_admin_url(prescription)) == 1


def test_the_admin_refuses_another_clinics_program(therapist_client, other_prescription):
    assert therapist_client.get(_admin_url(other_prescription)).status_code == 404
    assert therapist_client.get(_admin_url("abc")).status_code == 404
    assert not RecordAccess.objects.exists()


def test_the_admin_refuses_the_front_desk(client, front_desk, prescription):
    client.force_login(front_desk.user)

    assert client.get(_admin_url(prescription)).status_code == 403
    assert not RecordAccess.objects.exists()
