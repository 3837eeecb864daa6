"""Schemathesis over the whole OpenAPI schema: no 5xx, and every answer conforms.

Staff operations run as a therapist, /me operations as a patient, both with real JWTs
against real PostgreSQL. Examples per operation are bounded and derandomized so the
run is repeatable and fits the suite.
"""

from __future__ import annotations

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from tests.factories import make_prescription
from tests.fuzzing import CHECKS, auth_for, bearer_tokens, load_schema

pytestmark = pytest.mark.django_db


# Loaded at collection: the schema view needs no database, and one test per operation
# names the operation that fails.
schema = load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(therapist, patient_user, diagnosis):
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    return bearer_tokens(staff_user=therapist.user, patient_user=patient_user)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_errors_and_answers_as_documented(case, tokens):
    case.call_and_validate(
        headers=auth_for(case, tokens),
        checks=CHECKS,
    )
