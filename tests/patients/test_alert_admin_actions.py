"""Acknowledge and Resolve on an alert's admin page and from the alert list, through the
same services as the API; the page is otherwise read-only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import RecordAccess
from audit.services import CHANGE
from patients.models import ClinicalAlert
from patients.services import alert_raise, red_flag_screen
from tests.factories import make_patient

pytestmark = pytest.mark.django_db

INBOX = "admin:patients_clinicalalert_changelist"


def raise_alert(patient, kind="pain_increase", severity="routine"):
    return alert_raise(patient=patient, kind=kind, severity=severity, message="Pain up 3 points.")


def page(alert):
    return reverse("admin:patients_clinicalalert_change", args=[alert.pk])


def acknowledge_url(alert):
    return reverse("admin:patients_clinicalalert_acknowledge", args=[alert.pk])


def resolve_url(alert):
    return reverse("admin:patients_clinicalalert_resolve", args=[alert.pk])


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


@pytest.fixture
def viewing_front_desk_client(client, front_desk):
    """A front desk that may read alerts but, like every front desk, not act on them."""
    front_desk.user.user_permissions.add(Permission.objects.get(codename="view_clinicalalert"))
    client.force_login(front_desk.user)
    return client


def test_a_therapist_acknowledges_then_resolves_with_a_note_from_the_page(
    therapist_client, therapist, patient
):
    alert = raise_alert(patient)
    shown = therapist_client.get(page(alert)).text
    assert acknowledge_url(alert) in shown
    assert resolve_url(alert) in shown

    response = therapist_client.post(acknowledge_url(alert))
    assert response.status_code == 302
    assert response.url == page(alert)
    assert "Alert acknowledged." in said(response)
    response = therapist_client.post(resolve_url(alert), {"note": "Called her; eased by rest."})
    assert "Alert resolved." in said(response)

    alert.refresh_from_db()
    assert alert.acknowledged_by == therapist
    assert alert.resolved_by == therapist
    assert alert.resolution_note == "Called her; eased by rest."
    changes = RecordAccess.objects.filter(action=CHANGE, patient=patient, user=therapist.user)
    assert changes.count() == 2  # the access log has both writes
    history = list(alert.history.order_by("history_id"))
    assert [h.history_user for h in history[1:]] == [therapist.user, therapist.user]
    history_page = therapist_client.get(
        reverse("admin:patients_clinicalalert_history", args=[alert.pk])
    ).text
    assert therapist.user.username in history_page
    # Both done: no buttons left.
    shown = therapist_client.get(page(alert)).text
    assert acknowledge_url(alert) not in shown
    assert resolve_url(alert) not in shown


def test_resolving_without_a_note_is_refused_with_a_message(therapist_client, patient):
    alert = raise_alert(patient)
    response = therapist_client.post(resolve_url(alert), {"note": "   "})
    assert response.status_code == 302
    assert any("say how the matter was closed" in m for m in said(response))
    alert.refresh_from_db()
    assert alert.resolved_at is None


def test_a_red_flag_alert_waits_for_its_hold_to_be_cleared(therapist_client, therapist, patient):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    alert = ClinicalAlert.objects.get(kind=ClinicalAlert.Kind.RED_FLAG)
    response = therapist_client.post(resolve_url(alert), {"note": "Looks fine."})
    assert any("hold still stands" in m for m in said(response))
    alert.refresh_from_db()
    assert alert.resolved_at is None


def test_another_clinics_alert_is_not_found(therapist_client, other_patient):
    foreign = raise_alert(other_patient)
    assert therapist_client.get(page(foreign)).status_code == 404
    assert therapist_client.post(acknowledge_url(foreign)).status_code == 404
    assert therapist_client.post(resolve_url(foreign), {"note": "x"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.acknowledged_at is None
    assert foreign.resolved_at is None


def test_a_front_desk_sees_no_buttons_and_its_post_is_refused_with_a_message(
    viewing_front_desk_client, patient
):
    alert = raise_alert(patient)
    shown = viewing_front_desk_client.get(page(alert)).text
    assert acknowledge_url(alert) not in shown
    assert resolve_url(alert) not in shown

    for url, data in ((acknowledge_url(alert), {}), (resolve_url(alert), {"note": "Done."})):
        response = viewing_front_desk_client.post(url, data)
        assert response.status_code == 302
        assert response.url == page(alert)
        assert "Your role cannot acknowledge or resolve alerts." in said(response)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    assert alert.resolved_at is None


def test_a_front_desk_that_cannot_read_alerts_is_sent_home_with_the_message(
    client, front_desk, patient
):
    alert = raise_alert(patient)
    client.force_login(front_desk.user)
    response = client.post(acknowledge_url(alert))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert "Your role cannot acknowledge or resolve alerts." in said(response)


def test_the_page_has_no_save_and_a_posted_form_changes_nothing(therapist_client, patient):
    alert = raise_alert(patient)
    shown = therapist_client.get(page(alert)).text
    assert 'name="_save"' not in shown
    assert 'name="_continue"' not in shown
    response = therapist_client.post(page(alert), {"message": "Edited", "severity": "urgent"})
    assert response.status_code == 302
    assert "An alert changes only by Acknowledge or Resolve." in said(response)
    alert.refresh_from_db()
    assert alert.message == "Pain up 3 points."
    assert alert.severity == "routine"
    assert alert.history.count() == 1
    assert not RecordAccess.objects.filter(action=CHANGE).exists()


def test_acknowledge_selected_updates_the_batch_in_one_statement(
    therapist_client, therapist, clinic, patient
):
    others = [make_patient(clinic=clinic, primary_therapist=therapist) for _ in range(3)]
    alerts = [raise_alert(p) for p in [patient, *others]]
    with CaptureQueriesContext(connection) as queries:
        response = therapist_client.post(
            reverse(INBOX),
            {"action": "acknowledge", "_selected_action": [a.pk for a in alerts]},
        )
    assert "4 alert(s) acknowledged." in said(response)
    updates = [q for q in queries if q["sql"].startswith('UPDATE "patients_clinicalalert"')]
    assert len(updates) == 1
    for alert in alerts:
        alert.refresh_from_db()
        assert alert.acknowledged_by == therapist
        assert alert.history.order_by("-history_id").first().history_user == therapist.user


def test_resolve_selected_asks_for_the_note_then_resolves_but_leaves_held_alerts(
    therapist_client, therapist, clinic, patient
):
    routine = [raise_alert(patient), raise_alert(patient, kind="inactivity")]
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    held = ClinicalAlert.objects.get(kind=ClinicalAlert.Kind.RED_FLAG)
    selection = [a.pk for a in [*routine, held]]

    asked = therapist_client.post(
        reverse(INBOX), {"action": "resolve_selected", "_selected_action": selection}
    )
    assert asked.status_code == 200
    assert 'name="note"' in asked.text
    assert ClinicalAlert.objects.filter(resolved_at__isnull=False).count() == 0

    response = therapist_client.post(
        reverse(INBOX),
        {
            "action": "resolve_selected",
            "_selected_action": selection,
            "note": "Reviewed at the visit.",
            "apply": "Resolve",
        },
    )
    messages = said(response)
    assert "2 alert(s) resolved." in messages
    assert any("wait for their patient's hold" in m for m in messages)
    for alert in routine:
        alert.refresh_from_db()
        assert alert.resolved_by == therapist
        assert alert.resolution_note == "Reviewed at the visit."
    held.refresh_from_db()
    assert held.resolved_at is None


def test_acknowledged_alerts_are_resolved_from_the_acknowledged_list(
    therapist_client, therapist, patient
):
    alert = raise_alert(patient)
    therapist_client.post(acknowledge_url(alert))
    url = reverse(INBOX) + "?acknowledged=yes"
    form = {"action": "resolve_selected", "_selected_action": [alert.pk]}
    asked = therapist_client.post(url, form)
    assert 'name="note"' in asked.text
    response = therapist_client.post(url, {**form, "note": "Settled.", "apply": "Resolve"})
    assert "1 alert(s) resolved." in said(response)
    alert.refresh_from_db()
    assert alert.resolution_note == "Settled."
