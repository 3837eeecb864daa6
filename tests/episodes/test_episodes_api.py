"""Staff /patients/{id}/status/ and /closure/: discharge through the episode service."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from appointments import services as appointment_services
from appointments.models import Appointment
from audit.models import RecordAccess
from episodes.models import EpisodeClosure
from patients.models import Patient
from practice.models import Role
from programs.models import Prescription
from reminders.models import Kind, Notification
from tests.clients import bearer, error_of
from tests.factories import make_notification, make_prescription, make_staff

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=datetime.UTC)
TOMORROW = NOW + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def status_url(patient) -> str:
    return f"/api/v1/patients/{patient.pk}/status/"


def closure_url(patient) -> str:
    return f"/api/v1/patients/{patient.pk}/closure/"


@pytest.fixture
def open_episode(patient, therapist, diagnosis):
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    appointment = appointment_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=TOMORROW
    )
    reminder = make_notification(patient, kind=Kind.EXERCISE, at=TOMORROW)
    return program, appointment, reminder


def test_a_therapist_discharges_and_everything_open_is_closed(
    therapist_api, therapist, patient, open_episode
):
    response = therapist_api.post(
        status_url(patient), {"status": "discharged", "note": "Goals met."}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "discharged"
    program, appointment, reminder = open_episode
    for row in open_episode:
        row.refresh_from_db()
    assert program.status == Prescription.Status.COMPLETED
    assert appointment.status == Appointment.Status.CANCELLED
    assert reminder.status == Notification.Status.CANCELLED
    closure = EpisodeClosure.objects.get(patient=patient)
    assert (closure.closed_by, closure.note) == (therapist.user, "Goals met.")
    assert RecordAccess.objects.filter(
        patient_id=patient.pk, action=RecordAccess.Action.CHANGE
    ).exists()


@pytest.mark.parametrize("status", ["discharged", "archived"])
def test_the_front_desk_gets_403_and_nothing_changes(front_desk_api, patient, open_episode, status):
    response = front_desk_api.post(status_url(patient), {"status": status})
    assert response.status_code == 403
    assert error_of(response) == {
        "status": 403,
        "code": "permission_denied",
        "detail": "Only a clinician or a clinic admin may discharge or archive a patient.",
        "errors": {},
    }
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE
    program, _appointment, _ = open_episode
    program.refresh_from_db()
    assert program.status == Prescription.Status.ACTIVE


def test_a_clinic_admin_archives_and_the_front_desk_reactivates(clinic, front_desk_api, patient):
    admin_api = bearer(make_staff(clinic=clinic, role=Role.CLINIC_ADMIN).user)
    assert admin_api.post(status_url(patient), {"status": "archived"}).status_code == 200
    response = front_desk_api.post(status_url(patient), {"status": "active"})
    assert response.status_code == 200
    assert response.json()["status"] == "active"


def test_an_osteopathic_physician_may_discharge(clinic, patient):
    api = bearer(make_staff(clinic=clinic, role=Role.OSTEOPATHIC_PHYSICIAN).user)
    assert api.post(status_url(patient), {"status": "discharged"}).status_code == 200


def test_discharging_twice_is_a_400_with_the_reason(therapist_api, patient):
    therapist_api.post(status_url(patient), {"status": "discharged"})
    response = therapist_api.post(status_url(patient), {"status": "discharged"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Alex Rivera is already discharged."]}


@pytest.mark.parametrize(
    "body",
    [{"status": "deleted"}, {}, {"status": "discharged", "note": "x" * 2001}, {"status": None}],
)
def test_bad_status_input_is_a_400(therapist_api, patient, body):
    response = therapist_api.post(status_url(patient), body, format="json")
    assert response.status_code == 400
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


def test_the_closure_preview_lists_what_a_discharge_would_close(
    therapist_api, patient, open_episode
):
    response = therapist_api.get(closure_url(patient))
    assert response.status_code == 200
    program, appointment, _ = open_episode
    body = response.json()
    assert body["programs"] == [{"id": program.pk, "name": program.name, "status": "active"}]
    assert body["appointments"] == [
        {
            "id": appointment.pk,
            "starts_at": "2026-06-02T14:00:00Z",
            "ends_at": "2026-06-02T14:45:00Z",
            "kind": "follow_up",
            "therapist_name": "Sam One, PT, DPT",
        }
    ]
    assert body["pending_reminders"] == 1
    assert RecordAccess.objects.filter(
        patient_id=patient.pk, action=RecordAccess.Action.VIEW
    ).exists()


def test_the_front_desk_cannot_read_the_closure_preview(front_desk_api, patient):
    assert front_desk_api.get(closure_url(patient)).status_code == 403


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [("post", status_url, {"status": "archived"}), ("get", closure_url, None)],
)
def test_another_clinic_gets_404(other_therapist_api, patient, method, url, body):
    response = getattr(other_therapist_api, method)(url(patient), body)
    assert response.status_code == 404
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


def test_a_patient_gets_403(patient_api, patient):
    assert patient_api.post(status_url(patient), {"status": "discharged"}).status_code == 403


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", "-1"])
def test_a_malformed_or_unknown_patient_id_is_a_json_404(therapist_api, pk):
    for response in (
        therapist_api.post(f"/api/v1/patients/{pk}/status/", {"status": "discharged"}),
        therapist_api.get(f"/api/v1/patients/{pk}/closure/"),
    ):
        assert response.status_code == 404
        assert "detail" in response.json()
