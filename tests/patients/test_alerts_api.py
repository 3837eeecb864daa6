"""Staff /alerts/: urgent first, filterable, acknowledged once by a clinician."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from patients.models import ClinicalAlert
from patients.services import alert_acknowledge, alert_raise
from tests.factories import make_patient

pytestmark = pytest.mark.django_db

ALERTS = "/api/v1/alerts/"


def raise_alert(patient, severity="routine", kind="pain_increase", minutes_ago=0):
    alert = alert_raise(patient=patient, kind=kind, severity=severity, message="Check in.")
    alert.created_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    alert.save(update_fields=["created_at"])
    return alert


def ids(client, **params) -> list[int]:
    response = client.get(ALERTS, params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_urgent_alerts_come_first_then_the_newest(therapist_api, patient):
    old_routine = raise_alert(patient, minutes_ago=60)
    new_routine = raise_alert(patient, minutes_ago=1)
    old_urgent = raise_alert(patient, severity="urgent", kind="red_flag", minutes_ago=90)
    new_urgent = raise_alert(patient, severity="urgent", kind="red_flag", minutes_ago=5)

    assert ids(therapist_api) == [new_urgent.pk, old_urgent.pk, new_routine.pk, old_routine.pk]


def test_alerts_filter_by_severity_kind_acknowledged_and_patient(
    therapist_api, patient, therapist, clinic
):
    second = make_patient(clinic=clinic)
    urgent = raise_alert(patient, severity="urgent", kind="red_flag")
    inactive = raise_alert(second, kind="inactivity")
    seen = raise_alert(patient)
    alert_acknowledge(alert=seen, staff_member=therapist)

    assert ids(therapist_api, severity="urgent") == [urgent.pk]
    assert ids(therapist_api, kind="inactivity") == [inactive.pk]
    assert ids(therapist_api, acknowledged="true") == [seen.pk]
    assert set(ids(therapist_api, acknowledged="false")) == {urgent.pk, inactive.pk}
    assert set(ids(therapist_api, patient=patient.pk)) == {urgent.pk, seen.pk}


def test_the_detail_names_the_patient(therapist_api, patient):
    alert = raise_alert(patient, severity="urgent", kind="red_flag")
    body = therapist_api.get(f"{ALERTS}{alert.pk}/").json()
    assert body["patient"] == patient.pk
    assert body["patient_name"] == "Alex Rivera"
    assert body["acknowledged"] is False
    assert body["acknowledged_by"] is None


def test_acknowledging_records_who_and_when_once(therapist_api, patient, therapist, clinic):
    alert = raise_alert(patient, severity="urgent", kind="red_flag")
    response = therapist_api.post(f"{ALERTS}{alert.pk}/acknowledge/")
    assert response.status_code == 200
    body = response.json()
    assert body["acknowledged"] is True
    assert body["acknowledged_by"] == therapist.pk
    first_time = body["acknowledged_at"]

    again = therapist_api.post(f"{ALERTS}{alert.pk}/acknowledge/")
    assert again.status_code == 200
    assert again.json()["acknowledged_at"] == first_time
    alert.refresh_from_db()
    assert alert.acknowledged_by == therapist


def test_front_desk_may_not_see_or_acknowledge_alerts(front_desk_api, patient):
    alert = raise_alert(patient, severity="urgent", kind="red_flag")
    assert front_desk_api.post(f"{ALERTS}{alert.pk}/acknowledge/").status_code == 403
    assert front_desk_api.get(ALERTS).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_another_clinic_gets_404_and_never_sees_the_alert(other_therapist_api, patient):
    alert = raise_alert(patient, severity="urgent", kind="red_flag")
    assert other_therapist_api.get(f"{ALERTS}{alert.pk}/").status_code == 404
    assert other_therapist_api.post(f"{ALERTS}{alert.pk}/acknowledge/").status_code == 404
    assert other_therapist_api.get(ALERTS).json()["count"] == 0
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_patient_gets_403_on_alerts(patient_api, patient):
    alert = raise_alert(patient)
    assert patient_api.get(ALERTS).status_code == 403
    assert patient_api.post(f"{ALERTS}{alert.pk}/acknowledge/").status_code == 403


def test_alerts_cannot_be_edited_or_deleted(therapist_api, patient):
    alert = raise_alert(patient)
    assert therapist_api.patch(f"{ALERTS}{alert.pk}/", {"message": "x"}).status_code == 405
    assert ClinicalAlert.objects.get(pk=alert.pk).message == "Check in."


@pytest.mark.parametrize(
    "params",
    [
        {"severity": "critical"},
        {"kind": "\x00"},
        {"patient": "someone"},
        {"patient": "99999999999999999999"},
    ],
)
def test_bad_alert_filters_are_a_400(therapist_api, params):
    assert therapist_api.get(ALERTS, params).status_code == 400


def test_another_clinics_patient_is_refused_as_a_filter(therapist_api, other_patient):
    raise_alert(other_patient)
    response = therapist_api.get(ALERTS, {"patient": other_patient.pk})
    assert response.status_code == 400
    assert "patient" in response.json()["errors"]


def test_the_alert_list_costs_the_same_queries_for_one_or_fifty(
    therapist_api, patient, therapist, clinic
):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert therapist_api.get(ALERTS, {"page_size": 100}).status_code == 200
        return len(captured.captured_queries)

    alert_acknowledge(alert=raise_alert(patient), staff_member=therapist)
    one = queries_for_page()
    for _ in range(49):
        alert = raise_alert(make_patient(clinic=clinic), severity="urgent", kind="red_flag")
        alert_acknowledge(alert=alert, staff_member=therapist)
    assert queries_for_page() == one
