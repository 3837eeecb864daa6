"""/auth/activate/: a patient sets the app password with the one-time code the clinic gave."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIClient

from patients import services as patient_services

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
ACTIVATE = "/api/v1/auth/activate/"


def login(client: APIClient, username: str, password: str) -> Response:
    return client.post(TOKEN, {"username": username, "password": password}, format="json")


def test_a_staff_invite_code_activates_the_patient_login_once(anon, patient, therapist):
    invitation = patient_services.patient_invite(patient=patient, invited_by=therapist)
    body = {"code": invitation.code, "username": "alex.r", "password": "a-long-fresh-password"}

    assert anon.post(ACTIVATE, body, format="json").status_code == 201
    assert login(anon, "alex.r", "a-long-fresh-password").status_code == 200
    patient.refresh_from_db()
    assert patient.user.username == "alex.r"

    again = anon.post(ACTIVATE, {**body, "password": "another-long-password"}, format="json")
    assert again.status_code == 400
    assert "code" in again.json()["errors"]
    assert login(anon, "alex.r", "a-long-fresh-password").status_code == 200


def test_an_expired_invite_code_is_refused(anon, patient, therapist, settings):
    invitation = patient_services.patient_invite(patient=patient, invited_by=therapist)
    body = {"code": invitation.code, "username": "alex.r", "password": "a-long-fresh-password"}
    later = timezone.now() + datetime.timedelta(hours=settings.PATIENT_INVITE_HOURS, minutes=1)
    with time_machine.travel(later):
        response = anon.post(ACTIVATE, body, format="json")
    assert response.status_code == 400
    assert patient.__class__.objects.get(pk=patient.pk).user is None


def test_a_new_invite_retires_the_earlier_code(anon, patient, therapist):
    first = patient_services.patient_invite(patient=patient, invited_by=therapist)
    patient_services.patient_invite(patient=patient, invited_by=therapist)
    body = {"code": first.code, "username": "alex.r", "password": "a-long-fresh-password"}
    assert anon.post(ACTIVATE, body, format="json").status_code == 400


def test_activation_refuses_a_weak_password_and_keeps_the_code_usable(anon, patient, therapist):
    invitation = patient_services.patient_invite(patient=patient, invited_by=therapist)
    weak = {"code": invitation.code, "username": "alex.r", "password": "123"}
    response = anon.post(ACTIVATE, weak, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["errors"]
    strong = {**weak, "password": "a-long-fresh-password"}
    assert anon.post(ACTIVATE, strong, format="json").status_code == 201


def _activate(anon, patient, therapist, **headers) -> None:
    invitation = patient_services.patient_invite(patient=patient, invited_by=therapist)
    body = {"code": invitation.code, "username": "alex.r", "password": "a-long-fresh-password"}
    assert anon.post(ACTIVATE, body, format="json", **headers).status_code == 201
    patient.refresh_from_db()


def test_a_phone_in_spanish_makes_spanish_the_patients_language(anon, patient, therapist):
    _activate(anon, patient, therapist, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert patient.language == "es"
    assert patient.history.first().language == "es"


def test_a_phone_that_says_no_language_leaves_it_the_phones(anon, patient, therapist):
    _activate(anon, patient, therapist)
    assert patient.language == ""


def test_a_language_staff_set_is_kept_whatever_the_phone_says(anon, patient, therapist):
    patient.__class__.objects.filter(pk=patient.pk).update(language="en")
    _activate(anon, patient, therapist, HTTP_ACCEPT_LANGUAGE="es")
    assert patient.language == "en"


def test_a_password_made_of_the_patients_own_name_is_refused(anon, patient, therapist):
    invitation = patient_services.patient_invite(patient=patient, invited_by=therapist)
    name = f"{patient.first_name} {patient.last_name}".lower()
    body = {"code": invitation.code, "username": "alex.r", "password": name}

    response = anon.post(ACTIVATE, body, format="json")

    assert response.status_code == 400
    assert "too similar" in str(response.json()["errors"]["password"])
