"""Staff /alerts/ after a hold is cleared: resolved alerts leave the open list and show
who resolved them and why."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients.models import ClinicalAlert
from patients.services import alert_acknowledge, alert_raise, medical_hold_clear, red_flag_screen
from tests.factories import make_patient

pytestmark = pytest.mark.django_db

ALERTS = "/api/v1/alerts/"


def hold(patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    return ClinicalAlert.objects.filter(patient=patient).latest("pk")


def ids(client, **params) -> list[int]:
    response = client.get(ALERTS, params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_clearing_the_hold_through_the_api_resolves_its_alert(therapist_api, patient, therapist):
    alert = hold(patient, therapist)
    response = therapist_api.post(
        f"/api/v1/patients/{patient.pk}/clear-hold/", {"note": "ED: cauda equina excluded."}
    )
    assert response.status_code == 200, response.json()
    body = therapist_api.get(f"{ALERTS}{alert.pk}/").json()
    assert body["open"] is False
    assert body["resolved"] is True
    assert body["acknowledged"] is False
    assert body["resolved_by"] == therapist.pk
    assert body["resolved_by_name"] == str(therapist)
    assert body["resolution_note"] == "ED: cauda equina excluded."
    assert body["resolved_at"] is not None


def test_the_open_filter_means_neither_acknowledged_nor_resolved(
    therapist_api, clinic, patient, therapist
):
    resolved = hold(patient, therapist)
    medical_hold_clear(patient=patient, cleared_by=therapist, note="Cleared.")
    other = make_patient(clinic=clinic, first_name="Jo")
    waiting = hold(other, therapist)
    seen = alert_raise(patient=other, kind="pain_increase", severity="routine", message="Rose.")
    alert_acknowledge(alert=seen, staff_member=therapist)

    assert ids(therapist_api, open="true") == [waiting.pk]
    assert set(ids(therapist_api, open="false")) == {resolved.pk, seen.pk}
    assert ids(therapist_api, resolved="true") == [resolved.pk]
    assert set(ids(therapist_api, resolved="false")) == {waiting.pk, seen.pk}
    # "acknowledged" keeps its meaning: a resolved alert nobody acknowledged is not.
    assert set(ids(therapist_api, acknowledged="false")) == {resolved.pk, waiting.pk}


def test_an_open_alert_reads_as_open(therapist_api, patient, therapist):
    alert = hold(patient, therapist)
    body = therapist_api.get(f"{ALERTS}{alert.pk}/").json()
    assert body["open"] is True
    assert body["resolved"] is False
    assert body["resolved_by"] is None
    assert body["resolution_note"] == ""


def test_acknowledging_a_resolved_alert_is_harmless(therapist_api, patient, therapist):
    alert = hold(patient, therapist)
    medical_hold_clear(patient=patient, cleared_by=therapist, note="Cleared.")
    response = therapist_api.post(f"{ALERTS}{alert.pk}/acknowledge/")
    assert response.status_code == 200
    body = response.json()
    assert body["acknowledged"] is True
    assert body["resolved"] is True
    assert body["open"] is False
    assert body["resolution_note"] == "Cleared."


def test_the_list_of_resolved_alerts_costs_the_same_queries_for_one_or_fifty(
    therapist_api, clinic, patient, therapist
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert therapist_api.get(ALERTS, {"page_size": 100}).status_code == 200
        return len(captured.captured_queries)

    hold(patient, therapist)
    medical_hold_clear(patient=patient, cleared_by=therapist, note="Cleared.")
    one = queries()
    for _ in range(49):
        held = make_patient(clinic=clinic)
        hold(held, therapist)
        medical_hold_clear(patient=held, cleared_by=therapist, note="Cleared.")
    assert queries() == one
