"""Discharging or archiving a patient closes the episode of care in one transaction."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments import services as appointment_services
from appointments.models import Appointment
from episodes import services
from episodes.models import EpisodeClosure
from episodes.selectors import episode_closure_previews
from patients import services as patient_services
from patients.models import Patient
from practice.models import Role, User
from programs.models import Prescription
from programs.services import prescription_set_status
from reminders import services as reminder_services
from reminders.models import Kind, Notification
from tests.factories import (
    make_diagnosis,
    make_notification,
    make_patient,
    make_patient_user,
    make_prescription,
    make_staff,
)

from .conftest import NOW

pytestmark = pytest.mark.django_db

A = Appointment.Status
N = Notification.Status
CLOSE = {
    Patient.Status.DISCHARGED: services.patient_discharge,
    Patient.Status.ARCHIVED: services.patient_archive,
}


def _statuses(episode):
    episode.program.refresh_from_db()
    appointments = [episode.attended, episode.under_way, *episode.upcoming]
    for row in [*appointments, *episode.pending, episode.sent, episode.to_staff, episode.guidance]:
        row.refresh_from_db()
    return (
        episode.program.status,
        [a.status for a in appointments],
        [n.status for n in episode.pending],
    )


@pytest.mark.parametrize(
    ("status", "verb"), [("discharged", "discharged"), ("archived", "archived")]
)
def test_closing_the_episode_completes_the_program_and_cancels_what_is_to_come(
    patient, therapist, episode, status, verb
):
    result = CLOSE[status](patient=patient, actor=therapist.user, note=" Goals met. ")

    program_status, appointments, reminders = _statuses(episode)
    assert program_status == Prescription.Status.COMPLETED
    assert episode.program.history.first().history_user == therapist.user
    # The past visit and the one under way stay as they are; the two to come are cancelled.
    assert appointments == [A.ATTENDED, A.SCHEDULED, A.CANCELLED, A.CANCELLED]
    for appointment in episode.upcoming:
        latest = appointment.history.first()
        assert (latest.status, latest.history_user) == (A.CANCELLED, therapist.user)
        assert latest.history_change_reason == f"The patient was {verb}."
    assert reminders == [N.CANCELLED] * 4
    assert {n.last_error for n in episode.pending} == {f"The patient was {verb}."}
    assert episode.sent.status == N.SENT
    assert episode.to_staff.status == N.PENDING  # a message to staff about the patient goes on
    assert episode.guidance.status == N.PENDING  # emergency guidance is not a reminder

    patient.refresh_from_db()
    assert patient.status == status
    assert patient.history.first().history_user == therapist.user
    closure = EpisodeClosure.objects.get(patient=patient)
    assert closure == result.closure
    assert (
        closure.outcome,
        closure.closed_by,
        closure.note,
        closure.programs_completed,
        closure.appointments_cancelled,
        closure.reminders_cancelled,
    ) == (status, therapist.user, "Goals met.", 1, 2, 4)


def test_a_failure_midway_leaves_everything_open(patient, therapist, episode, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    # The last step fails, after the program, appointments and reminders were closed.
    monkeypatch.setattr(patient_services, "patient_set_status", broken)
    with pytest.raises(RuntimeError):
        services.patient_discharge(patient=patient, actor=therapist.user)

    program_status, appointments, reminders = _statuses(episode)
    assert program_status == Prescription.Status.ACTIVE
    assert appointments == [A.ATTENDED, A.SCHEDULED, A.SCHEDULED, A.CONFIRMED]
    assert reminders == [N.PENDING] * 4
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE
    assert not EpisodeClosure.objects.exists()


def test_a_failure_cancelling_reminders_leaves_the_program_and_appointments_open(
    patient, therapist, episode, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("lock timeout")

    monkeypatch.setattr(reminder_services, "notifications_cancel_pending", broken)
    with pytest.raises(RuntimeError):
        services.patient_archive(patient=patient, actor=therapist.user)
    program_status, appointments, _ = _statuses(episode)
    assert program_status == Prescription.Status.ACTIVE
    assert appointments[2:] == [A.SCHEDULED, A.CONFIRMED]


@pytest.mark.parametrize(
    "role",
    [
        Role.PHYSICAL_THERAPIST,
        Role.ATHLETIC_TRAINER,
        Role.OSTEOPATHIC_PHYSICIAN,
        Role.CLINIC_ADMIN,
    ],
)
def test_clinicians_and_clinic_admins_may_discharge(clinic, patient, role):
    staff = make_staff(clinic=clinic, role=role)
    services.patient_discharge(patient=patient, actor=staff.user)
    patient.refresh_from_db()
    assert patient.status == Patient.Status.DISCHARGED


def test_the_front_desk_may_not_discharge_or_archive(patient, front_desk, episode):
    for close in CLOSE.values():
        with pytest.raises(ValidationError) as exc:
            close(patient=patient, actor=front_desk.user)
        assert exc.value.messages == [
            "Only a clinician or a clinic admin may discharge or archive a patient."
        ]
    program_status, _appointments, reminders = _statuses(episode)
    assert program_status == Prescription.Status.ACTIVE
    assert reminders == [N.PENDING] * 4
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


def test_the_operator_may_discharge(patient, episode):

    operator = User.objects.create_superuser(username="operator", password="x" * 20)
    result = services.patient_discharge(patient=patient, actor=operator)
    assert result.closure.closed_by == operator


def test_staff_of_another_clinic_may_not_discharge(patient, other_therapist):
    with pytest.raises(ValidationError, match="Only a clinician or a clinic admin"):
        services.patient_discharge(patient=patient, actor=other_therapist.user)
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


def test_a_patient_user_may_not_discharge_themselves(patient):

    user = make_patient_user(patient, username="alex.r").user
    with pytest.raises(ValidationError, match="Only a clinician or a clinic admin"):
        services.patient_discharge(patient=patient, actor=user)


def test_a_discharged_patient_can_be_archived_later(patient, therapist, episode):
    services.patient_discharge(patient=patient, actor=therapist.user)
    result = services.patient_archive(patient=patient, actor=therapist.user)
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ARCHIVED
    assert (result.closure.programs_completed, result.closure.appointments_cancelled) == (0, 0)


def test_discharging_twice_or_an_archived_patient_is_refused(patient, therapist):
    services.patient_discharge(patient=patient, actor=therapist.user)
    with pytest.raises(ValidationError) as twice:
        services.patient_discharge(patient=patient, actor=therapist.user)
    assert twice.value.messages == ["Alex Rivera is already discharged."]
    services.patient_archive(patient=patient, actor=therapist.user)
    with pytest.raises(ValidationError) as archived:
        services.patient_discharge(patient=patient, actor=therapist.user)
    assert archived.value.messages == ["Alex Rivera is archived; reactivate the patient first."]
    with pytest.raises(ValidationError, match="already archived"):
        services.patient_archive(patient=patient, actor=therapist.user)
    assert EpisodeClosure.objects.count() == 2


def test_reactivation_reopens_the_patient_but_nothing_that_was_closed(
    patient, therapist, front_desk, diagnosis, episode
):
    services.patient_discharge(patient=patient, actor=therapist.user)
    services.patient_reactivate(patient=patient, actor=front_desk.user)
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE
    program_status, appointments, _reminders = _statuses(episode)
    assert program_status == Prescription.Status.COMPLETED
    assert appointments[2:] == [A.CANCELLED, A.CANCELLED]
    # A new episode starts afresh.
    fresh = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    assert fresh.status == Prescription.Status.ACTIVE
    with pytest.raises(ValidationError) as exc:
        services.patient_reactivate(patient=patient, actor=front_desk.user)
    assert exc.value.messages == ["Alex Rivera is already active."]


def test_the_status_change_entry_point_routes_each_status(patient, therapist):
    services.patient_change_status(patient=patient, status="discharged", actor=therapist.user)
    assert EpisodeClosure.objects.get().outcome == "discharged"
    services.patient_change_status(patient=patient, status="active", actor=therapist.user)
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE
    with pytest.raises(ValidationError) as exc:
        services.patient_change_status(patient=patient, status="deceased", actor=therapist.user)
    assert exc.value.message_dict == {"status": ["Unknown patient status: deceased."]}


def test_the_preview_lists_what_would_be_closed_without_closing_it(patient, episode):
    (preview,) = episode_closure_previews(patients=[patient])
    assert preview.programs == [episode.program]
    assert preview.appointments == episode.upcoming
    assert preview.pending_reminders == 4
    program_status, _, reminders = _statuses(episode)
    assert program_status == Prescription.Status.ACTIVE
    assert reminders == [N.PENDING] * 4


def test_the_preview_reads_in_the_same_queries_for_one_patient_or_many(clinic, therapist):
    def patient_with_an_episode():
        person = make_patient(clinic=clinic)
        make_prescription(
            diagnosis=make_diagnosis(patient=person, diagnosed_by=therapist),
            prescribed_by=therapist,
        )
        slot = NOW + datetime.timedelta(days=1, hours=Appointment.objects.count())
        appointment_services.appointment_book(patient=person, therapist=therapist, starts_at=slot)
        return person

    def queries(patients) -> int:
        with CaptureQueriesContext(connection) as captured:
            previews = episode_closure_previews(patients=patients)
            for preview in previews:
                assert all(str(a.therapist) for a in preview.appointments)
        return len(captured.captured_queries)

    first = patient_with_an_episode()
    assert queries([first]) == queries([first, *(patient_with_an_episode() for _ in range(4))])


def test_nothing_is_closed_for_another_patient(clinic, patient, therapist, episode):
    other = make_patient(clinic=clinic, first_name="Jamie")
    services.patient_discharge(patient=other, actor=therapist.user)
    program_status, appointments, reminders = _statuses(episode)
    assert program_status == Prescription.Status.ACTIVE
    assert reminders == [N.PENDING] * 4
    assert appointments[2:] == [A.SCHEDULED, A.CONFIRMED]


def test_only_staff_of_the_patients_clinic_may_reactivate(patient, therapist, other_therapist):

    services.patient_discharge(patient=patient, actor=therapist.user)
    outsiders = [other_therapist.user, make_patient_user(patient, username="alex.r").user]
    for outsider in outsiders:
        with pytest.raises(ValidationError) as exc:
            services.patient_reactivate(patient=patient, actor=outsider)
        assert exc.value.messages == [
            "Only staff of the patient's clinic may reactivate a patient."
        ]
    patient.refresh_from_db()
    assert patient.status == Patient.Status.DISCHARGED


def test_an_appointment_starting_this_very_moment_has_begun_and_is_not_cancelled(
    patient, therapist
):
    starting = appointment_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=NOW
    )
    result = services.patient_discharge(patient=patient, actor=therapist.user)
    starting.refresh_from_db()
    assert starting.status == A.SCHEDULED
    assert result.appointments == []
    # It has begun, so its outcome can be recorded.
    appointment_services.appointment_set_status(appointment=starting, status=A.ATTENDED)


def test_a_paused_program_is_listed_and_completed_too(patient, therapist, episode):

    prescription_set_status(
        prescription=episode.program, status=Prescription.Status.PAUSED, actor=therapist.user
    )
    (preview,) = episode_closure_previews(patients=[patient])
    assert preview.programs == [episode.program]
    result = services.patient_discharge(patient=patient, actor=therapist.user)
    episode.program.refresh_from_db()
    assert episode.program.status == Prescription.Status.COMPLETED
    assert result.closure.programs_completed == 1


def test_a_message_to_staff_of_a_reminder_kind_is_neither_counted_nor_cancelled(patient, therapist):

    to_staff = make_notification(patient, kind=Kind.NUDGE, staff=therapist)
    (preview,) = episode_closure_previews(patients=[patient])
    assert preview.pending_reminders == 0
    services.patient_discharge(patient=patient, actor=therapist.user)
    to_staff.refresh_from_db()
    assert to_staff.status == N.PENDING
