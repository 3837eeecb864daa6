from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import bearer
from tests.factories import make_patient_user


@pytest.fixture
def patient_user(patient):
    return make_patient_user(patient, username="patient.one").user


@pytest.fixture
def patient_api(patient_user) -> APIClient:
    return bearer(patient_user)


@pytest.fixture
def therapist_api(therapist) -> APIClient:
    return bearer(therapist.user)


@pytest.fixture
def front_desk_api(front_desk) -> APIClient:
    return bearer(front_desk.user)


@pytest.fixture
def anon() -> APIClient:
    return APIClient()
