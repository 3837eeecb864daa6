"""Every admin page that shows a patient's record writes the access log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import RecordAccess
from practice.models import Role
from tests.factories import make_diagnosis, make_patient, make_staff

from .admin_records import PATIENT_ADMINS, build_records

pytestmark = pytest.mark.django_db

# An episode closure keeps no change history of its own, so its admin has no history
# page to log.
HISTORY_ADMINS = [prefix for prefix in PATIENT_ADMINS if prefix != "episodes_episodeclosure"]


@pytest.fixture
def own(clinic, therapist):
    return build_records(clinic, therapist, name="Treated")


@pytest.fixture
def other(other_clinic, other_therapist):
    return build_records(other_clinic, other_therapist, name="Faraway")


@pytest.fixture
def staff_client(client, therapist):
    client.force_login(therapist.user)
    return client


def logged(since: int = 0) -> list[tuple]:
    rows = RecordAccess.objects.filter(pk__gt=since).order_by("pk")
    return list(rows.values_list("user_id", "patient_id", "action", "method", "path"))


def last_row_id() -> int:
    return RecordAccess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("prefix", PATIENT_ADMINS)
def test_opening_a_record_logs_a_view_of_its_patient(staff_client, therapist, own, prefix):
    record, patient = own.records[prefix]
    url = reverse(f"admin:{prefix}_change", args=[record.pk])

    response = staff_client.get(url)

    assert response.status_code == 200
    assert logged() == [(therapist.user_id, patient.pk, "view", "GET", url)]


@pytest.mark.parametrize("prefix", HISTORY_ADMINS)
def test_a_records_history_page_logs_a_view_of_its_patient(staff_client, therapist, own, prefix):
    record, patient = own.records[prefix]
    url = reverse(f"admin:{prefix}_history", args=[record.pk])

    response = staff_client.get(url)

    assert response.status_code == 200
    assert logged() == [(therapist.user_id, patient.pk, "view", "GET", url)]


@pytest.mark.parametrize("page", ["change", "history"])
@pytest.mark.parametrize("prefix", PATIENT_ADMINS)
def test_another_clinics_record_is_a_404_and_logs_nothing(staff_client, other, prefix, page):
    record, _ = other.records[prefix]

    response = staff_client.get(reverse(f"admin:{prefix}_{page}", args=[record.pk]))

    assert response.status_code == 404
    assert logged() == []


@pytest.mark.parametrize("prefix", PATIENT_ADMINS)
def test_a_list_logs_each_patient_on_the_page_once(staff_client, therapist, own, other, prefix):
    url = reverse(f"admin:{prefix}_changelist")

    response = staff_client.get(url)

    assert response.status_code == 200
    if prefix == "patients_patient":
        shown = {own.patient.pk, own.records["episodes_episodeclosure"][1].pk}
    else:
        shown = {own.records[prefix][1].pk}
    rows = logged()
    assert sorted(rows) == sorted((therapist.user_id, pk, "view", "GET", url) for pk in shown)


@pytest.mark.parametrize("prefix", ["patients_patient", "patients_diagnosis"])
def test_a_lists_log_costs_the_same_queries_for_one_row_as_for_twenty(
    staff_client, clinic, therapist, prefix
):
    def add_rows(count: int) -> None:
        for _ in range(count):
            patient = make_patient(clinic=clinic, primary_therapist=therapist)
            make_diagnosis(patient=patient, diagnosed_by=therapist)

    def list_page() -> tuple[int, int]:
        since = last_row_id()
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse(f"admin:{prefix}_changelist")).status_code == 200
        return len(queries), len(logged(since))

    add_rows(1)
    one_queries, one_logged = list_page()
    add_rows(19)
    twenty_queries, twenty_logged = list_page()

    assert (one_logged, twenty_logged) == (1, 20)
    assert twenty_queries == one_queries


def test_saving_a_record_logs_a_change_of_its_patient(staff_client, therapist, diagnosis):
    url = reverse("admin:patients_diagnosis_change", args=[diagnosis.pk])

    response = staff_client.post(url, {"notes": "Better after two weeks."})

    assert response.status_code == 302
    assert logged() == [(therapist.user_id, diagnosis.patient_id, "change", "POST", url)]


def test_a_form_shown_again_with_errors_logs_a_view_and_keeps_the_record(
    staff_client, therapist, diagnosis
):
    url = reverse("admin:patients_diagnosis_change", args=[diagnosis.pk])

    response = staff_client.post(url, {"notes": "null \x00 character"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    diagnosis.refresh_from_db()
    assert diagnosis.notes == ""
    assert logged() == [(therapist.user_id, diagnosis.patient_id, "view", "POST", url)]


def test_recording_a_new_record_logs_a_change_of_its_patient(staff_client, therapist, patient):
    url = reverse("admin:patients_diagnosis_add")
    form = {
        "patient": patient.pk,
        "cause": "herniated_disc",
        "side": "left",
        "icd10_code": "M51.16",
        "secondary_icd10_codes": "",
        "onset_date": "2026-11-01",
        "diagnosed_on": "2026-11-20",
        "diagnosed_by": therapist.pk,
        "notes": "",
    }

    response = staff_client.post(url, form)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert patient.diagnoses.count() == 1
    assert logged() == [(therapist.user_id, patient.pk, "change", "POST", url)]


def test_an_empty_add_page_logs_nothing(staff_client):
    assert staff_client.get(reverse("admin:patients_diagnosis_add")).status_code == 200

    assert logged() == []


def test_a_page_the_role_is_refused_logs_nothing(client, clinic, diagnosis):
    client.force_login(make_staff(clinic=clinic, role=Role.FRONT_DESK, username="desk").user)

    response = client.get(reverse("admin:patients_diagnosis_change", args=[diagnosis.pk]))

    assert response.status_code == 403
    assert logged() == []


def test_a_version_in_a_records_history_logs_a_view(staff_client, therapist, patient):
    version = patient.history.latest()
    url = reverse("admin:patients_patient_simple_history", args=[patient.pk, version.history_id])

    response = staff_client.get(url)

    assert response.status_code == 200
    assert logged() == [(therapist.user_id, patient.pk, "view", "GET", url)]


def test_the_contact_consent_page_logs_a_view_then_a_change(staff_client, therapist, patient):
    url = reverse("admin:patients_patient_consent", args=[patient.pk])

    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, {"consent_email": "on"}).status_code == 302

    assert logged() == [
        (therapist.user_id, patient.pk, "view", "GET", url),
        (therapist.user_id, patient.pk, "change", "POST", url),
    ]


def test_reading_the_access_log_itself_is_not_logged(client, clinic, patient):
    admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="boss").user
    client.force_login(admin)
    patient_page = reverse("admin:patients_patient_change", args=[patient.pk])
    assert client.get(patient_page).status_code == 200
    since = last_row_id()

    response = client.get(reverse("admin:audit_recordaccess_changelist"))

    assert response.status_code == 200
    assert patient.mrn in response.text or str(patient) in response.text
    assert logged(since) == []
