"""Schemathesis over the whole OpenAPI schema against a live, threaded HTTP server.

The in-process run (tests/config/test_schema_fuzz.py) calls the WSGI app directly; this
one sends every request over a real socket to pytest-django's `live_server`, so the
full request path (HTTP parsing, headers, content types) is exercised. Staff
operations run as a therapist, /me operations as a patient, with real JWTs.
Examples per operation are few and derandomized so the run is repeatable and quick.
"""

from __future__ import annotations

import django.apps
import pytest
from hypothesis import HealthCheck, Phase, settings

from programs.models import ProgramTemplate
from programs.seed.loader import load_library
from tests.factories import (
    ClinicFactory,
    make_diagnosis,
    make_patient,
    make_patient_user,
    make_prescription,
    make_staff,
)
from tests.fuzzing import CHECKS, auth_for, bearer_tokens, load_schema

# The live server runs in another thread, so the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

# Loaded at collection, in-process: the schema view needs no database. Lazy loading
# (schemathesis.pytest.from_fixture) does not work with this pytest.
schema = load_schema()


@pytest.fixture
def tokens(transactional_db):
    # A transactional test flushes the tables, seeded library included.
    if ProgramTemplate.objects.count() == 0:
        load_library(django.apps.apps)
    clinic = ClinicFactory(name="Live Spine Clinic", slug="live-spine")
    therapist = make_staff(clinic=clinic, username="pt.live")
    patient = make_patient(clinic=clinic, primary_therapist=therapist)
    patient_user = make_patient_user(patient, username="patient.live").user
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    return bearer_tokens(staff_user=therapist.user, patient_user=patient_user)


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_live_api_never_errors_and_answers_as_documented(case, live_server, tokens):
    case.call_and_validate(
        base_url=live_server.url.replace("localhost", "127.0.0.1"),
        headers=auth_for(case, tokens),
        checks=CHECKS,
    )
