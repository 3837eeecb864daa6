from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.factories import make_patient, make_patient_user, make_prescription


def bearer(user) -> APIClient:
    """An API client that authenticates as `user` with a real JWT access token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # throttle counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def patient_user(patient):
    return make_patient_user(patient, username="patient.one").user


@pytest.fixture
def other_patient_user(other_patient):
    return make_patient_user(other_patient, username="patient.other").user


@pytest.fixture
def same_clinic_patient(clinic, therapist):
    """A second patient of the same clinic, to prove patients see only themselves."""
    patient = make_patient(clinic=clinic, first_name="Second", primary_therapist=therapist)
    return make_patient_user(patient, username="patient.two")


@pytest.fixture
def therapist_api(therapist) -> APIClient:
    return bearer(therapist.user)


@pytest.fixture
def front_desk_api(front_desk) -> APIClient:
    return bearer(front_desk.user)


@pytest.fixture
def other_therapist_api(other_therapist) -> APIClient:
    return bearer(other_therapist.user)


@pytest.fixture
def patient_api(patient_user) -> APIClient:
    return bearer(patient_user)


@pytest.fixture
def same_clinic_patient_api(same_clinic_patient) -> APIClient:
    return bearer(same_clinic_patient.user)


@pytest.fixture
def prescription(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
