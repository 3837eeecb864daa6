"""Moving a program to its next phase from the prescription page: a button for those who
may change it, a confirmation listing the next phase's exercises and saying why a move
would be refused, the service's refusals as messages, a repeated confirmation refused,
and the access log."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from audit.models import RecordAccess
from patients.services import red_flag_screen
from practice.models import Role
from programs.models import Prescription
from programs.services import prescription_advance_phase, prescription_set_status
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def change_url(prescription) -> str:
    return reverse("admin:programs_prescription_change", args=[prescription.pk])


def advance_url(prescription) -> str:
    return reverse("admin:programs_prescription_advance_phase", args=[prescription.pk])


def phase_of(prescription) -> int:
    return Prescription.objects.get(pk=prescription.pk).current_phase


def confirm(client, prescription, from_phase: int = 1):
    """What the confirmation's form posts: the phase it showed."""
    return client.post(advance_url(prescription), {"from_phase": from_phase})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def to_last_phase(prescription, therapist) -> None:
    for _ in range(len(prescription.phase_names) - 1):
        prescription_advance_phase(prescription=prescription, actor=therapist.user)


def test_the_prescription_page_offers_the_next_phase_to_a_clinician(therapist_client, prescription):
    page = therapist_client.get(change_url(prescription))

    assert page.status_code == 200
    assert f'href="{advance_url(prescription)}"' in page.text
    assert f"Move to phase: {prescription.phase_names[1]}" in page.text


def test_the_confirmation_lists_the_next_phases_exercises(therapist_client, prescription):
    upcoming = prescription.exercises.filter(phase=2).select_related("exercise")
    current = prescription.exercises.filter(phase=1).select_related("exercise")
    assert upcoming, "the McKenzie template has exercises in phase 2"
    assert current, "and in phase 1"

    page = therapist_client.get(advance_url(prescription))

    assert page.status_code == 200
    assert f"Phase 2: {prescription.phase_names[1]}" in page.text
    for item in upcoming:
        assert item.exercise.name in page.text
    only_now = {i.exercise.name for i in current} - {i.exercise.name for i in upcoming}
    for name in only_now:
        assert name not in page.text.split("<h2>", 1)[1]
    assert phase_of(prescription) == 1  # opening the page changes nothing


def test_confirming_moves_the_program_and_returns_to_its_page(
    therapist_client, therapist, prescription
):
    response = confirm(therapist_client, prescription)

    assert response.status_code == 302
    assert response.url == change_url(prescription)
    assert phase_of(prescription) == 2
    total = len(prescription.phase_names)
    assert messages_of(response) == [
        f"{prescription.name} moved to phase 2 of {total}: {prescription.phase_names[1]}."
    ]
    assert Prescription.objects.get(pk=prescription.pk).history.first().history_user == (
        therapist.user
    )


def test_the_last_phase_is_refused_with_a_message_and_offers_no_button(
    therapist_client, therapist, prescription
):
    to_last_phase(prescription, therapist)
    last = phase_of(prescription)

    assert (
        f'href="{advance_url(prescription)}"'
        not in therapist_client.get(change_url(prescription)).text
    )
    page = therapist_client.get(advance_url(prescription))
    assert "in its last phase: there is no next phase" in page.text
    assert 'value="Move to phase' not in page.text
    response = confirm(therapist_client, prescription, from_phase=last)

    assert response.status_code == 302
    (message,) = messages_of(response)
    assert "is already in its last phase" in message
    assert phase_of(prescription) == last


def test_a_patient_on_hold_is_not_moved_on(therapist_client, therapist, patient, prescription):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)

    response = confirm(therapist_client, prescription)

    (message,) = messages_of(response)
    assert "is on medical hold" in message
    assert "before the program moves to its next phase" in message
    assert phase_of(prescription) == 1


def test_a_paused_program_is_refused(therapist_client, therapist, prescription):
    prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )
    assert (
        f'href="{advance_url(prescription)}"'
        not in therapist_client.get(change_url(prescription)).text
    )

    (message,) = messages_of(confirm(therapist_client, prescription))

    assert message == "Only an active program moves to its next phase."
    assert phase_of(prescription) == 1


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINIC_ADMIN])
def test_a_role_that_may_not_change_programs_gets_the_reason_not_the_button(
    clinic, prescription, role
):
    client = Client(raise_request_exception=False)
    client.force_login(make_staff(clinic=clinic, role=role).user)

    page = client.get(change_url(prescription))
    refused = confirm(client, prescription)

    assert advance_url(prescription) not in page.text
    assert refused.status_code == 403
    assert "Only a clinician who may change this program" in refused.text
    assert "Back to the clinic administration" in refused.text  # the admin's page
    assert phase_of(prescription) == 1


def test_another_clinics_program_is_a_404(client, other_therapist, prescription):
    client.force_login(other_therapist.user)
    assert client.get(advance_url(prescription)).status_code == 404
    assert confirm(client, prescription).status_code == 404
    assert phase_of(prescription) == 1
    assert not RecordAccess.objects.filter(patient_id=prescription.patient_id).exists()


def test_the_confirmation_and_the_move_are_in_the_access_log(
    therapist_client, patient, prescription
):
    therapist_client.get(advance_url(prescription))
    confirm(therapist_client, prescription)

    actions = RecordAccess.objects.filter(patient_id=patient.pk).order_by("pk")
    assert list(actions.values_list("action", flat=True)) == ["view", "change"]


def test_the_confirmation_carries_the_phase_it_shows(therapist_client, prescription):
    page = therapist_client.get(advance_url(prescription))

    assert '<input type="hidden" name="from_phase" value="1">' in page.text


def test_confirming_twice_moves_the_program_once(therapist_client, prescription):
    confirm(therapist_client, prescription)
    again = confirm(therapist_client, prescription)  # a double click or a second tab

    assert phase_of(prescription) == 2
    assert messages_of(again)[-1] == "The program already moved to phase 2."


def test_a_post_without_the_shown_phase_moves_nothing_and_returns_to_the_confirmation(
    therapist_client, prescription
):
    response = therapist_client.post(advance_url(prescription), {"from_phase": "two"})

    assert response.status_code == 302
    assert response.url == advance_url(prescription)
    assert messages_of(response) == ["Confirm the move on its page."]
    assert phase_of(prescription) == 1


def test_the_confirmation_says_a_hold_refuses_the_move_and_offers_no_button(
    therapist_client, therapist, patient, prescription
):
    red_flag_screen(patient=patient, flags={"history_of_cancer": True}, screened_by=therapist)

    page = therapist_client.get(advance_url(prescription))
    response = confirm(therapist_client, prescription)

    assert "is on a referral hold" in page.text
    assert 'value="Move to phase' not in page.text
    (message,) = messages_of(response)
    assert "is on a referral hold" in message
    assert phase_of(prescription) == 1


def test_the_confirmation_says_a_paused_program_must_resume_first(
    therapist_client, therapist, prescription
):
    prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )

    page = therapist_client.get(advance_url(prescription))

    assert "The program is paused: resume it before moving it" in page.text
    assert 'value="Move to phase' not in page.text


def test_confirming_without_the_csrf_token_is_refused(therapist, prescription):
    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist.user)

    response = confirm(client, prescription)

    assert response.status_code == 403
    assert phase_of(prescription) == 1


def test_the_program_list_has_no_bulk_phase_move(therapist_client, prescription):
    """A resent list action would move every selected program once more: a phase moves
    only from its program's confirmation."""
    changelist = therapist_client.get(reverse("admin:programs_prescription_changelist"))
    actions = [value for value, _ in changelist.context["action_form"].fields["action"].choices]

    assert "advance_phase" not in actions
    assert "pause" in " ".join(actions).lower()
    refused = therapist_client.post(
        reverse("admin:programs_prescription_changelist"),
        {"action": "advance_phase", "_selected_action": [prescription.pk]},
    )
    assert refused.status_code in (200, 302)
    assert phase_of(prescription) == 1
