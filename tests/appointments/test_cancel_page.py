"""Cancelling one upcoming visit from its admin page: a reason is required, the visit
keeps it, its reminders stop, and a visit no longer to come cannot be cancelled."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from appointments.cancel import appointment_cancel
from appointments.models import Appointment
from appointments.services import appointment_set_status
from audit.models import RecordAccess
from practice.models import Role
from reminders.models import Kind, Notification
from reminders.planner import plan
from tests.factories import make_patient, make_staff
from tests.factories.appointments import make_appointment

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)
# A Monday, 10:00 in New York.
NOW = datetime.datetime(2027, 1, 11, 15, 0, tzinfo=datetime.UTC)
CHANGELIST = reverse("admin:appointments_appointment_changelist")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk_client(client, front_desk):
    client.force_login(front_desk.user)
    return client


@pytest.fixture
def visit(patient, therapist):
    return make_appointment(patient=patient, therapist=therapist, starts_at=NOW + 25 * H)


def cancel_url(appointment: Appointment) -> str:
    return reverse("admin:appointments_appointment_cancel", args=[appointment.pk])


def change_url(appointment: Appointment) -> str:
    return reverse("admin:appointments_appointment_change", args=[appointment.pk])


def test_the_desk_cancels_an_upcoming_visit_with_its_reason(desk_client, front_desk, visit):
    assert f'href="{cancel_url(visit)}"' in desk_client.get(change_url(visit)).text
    page = desk_client.get(cancel_url(visit))
    assert page.status_code == 200
    assert 'name="reason"' in page.text

    response = desk_client.post(cancel_url(visit), {"reason": "  The therapist is ill.  "})

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    visit.refresh_from_db()
    assert (visit.status, visit.cancellation_reason, visit.cancelled_at) == (
        Appointment.Status.CANCELLED,
        "The therapist is ill.",
        NOW,
    )
    assert not visit.cancelled_by_patient
    assert visit.history.latest().history_user == front_desk.user
    (message,) = get_messages(response.wsgi_request)
    assert "Cancelled" in str(message)
    assert RecordAccess.objects.filter(
        patient_id=visit.patient_id, user=front_desk.user, action=RecordAccess.Action.CHANGE
    ).exists()


def test_the_page_returns_to_a_next_page_on_this_site_only(desk_client, visit, patient):
    back = reverse("admin:patients_patient_change", args=[patient.pk])
    response = desk_client.post(f"{cancel_url(visit)}?next={back}", {"reason": "Called in."})
    assert response["Location"] == back

    other = make_appointment(patient=patient, starts_at=NOW + 49 * H)
    response = desk_client.post(
        f"{cancel_url(other)}?next=https://evil.example/", {"reason": "Called in."}
    )
    assert response["Location"] == CHANGELIST


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_reason_is_required_and_kept_to_its_length(desk_client, visit, reason):
    response = desk_client.post(cancel_url(visit), {"reason": reason})

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.SCHEDULED


def _cancelled(visit, actor):
    return appointment_set_status(appointment=visit, status="cancelled", actor=actor)


def _attended(visit, actor):
    with time_machine.travel(visit.starts_at + H, tick=False):
        return appointment_set_status(appointment=visit, status="attended", actor=actor)


@pytest.mark.parametrize(
    ("close", "travel", "why"),
    [
        (_cancelled, datetime.timedelta(0), "already cancelled"),
        (None, 26 * H, "mark it attended or a no-show instead"),
        (_attended, 26 * H, "This visit is attended"),
    ],
)
def test_a_visit_no_longer_to_come_offers_no_cancelling_and_says_why(
    client, front_desk, visit, close, travel, why
):
    if close is not None:
        close(visit, front_desk.user)
    visit.refresh_from_db()
    before = (visit.status, visit.cancellation_reason)
    with time_machine.travel(NOW + travel, tick=False):
        client.force_login(front_desk.user)
        assert cancel_url(visit) not in client.get(change_url(visit)).text
        page = client.get(cancel_url(visit))
        assert page.status_code == 200
        assert why in page.text
        assert 'name="reason"' not in page.text

        refused = client.post(cancel_url(visit), {"reason": "Too late."})

    assert refused.status_code == 200
    assert why in refused.text
    visit.refresh_from_db()
    assert (visit.status, visit.cancellation_reason) == before


def test_another_clinics_visit_is_not_found(client, other_therapist, visit):
    client.force_login(other_therapist.user)
    assert client.get(cancel_url(visit)).status_code == 404
    assert client.post(cancel_url(visit), {"reason": "Not mine."}).status_code == 404
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.SCHEDULED


def test_a_role_that_may_only_view_appointments_gets_the_admin_refusal(client, clinic, visit):
    user = make_staff(clinic=clinic, role=Role.FRONT_DESK, username="desk.view").user
    user.groups.clear()
    user.user_permissions.add(
        Permission.objects.get(codename="view_appointment", content_type__app_label="appointments")
    )
    client.force_login(user)

    assert client.get(change_url(visit)).status_code == 200
    assert cancel_url(visit) not in client.get(change_url(visit)).text
    for response in (
        client.get(cancel_url(visit)),
        client.post(cancel_url(visit), {"reason": "x"}),
    ):
        assert response.status_code == 403
        assert "Your role cannot cancel appointments." in response.text
        assert 'href="/admin/"' in response.text
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.SCHEDULED


def test_cancelling_needs_the_forms_csrf_token(front_desk, visit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(front_desk.user)

    assert client.post(cancel_url(visit), {"reason": "Forged."}).status_code == 403
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.SCHEDULED

    page = client.get(cancel_url(visit))
    token = page.context["csrf_token"]
    response = client.post(
        cancel_url(visit), {"reason": "Called in.", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_the_visits_pending_reminder_is_cancelled_when_the_planner_runs(
    desk_client, clinic, therapist
):
    patient = make_patient(clinic=clinic, primary_therapist=therapist, consent_email=True)
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=NOW + 25 * H)
    plan(now=NOW, horizon=2 * H)
    (reminder,) = Notification.objects.filter(kind=Kind.APPOINTMENT)
    assert reminder.status == Notification.Status.PENDING

    desk_client.post(cancel_url(visit), {"reason": "The therapist is ill."})
    plan(now=NOW + 10 * datetime.timedelta(minutes=1), horizon=2 * H)

    reminder.refresh_from_db()
    assert reminder.status == Notification.Status.CANCELLED
    assert reminder.last_error == "The appointment is cancelled."


def test_the_service_records_who_cancelled_outside_a_request(visit, therapist):
    cancelled = appointment_cancel(appointment=visit, reason="Snowed in.", actor=therapist.user)

    assert cancelled.history.latest().history_user == therapist.user
    with pytest.raises(ValidationError):
        appointment_cancel(appointment=visit, reason="Twice.", actor=therapist.user)
