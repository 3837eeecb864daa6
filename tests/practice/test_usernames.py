"""Usernames are one name whatever the case: "PT.One" is "pt.one" everywhere."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient, APIRequestFactory

from patients.services import patient_activate, patient_invite
from practice.api.auth import LoginUsernameThrottle
from practice.models import Role, User
from practice.services import staff_member_create
from tests.factories import PASSWORD, make_patient_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-fresh-password"


def test_a_staff_username_taken_in_another_case_is_refused(clinic, therapist):
    with pytest.raises(ValidationError) as exc:
        staff_member_create(clinic=clinic, username="PT.One", password=None, role=Role.PHYSIATRIST)
    assert exc.value.message_dict == {"username": ["That username is taken; choose another."]}
    assert User.objects.filter(username__iexact="pt.one").count() == 1


def test_the_database_refuses_two_accounts_differing_only_in_case(therapist):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="PT.ONE", password=PASSWORD)


@pytest.mark.parametrize("typed", ["pt.one", "PT.One", "Pt.OnE"])
def test_login_finds_the_account_whatever_the_case_typed(therapist, typed):
    response = APIClient().post("/api/v1/auth/token/", {"username": typed, "password": PASSWORD})
    assert response.status_code == 200, response.json()
    assert "access" in response.json()


def test_the_login_throttle_counts_one_username_whatever_its_case():
    throttle = LoginUsernameThrottle()
    factory = APIRequestFactory()

    def key(username: str) -> str | None:
        request = factory.post("/api/v1/auth/token/", {"username": username}, format="json")
        request.data = {"username": username}
        return throttle.get_cache_key(request, view=None)

    assert key("pt.one") == key("PT.One") == key(" Pt.ONE ")
    assert key("pt.one") != key("pt.two")


def test_activating_with_a_staff_username_in_another_case_is_refused(patient, therapist):
    code = patient_invite(patient=patient, invited_by=therapist).code
    with pytest.raises(ValidationError) as exc:
        patient_activate(code=code, username="PT.ONE", password=NEW_PASSWORD)
    assert exc.value.message_dict == {"username": ["That username is taken; choose another."]}
    patient.refresh_from_db()
    assert patient.user is None


def test_re_activating_accepts_the_patients_username_in_any_case(patient, therapist):
    make_patient_user(patient, username="alex.rivera")
    code = patient_invite(patient=patient, invited_by=therapist).code
    user = patient_activate(code=code, username="Alex.Rivera", password=NEW_PASSWORD)
    assert user.username == "alex.rivera"
    assert user.check_password(NEW_PASSWORD)


def test_re_activating_with_another_username_is_refused_without_naming_the_login(
    patient, therapist
):
    make_patient_user(patient, username="alex.rivera")
    code = patient_invite(patient=patient, invited_by=therapist).code
    with pytest.raises(ValidationError) as exc:
        patient_activate(code=code, username="alex.r", password=NEW_PASSWORD)
    assert exc.value.message_dict == {
        "username": ["This invitation is for an existing login; use its username."]
    }
    assert "alex.rivera" not in str(exc.value)


def test_names_that_only_upper_case_would_confuse_each_log_in_as_themselves():
    # Alpha with a final sigma and alpha with a medial one: LOWER keeps them apart
    # (two accounts may hold them), UPPER folds both into alpha-capital sigma.
    final_sigma, medial_sigma, capitals = "\u03b1\u03c2", "\u03b1\u03c3", "\u0391\u03a3"
    final = User.objects.create_user(username=final_sigma, password=PASSWORD)
    medial = User.objects.create_user(username=medial_sigma, password=PASSWORD)
    for typed, account in [(final_sigma, final), (capitals, medial), (medial_sigma, medial)]:
        response = APIClient().post(
            "/api/v1/auth/token/", {"username": typed, "password": PASSWORD}
        )
        assert response.status_code == 200, response.json()
        assert User.objects.get_by_natural_key(typed) == account
