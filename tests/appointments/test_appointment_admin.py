"""Appointments in the admin: booking refuses the past; a past visit is its own form."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from appointments.models import Appointment
from appointments.services import appointment_book, appointment_set_status
from practice.models import Role
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db

CLINIC_ZONE = ZoneInfo("America/New_York")
NOW = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=datetime.UTC)
ADD = reverse("admin:appointments_appointment_add")
RECORD_PAST = f"{ADD}?past=1"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk_client(client, front_desk):
    client.force_login(front_desk.user)
    return client


def _form(patient, therapist, when: datetime.datetime, **extra) -> dict:
    when = when.astimezone(CLINIC_ZONE)  # the admin reads times in the clinic's zone
    return {
        "patient": patient.pk,
        "therapist": therapist.pk,
        "starts_at_0": when.strftime("%Y-%m-%d"),
        "starts_at_1": when.strftime("%H:%M:%S"),
        "duration_minutes": 45,
        "kind": "follow_up",
        "notes": "",
        **extra,
    }


def test_booking_in_the_past_is_a_form_error(desk_client, patient, therapist):
    response = desk_client.post(ADD, _form(patient, therapist, NOW - datetime.timedelta(days=1)))
    assert response.status_code == 200
    assert "An appointment cannot start in the past" in response.text
    assert not Appointment.objects.exists()


def test_the_changelist_offers_recording_a_past_visit(desk_client):
    page = desk_client.get(reverse("admin:appointments_appointment_changelist"))
    assert f'href="{RECORD_PAST}"' in page.text
    form = desk_client.get(RECORD_PAST).context["adminform"].form
    assert {"status", "late_entry_reason"} <= set(form.fields)
    assert [value for value, _ in form.fields["status"].choices] == ["attended", "no_show"]


def test_a_past_visit_is_recorded_with_its_reason(desk_client, front_desk, patient, therapist):
    when = NOW - datetime.timedelta(days=2)
    response = desk_client.post(
        RECORD_PAST,
        _form(patient, therapist, when, status="attended", late_entry_reason="Walk-in."),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    visit = Appointment.objects.get()
    assert (visit.starts_at, visit.status, visit.late_entry_reason) == (
        when,
        Appointment.Status.ATTENDED,
        "Walk-in.",
    )
    assert visit.history.get().history_user == front_desk.user
    change = desk_client.get(reverse("admin:appointments_appointment_change", args=[visit.pk]))
    assert "Walk-in." in change.text


def test_a_past_visit_without_a_reason_is_a_form_error(desk_client, patient, therapist):
    response = desk_client.post(
        RECORD_PAST, _form(patient, therapist, NOW - datetime.timedelta(days=2), status="attended")
    )
    assert response.status_code == 200
    assert "late_entry_reason" in response.context["adminform"].form.errors
    assert not Appointment.objects.exists()


def test_a_future_visit_in_the_past_visit_form_is_a_form_error(desk_client, patient, therapist):
    response = desk_client.post(
        RECORD_PAST,
        _form(
            patient,
            therapist,
            NOW + datetime.timedelta(days=2),
            status="attended",
            late_entry_reason="Walk-in.",
        ),
    )
    assert response.status_code == 200
    assert "book it as an appointment instead" in response.text
    assert not Appointment.objects.exists()


def test_marking_attended_before_the_start_is_refused_in_the_admin(desk_client, patient, therapist):
    appointment = appointment_book(
        patient=patient, therapist=therapist, starts_at=NOW + datetime.timedelta(hours=2)
    )
    desk_client.post(
        reverse("admin:appointments_appointment_changelist"),
        {"action": "mark_attended", "_selected_action": [appointment.pk]},
    )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.SCHEDULED


def test_a_patients_second_appointment_at_the_same_time_is_a_form_error(
    desk_client, clinic, patient, therapist
):
    when = NOW + datetime.timedelta(days=1)
    appointment_book(patient=patient, therapist=therapist, starts_at=when)
    colleague = make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="md.two")
    response = desk_client.post(ADD, _form(patient, colleague, when))
    assert response.status_code == 200
    assert "Alex Rivera already has an appointment from 2026-06-02 10:00 to 10:45" in response.text
    assert Appointment.objects.count() == 1


def test_another_clinics_appointment_is_404(client, other_therapist, patient, therapist):
    appointment = appointment_book(
        patient=patient, therapist=therapist, starts_at=NOW + datetime.timedelta(days=1)
    )
    client.force_login(other_therapist.user)
    url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    assert client.get(url).status_code == 404


def _change_form(appointment, **extra) -> dict:
    local = appointment.starts_at.astimezone(CLINIC_ZONE)
    return {
        "therapist": appointment.therapist_id,
        "starts_at_0": local.strftime("%Y-%m-%d"),
        "starts_at_1": local.strftime("%H:%M:%S"),
        "duration_minutes": appointment.duration_minutes,
        "kind": appointment.kind,
        "notes": appointment.notes,
        **extra,
    }


def test_editing_the_notes_keeps_the_time_and_the_patient(
    desk_client, front_desk, clinic, patient, therapist
):
    appointment = appointment_book(
        patient=patient, therapist=therapist, starts_at=NOW + datetime.timedelta(days=1)
    )
    someone_else = make_patient(clinic=clinic, first_name="Jamie")
    url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    edit = _change_form(appointment, notes="Bring the MRI report.", kind="re_evaluation")
    response = desk_client.post(url, {**edit, "patient": someone_else.pk})
    assert response.status_code == 302, response.context["adminform"].form.errors
    appointment.refresh_from_db()
    assert (appointment.notes, appointment.kind, appointment.patient) == (
        "Bring the MRI report.",
        "re_evaluation",
        patient,
    )
    assert appointment.starts_at == NOW + datetime.timedelta(days=1)
    assert appointment.history.first().history_user == front_desk.user


def test_moving_in_the_admin_checks_the_diary_and_keeps_nothing_on_refusal(
    desk_client, clinic, patient, therapist
):
    taken = NOW + datetime.timedelta(days=2)
    appointment_book(patient=make_patient(clinic=clinic), therapist=therapist, starts_at=taken)
    appointment = appointment_book(
        patient=patient, therapist=therapist, starts_at=NOW + datetime.timedelta(days=1)
    )
    moved = _change_form(appointment, notes="Moved.")
    local = taken.astimezone(CLINIC_ZONE)
    moved.update(starts_at_0=local.strftime("%Y-%m-%d"), starts_at_1=local.strftime("%H:%M:%S"))
    response = desk_client.post(
        reverse("admin:appointments_appointment_change", args=[appointment.pk]), moved
    )
    assert response.status_code == 200
    assert "is already booked from" in response.text
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.notes) == (NOW + datetime.timedelta(days=1), "")


def test_a_plain_http_telehealth_link_is_a_form_error(desk_client, patient, therapist):
    when = NOW + datetime.timedelta(days=1)
    form = _form(patient, therapist, when, telehealth_url="http://video.example.com/r/1")

    response = desk_client.post(ADD, form)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["telehealth_url"] == ["The video link must start with https://."]
    assert not Appointment.objects.exists()
    secure = desk_client.post(ADD, {**form, "telehealth_url": "https://video.example.com/r/1"})
    assert secure.status_code == 302
    assert Appointment.objects.get().telehealth_url == "https://video.example.com/r/1"


def test_a_cancelled_visits_page_offers_only_its_notes(desk_client, patient, therapist):
    appointment = appointment_book(
        patient=patient, therapist=therapist, starts_at=NOW + datetime.timedelta(days=1)
    )
    appointment_set_status(appointment=appointment, status="cancelled")
    url = reverse("admin:appointments_appointment_change", args=[appointment.pk])

    form = desk_client.get(url).context["adminform"].form
    assert set(form.fields) == {"notes"}
    response = desk_client.post(url, {"notes": "Called to rebook after the holidays."})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.notes == "Called to rebook after the holidays."
    assert appointment.starts_at == NOW + datetime.timedelta(days=1)
