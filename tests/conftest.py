from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from practice.models import Role

from .clients import bearer
from .factories import (
    ClinicFactory,
    make_diagnosis,
    make_patient,
    make_patient_user,
    make_prescription,
    make_staff,
)


@pytest.fixture
def clinic():
    return ClinicFactory(name="Demo Spine Clinic", slug="demo-spine")


@pytest.fixture
def other_clinic():
    return ClinicFactory(name="Northside Physio", slug="northside")


@pytest.fixture
def therapist(clinic):
    return make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.one")


@pytest.fixture
def front_desk(clinic):
    return make_staff(clinic=clinic, role=Role.FRONT_DESK, username="desk.one")


@pytest.fixture
def other_therapist(other_clinic):
    return make_staff(clinic=other_clinic, role=Role.PHYSICAL_THERAPIST, username="pt.other")


@pytest.fixture
def patient(clinic, therapist):
    return make_patient(clinic=clinic, primary_therapist=therapist)


@pytest.fixture
def other_patient(other_clinic):
    return make_patient(clinic=other_clinic, first_name="Other", last_name="Person")


@pytest.fixture
def diagnosis(patient, therapist):
    return make_diagnosis(patient=patient, diagnosed_by=therapist)


# API clients for each kind of caller.


@pytest.fixture(autouse=True)
def _default_language():
    # LocaleMiddleware activates a request's language in the thread and leaves it there;
    # a test that asks in Spanish must not make the next one read Spanish.
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
