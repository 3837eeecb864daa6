from __future__ import annotations

import pytest

from practice.models import Role

from .factories import ClinicFactory, make_diagnosis, make_patient, make_staff


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
