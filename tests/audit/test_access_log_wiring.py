"""How the admin reaches the access log without importing it, and what the log accepts
as a patient."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse

from audit.models import RecordAccess
from audit.services import record_access_log
from practice.admin_base import ClinicScopedAdmin
from programs.models import PrescribedExercise
from tests.factories import make_diagnosis, make_patient, make_prescription

pytestmark = pytest.mark.django_db

calls: list[dict] = []


def fake_recorder(**kwargs) -> None:
    calls.append(kwargs)


def test_admin_pages_log_through_the_recorder_the_settings_name(client, therapist, patient):
    client.force_login(therapist.user)
    calls.clear()

    with override_settings(PATIENT_ACCESS_RECORDER=f"{__name__}.fake_recorder"):
        response = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))

    assert response.status_code == 200
    assert [(c["user"], c["patients"], c["action"]) for c in calls] == [
        (therapist.user, [patient.pk], "view")
    ]
    assert not RecordAccess.objects.exists()


def test_a_patient_further_away_is_read_for_a_whole_page_in_one_query(
    django_assert_num_queries, clinic, therapist
):
    class PrescribedExercisesAdmin(ClinicScopedAdmin):
        audit_patient_path = "prescription__patient"

    for _ in range(3):
        make_prescription(
            diagnosis=make_diagnosis(patient=make_patient(clinic=clinic), diagnosed_by=therapist),
            prescribed_by=therapist,
        )
    rows = list(PrescribedExercise.objects.order_by("-pk"))
    model_admin = PrescribedExercisesAdmin(PrescribedExercise, admin.site)

    with django_assert_num_queries(1):
        ids = model_admin.patient_ids_of(rows)

    assert len(set(ids)) == 3
    assert ids == [row.prescription.patient_id for row in rows]


def test_a_patient_object_is_logged_with_its_clinic_without_a_lookup(
    django_assert_num_queries, therapist, patient
):
    given = SimpleNamespace(pk=patient.pk, clinic_id=patient.clinic_id)

    with django_assert_num_queries(3):  # the insert in its savepoint, no clinic lookup
        rows = record_access_log(user=therapist.user, patients=[given], action="view")

    assert [(r.patient_id, r.clinic_id) for r in rows] == [(patient.pk, patient.clinic_id)]


def test_a_record_that_is_no_patient_is_never_logged_as_one(therapist, patient, diagnosis):
    rows = record_access_log(user=therapist.user, patients=[diagnosis], action="view")

    assert rows == []
    assert not RecordAccess.objects.exists()


def test_bare_ids_are_logged_under_their_patients_clinic(therapist, patient, other_patient):
    rows = record_access_log(
        user=therapist.user, patients=[patient.pk, other_patient.pk, 0, True], action="view"
    )

    assert sorted((r.patient_id, r.clinic_id) for r in rows) == sorted(
        [(patient.pk, patient.clinic_id), (other_patient.pk, other_patient.clinic_id)]
    )
