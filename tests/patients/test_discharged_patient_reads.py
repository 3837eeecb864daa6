"""A discharged patient keeps the app's login until archived: they still read their own
record, contacts and inbox and may ask to close the account, but no longer log care."""

from __future__ import annotations

import pytest

from patients.models import Patient
from tests.clients import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def discharged_api(patient, patient_api):
    Patient.objects.filter(pk=patient.pk).update(status=Patient.Status.DISCHARGED)
    return patient_api


@pytest.mark.parametrize(
    "url", ["/api/v1/me/history/", "/api/v1/me/contacts/", "/api/v1/me/notifications/"]
)
def test_a_discharged_patient_still_reads_their_own_record(discharged_api, url):
    assert discharged_api.get(url).status_code == 200


def test_a_discharged_patient_may_ask_to_close_the_account(discharged_api):
    assert discharged_api.post("/api/v1/me/account-closure/", {}, format="json").status_code == 201


def test_a_discharged_patient_no_longer_logs_sessions(discharged_api):
    response = discharged_api.post("/api/v1/me/sessions/", {}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_an_archived_patient_reads_nothing(patient, patient_api):
    Patient.objects.filter(pk=patient.pk).update(status=Patient.Status.ARCHIVED)
    assert patient_api.get("/api/v1/me/history/").status_code == 403
