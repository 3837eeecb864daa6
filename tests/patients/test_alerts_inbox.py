"""The alerts inbox: open alerts of the own clinic, urgent first, acknowledged once."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from patients.models import ClinicalAlert
from patients.services import alert_acknowledge, alert_raise
from practice.models import Role
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db

INBOX = "admin:patients_clinicalalert_changelist"


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def raise_alert(patient, severity="routine", kind="pain_increase", minutes_ago=0, message=""):
    alert = alert_raise(
        patient=patient, kind=kind, severity=severity, message=message or "Check in."
    )
    alert.created_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    alert.save(update_fields=["created_at"])
    return alert


def listed(client, **params) -> list[int]:
    response = client.get(reverse(INBOX), params)
    assert response.status_code == 200
    return [alert.pk for alert in response.context["cl"].result_list]


def test_urgent_alerts_come_before_routine_ones_then_the_newest(therapist_client, patient):
    old_routine = raise_alert(patient, minutes_ago=60)
    new_routine = raise_alert(patient, minutes_ago=1)
    old_urgent = raise_alert(patient, severity="urgent", kind="red_flag", minutes_ago=90)
    new_urgent = raise_alert(patient, severity="urgent", kind="red_flag", minutes_ago=5)

    assert listed(therapist_client) == [
        new_urgent.pk,
        old_urgent.pk,
        new_routine.pk,
        old_routine.pk,
    ]
    text = therapist_client.get(reverse(INBOX)).text
    assert text.index("Red flag") < text.index("Pain increase")


def test_the_inbox_opens_on_open_alerts_and_all_shows_acknowledged_ones_last(
    therapist_client, patient, therapist
):
    done = raise_alert(patient, severity="urgent", kind="red_flag", minutes_ago=1)
    alert_acknowledge(alert=done, staff_member=therapist)
    open_alert = raise_alert(patient, minutes_ago=30)

    assert listed(therapist_client) == [open_alert.pk]
    assert listed(therapist_client, acknowledged="yes") == [done.pk]
    assert listed(therapist_client, acknowledged="all") == [open_alert.pk, done.pk]


def test_filters_by_severity_kind_and_primary_therapist(therapist_client, clinic, patient):
    colleague = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.two")
    their_patient = make_patient(clinic=clinic, primary_therapist=colleague, last_name="Okafor")
    urgent = raise_alert(patient, severity="urgent", kind="red_flag")
    routine = raise_alert(patient, kind="inactivity")
    theirs = raise_alert(their_patient, kind="pain_increase")

    assert listed(therapist_client, severity="urgent") == [urgent.pk]
    assert listed(therapist_client, kind="inactivity") == [routine.pk]
    assert listed(therapist_client, therapist=colleague.pk) == [theirs.pk]
    response = therapist_client.get(reverse(INBOX))
    assert "primary therapist" in response.text
    assert str(colleague) in response.text


def test_acknowledge_selected_records_who_and_when(therapist_client, patient, therapist, clinic):
    first = raise_alert(patient, severity="urgent", kind="red_flag")
    second = raise_alert(patient)
    before = timezone.now()

    response = therapist_client.post(
        reverse(INBOX),
        {"action": "acknowledge", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 alert(s) acknowledged." in response.text
    for alert in (first, second):
        alert.refresh_from_db()
        assert alert.acknowledged_by == therapist
        assert before <= alert.acknowledged_at <= timezone.now()
    assert listed(therapist_client) == []


def test_a_second_acknowledgement_keeps_the_first(client, therapist, clinic, patient):
    alert = raise_alert(patient)
    alert_acknowledge(alert=alert, staff_member=therapist)
    first_at = ClinicalAlert.objects.get(pk=alert.pk).acknowledged_at
    colleague = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.late")
    client.force_login(colleague.user)

    response = client.post(
        reverse(INBOX) + "?acknowledged=all",
        {"action": "acknowledge", "_selected_action": [alert.pk]},
        follow=True,
    )

    assert "0 alert(s) acknowledged. 1 already were" in response.text
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledged_at) == (therapist, first_at)


def test_front_desk_cannot_acknowledge(client, front_desk, patient):
    alert = raise_alert(patient)
    client.force_login(front_desk.user)
    response = client.post(
        reverse(INBOX), {"action": "acknowledge", "_selected_action": [alert.pk]}
    )
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_another_clinics_alerts_are_absent_and_their_page_is_not_found(
    therapist_client, patient, other_patient
):
    own = raise_alert(patient)
    foreign = raise_alert(other_patient, severity="urgent", kind="red_flag")

    for params in ({}, {"acknowledged": "all"}):
        assert listed(therapist_client, **params) == [own.pk]
    assert other_patient.mrn not in therapist_client.get(reverse(INBOX)).text
    url = reverse("admin:patients_clinicalalert_change", args=[foreign.pk])
    assert therapist_client.get(url).status_code == 404


def test_acknowledging_another_clinics_alert_by_id_does_nothing(therapist_client, other_patient):
    foreign = raise_alert(other_patient)
    therapist_client.post(
        reverse(INBOX), {"action": "acknowledge", "_selected_action": [foreign.pk]}
    )
    foreign.refresh_from_db()
    assert foreign.acknowledged_at is None


def test_messages_are_escaped(therapist_client, patient):
    raise_alert(patient, message="<script>alert(1)</script> pain 3 -> 6")
    text = therapist_client.get(reverse(INBOX)).text
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)" in text


def test_the_inbox_query_count_does_not_grow_with_the_alerts(
    therapist_client, clinic, patient, therapist
):
    raise_alert(patient)
    alert_acknowledge(alert=raise_alert(patient), staff_member=therapist)
    url = reverse(INBOX) + "?acknowledged=all"
    with CaptureQueriesContext(connection) as few:
        assert therapist_client.get(url).status_code == 200

    for i in range(10):
        other = make_patient(clinic=clinic, primary_therapist=therapist, last_name=f"P{i}")
        alert_acknowledge(alert=raise_alert(other, severity="urgent"), staff_member=therapist)
    with CaptureQueriesContext(connection) as many:
        assert therapist_client.get(url).status_code == 200

    assert len(many) == len(few)
