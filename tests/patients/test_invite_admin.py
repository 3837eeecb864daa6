"""Inviting a patient to the app from the patient page: a link for whoever may invite to
a page that warns and asks (a new code stops the one the patient holds), the code shown
once on the page that answers it (only its hash is stored), the service's refusals with
their reason, and the access log."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from audit.models import RecordAccess
from episodes import services as episode_services
from patients.models import PatientInvite
from patients.services import _hash as invite_code_hash
from practice.models import Role
from tests.factories import make_patient_user, make_staff

pytestmark = pytest.mark.django_db

ACTIVATE = "/api/v1/auth/activate/"
CODE = re.compile(r'<p class="invite-code"[^>]*>([A-Z0-9]{5}-[A-Z0-9]{5})</p>')


def patient_page(patient) -> str:
    return reverse("admin:patients_patient_change", args=[patient.pk])


def invite_url(patient) -> str:
    return reverse("admin:patients_patient_invite", args=[patient.pk])


def logged_in(staff) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(staff.user)
    return client


def shown_code(response) -> str:
    (code,) = CODE.findall(response.text)
    return code


@pytest.mark.parametrize("staff", ["therapist", "front_desk"])
def test_the_patient_page_has_the_invite_button_for_whoever_may_invite(patient, staff, request):
    page = logged_in(request.getfixturevalue(staff)).get(patient_page(patient))

    assert page.status_code == 200
    assert f'<a href="{invite_url(patient)}">Invite to the app</a>' in page.text
    assert f'action="{invite_url(patient)}"' not in page.text  # no form posts from here


def test_the_button_opens_the_confirmation_and_creates_nothing(therapist, patient):
    page = logged_in(therapist).get(invite_url(patient))

    assert page.status_code == 200
    assert "any earlier unused code stops working" in page.text
    assert '<form method="post">' in page.text
    assert 'name="csrfmiddlewaretoken"' in page.text
    assert 'value="Create the code"' in page.text
    assert not PatientInvite.objects.filter(patient=patient).exists()


def test_creating_the_code_without_the_csrf_token_is_refused(therapist, patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist.user)

    response = client.post(invite_url(patient))

    assert response.status_code == 403
    assert not PatientInvite.objects.filter(patient=patient).exists()


def test_the_button_shows_a_code_that_activates_the_app(anon, therapist, patient):
    response = logged_in(therapist).post(invite_url(patient))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = shown_code(response)
    invite = PatientInvite.objects.get(patient=patient)
    assert invite.created_by == therapist
    assert invite.code_hash == invite_code_hash(code)  # the hash of this code, not the code
    activated = anon.post(
        ACTIVATE,
        {"code": code, "username": "alex.app", "password": "a-long-fresh-password"},
        format="json",
    )
    assert activated.status_code in (200, 201)
    patient.refresh_from_db()
    assert patient.user.username == "alex.app"


def test_the_code_is_shown_once_and_never_again(therapist, patient):
    client = logged_in(therapist)
    code = shown_code(client.post(invite_url(patient)))
    forms = {code, code.replace("-", "")}

    # Nothing stored holds the code itself, so no page could show it again...
    for row in PatientInvite.objects.filter(patient=patient).values():
        assert not any(form in str(value) for value in row.values() for form in forms)
    # ...and opening the invite page again asks for a new code instead of showing one.
    again = client.get(invite_url(patient))
    assert again.status_code == 200
    assert 'value="Create the code"' in again.text
    assert CODE.findall(again.text) == []
    assert PatientInvite.objects.filter(patient=patient).count() == 1


def test_inviting_again_gives_a_new_code_and_stops_the_first(anon, therapist, patient):
    client = logged_in(therapist)
    first = shown_code(client.post(invite_url(patient)))
    second = shown_code(client.post(invite_url(patient)))

    assert first != second
    refused = anon.post(
        ACTIVATE,
        {"code": first, "username": "alex.app", "password": "a-long-fresh-password"},
        format="json",
    )
    assert refused.status_code == 400


def test_a_patient_with_a_login_gets_a_code_that_re_keys_it(therapist, patient):
    make_patient_user(patient, username="alex.rivera")
    client = logged_in(therapist)

    confirm = client.get(invite_url(patient))
    response = client.post(invite_url(patient))

    assert "already has an app login" in confirm.text
    assert "already has an app login" in response.text
    assert shown_code(response)


def test_a_discharged_patient_is_refused_with_the_reason(therapist, patient):
    episode_services.patient_discharge(patient=patient, actor=therapist.user)
    client = logged_in(therapist)

    page = client.get(patient_page(patient))
    response = client.post(invite_url(patient))

    assert invite_url(patient) not in page.text  # not offered
    assert response.status_code == 302
    assert response.url == patient_page(patient)
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == f"No invitation: {patient.full_name} is discharged."
    assert not PatientInvite.objects.filter(patient=patient).exists()


def test_a_role_without_the_invite_permission_is_refused_with_the_reason(clinic, patient):
    # No role lacks it today: a staff member whose group lost it stands for one.
    staff = make_staff(clinic=clinic, role=Role.FRONT_DESK, username="desk.two")
    staff.user.groups.clear()
    client = logged_in(staff)

    response = client.post(invite_url(patient))

    assert response.status_code == 403
    assert "Your role cannot invite patients to the app." in response.text
    assert "Back to the clinic administration" in response.text  # the admin's page
    assert not PatientInvite.objects.filter(patient=patient).exists()


def test_another_clinics_patient_is_a_404(other_therapist, patient):
    client = logged_in(other_therapist)

    assert client.get(invite_url(patient)).status_code == 404
    assert client.post(invite_url(patient)).status_code == 404
    assert not PatientInvite.objects.filter(patient=patient).exists()


def test_the_invite_pages_are_in_the_access_log(therapist, patient):
    client = logged_in(therapist)
    client.get(invite_url(patient))
    client.post(invite_url(patient))

    actions = RecordAccess.objects.filter(patient_id=patient.pk).order_by("pk")
    assert list(actions.values_list("action", flat=True)) == ["view", "change"]


def test_the_patient_page_still_writes_the_access_log(therapist, patient):
    logged_in(therapist).get(patient_page(patient))

    actions = RecordAccess.objects.filter(patient_id=patient.pk)
    assert list(actions.values_list("action", flat=True)) == ["view"]
