"""The HIPAA access log: who read or changed which patient's record through the API."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import RecordAccess
from audit.services import record_access_log
from practice.models import Role
from tests.clients import bearer
from tests.factories import (
    make_diagnosis,
    make_patient,
    make_patient_user,
    make_prescription,
    make_staff,
)

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients/"
DIAGNOSES = "/api/v1/diagnoses/"
ME_PROGRAM = "/api/v1/me/program/"


@pytest.fixture
def therapist_api(therapist):
    return bearer(therapist.user)


@pytest.fixture
def patient_user(patient):
    return make_patient_user(patient, username="patient.one").user


def test_reading_a_patients_detail_logs_who_read_it_from_where(therapist_api, therapist, patient):
    response = therapist_api.get(f"{PATIENTS}{patient.pk}/", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200
    row = RecordAccess.objects.get()
    assert row.user == therapist.user
    assert row.patient == patient
    assert row.clinic == patient.clinic
    assert row.action == RecordAccess.Action.VIEW
    assert row.method == "GET"
    assert row.path == f"{PATIENTS}{patient.pk}/"
    assert row.ip == "203.0.113.7"


def test_a_list_logs_one_row_per_patient_on_the_page(therapist_api, clinic, patient):
    others = [make_patient(clinic=clinic, last_name=f"Zed{n}") for n in range(2)]

    response = therapist_api.get(PATIENTS)

    assert response.status_code == 200
    assert response.json()["count"] == 3
    logged = set(RecordAccess.objects.values_list("patient_id", flat=True))
    assert logged == {patient.pk, *(p.pk for p in others)}
    assert RecordAccess.objects.count() == 3


def test_rows_of_one_patient_log_that_patient_once(therapist_api, therapist, patient):
    for _ in range(3):
        make_diagnosis(patient=patient, diagnosed_by=therapist)

    assert therapist_api.get(DIAGNOSES).status_code == 200

    assert list(RecordAccess.objects.values_list("patient_id", flat=True)) == [patient.pk]


def test_another_clinics_patient_is_a_404_and_logs_nothing(therapist_api, other_patient):
    response = therapist_api.get(f"{PATIENTS}{other_patient.pk}/")

    assert response.status_code == 404
    assert not RecordAccess.objects.exists()


def test_an_update_is_logged_as_a_change(therapist_api, patient):
    response = therapist_api.patch(f"{PATIENTS}{patient.pk}/", {"first_name": "Alexis"})

    assert response.status_code == 200, response.json()
    row = RecordAccess.objects.get()
    assert (row.patient_id, row.action, row.method) == (patient.pk, "change", "PATCH")


def test_a_patient_reading_their_program_logs_their_own_access(
    patient, patient_user, diagnosis, therapist
):
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)

    response = bearer(patient_user).get(ME_PROGRAM)

    assert response.status_code == 200, response.json()
    row = RecordAccess.objects.get()
    assert (row.user, row.patient, row.action) == (patient_user, patient, "view")
    assert row.path == ME_PROGRAM


def test_the_progress_page_logs_the_patient_it_shows(therapist_api, patient):
    response = therapist_api.get(f"{PATIENTS}{patient.pk}/progress/")

    assert response.status_code == 200, response.json()
    assert list(RecordAccess.objects.values_list("patient_id", flat=True)) == [patient.pk]


def test_the_exercise_library_is_not_logged(therapist_api, patient):
    assert therapist_api.get("/api/v1/exercises/").status_code == 200

    assert not RecordAccess.objects.exists()


def test_log_rows_cannot_be_deleted_or_updated(therapist, patient):
    record_access_log(user=therapist.user, patients=[patient], action="view", request=None)
    row = RecordAccess.objects.get()

    with pytest.raises(PermissionDenied):
        row.delete()
    with pytest.raises(PermissionDenied):
        RecordAccess.objects.all().delete()
    with pytest.raises(PermissionDenied):
        RecordAccess.objects.update(action="change")
    row.action = "change"
    with pytest.raises(PermissionDenied):
        row.save()
    assert RecordAccess.objects.get().action == "view"


def test_the_log_costs_the_same_queries_for_1_or_20_rows(therapist_api, clinic, patient):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert therapist_api.get(PATIENTS, {"page_size": 100}).status_code == 200
        return len(captured.captured_queries)

    one = queries_for_page()
    for n in range(19):
        make_patient(clinic=clinic, last_name=f"Many{n}")
    assert queries_for_page() == one
    assert RecordAccess.objects.filter(patient__clinic=clinic).count() == 1 + 20


def test_a_failing_log_write_keeps_the_answer_and_logs_an_error(
    therapist_api, patient, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("database is away")

    monkeypatch.setattr(RecordAccess.objects, "bulk_create", broken)
    with caplog.at_level(logging.ERROR, logger="audit.services"):
        response = therapist_api.get(f"{PATIENTS}{patient.pk}/")

    assert response.status_code == 200
    assert "Access log write failed" in caplog.text
    assert not RecordAccess.objects.exists()


def test_the_admin_shows_only_the_own_clinics_log(
    client, clinic, therapist, patient, other_therapist, other_patient
):
    record_access_log(user=therapist.user, patients=[patient], action="view", request=None)
    record_access_log(
        user=other_therapist.user, patients=[other_patient], action="view", request=None
    )
    other_row = RecordAccess.objects.get(patient=other_patient)
    admin_user = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one").user
    client.force_login(admin_user)

    listing = client.get(reverse("admin:audit_recordaccess_changelist"))

    assert listing.status_code == 200
    assert "pt.one" in listing.text
    assert "pt.other" not in listing.text
    other_url = reverse("admin:audit_recordaccess_change", args=[other_row.pk])
    assert client.get(other_url).status_code == 404
    assert client.get(reverse("admin:audit_recordaccess_add")).status_code == 403
    own = RecordAccess.objects.get(patient=patient)
    delete_url = reverse("admin:audit_recordaccess_delete", args=[own.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert RecordAccess.objects.count() == 2


def test_recording_a_diagnosis_logs_a_change_of_its_patient(therapist_api, patient):
    body = {
        "patient": patient.pk,
        "cause": "herniated_disc",
        "side": "left",
        "icd10_code": "M51.16",
        "onset_date": "2025-01-02",
    }
    response = therapist_api.post(DIAGNOSES, body)

    assert response.status_code == 201, response.json()
    row = RecordAccess.objects.get()
    assert (row.patient_id, row.action, row.method) == (patient.pk, "change", "POST")


def test_appointment_booking_logs_a_change_of_its_patient(therapist_api, therapist, patient):
    body = {
        "patient": patient.pk,
        "therapist": therapist.pk,
        "starts_at": "2030-03-04T15:00:00Z",
        "kind": "follow_up",
    }
    response = therapist_api.post("/api/v1/appointments/", body)

    assert response.status_code == 201, response.json()
    row = RecordAccess.objects.get()
    assert (row.patient_id, row.action) == (patient.pk, "change")
