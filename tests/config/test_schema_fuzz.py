"""Schemathesis over the whole OpenAPI schema: no 5xx, and every answer conforms.

Staff operations run as a therapist, /me operations as a patient, both with real JWTs
against real PostgreSQL. Examples per operation are bounded and derandomized so the
run is repeatable and fits the suite. Then every operation gets the inputs an attacker
would try (a body nested 100,000 deep, a lone UTF-16 surrogate, a NUL in each text field
and query parameter): a 4xx each, never a 5xx.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from tests.factories import make_appointment, make_prescription
from tests.fuzzing import CHECKS, JSON, auth_for, bad_inputs, bearer_tokens, load_schema

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


# Every operation, once each, with the bad inputs of tests.fuzzing: hand-made requests, no
# generation, so the run stays short; the objects in the path exist, so bodies are read.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def known(therapist, patient, patient_user, diagnosis) -> tuple[dict[str, str], dict[str, Any]]:
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    appointment = make_appointment(patient=patient, therapist=therapist)
    ids = {
        "patients": patient.pk,
        "prescriptions": prescription.pk,
        "appointments": appointment.pk,
        "diagnoses": diagnosis.pk,
        "patient_id": patient.pk,
        "item_id": prescription.exercises.values_list("pk", flat=True).first(),
        "code": "odi",
        "slug": "x",
    }
    return bearer_tokens(staff_user=therapist.user, patient_user=patient_user), ids


def _path_parameters(operation, ids: dict[str, Any]) -> dict[str, Any]:
    resource = operation.path.split("/")[3]  # /api/v1/<resource>/...
    return {
        p.name: ids.get(resource, 1) if p.name == "id" else ids.get(p.name, 1)
        for p in operation.path_parameters
    }


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_deep_nul_and_surrogate_inputs_never_answer_a_server_error(operation, known):
    tokens, ids = known
    case = operation.Case(path_parameters=_path_parameters(operation, ids), media_type=JSON)
    headers = {**auth_for(case, tokens), "Content-Type": JSON}
    problems = []

    inputs = bad_inputs(schema.raw_schema, operation)
    for bad in inputs:
        body = {} if bad.data is None else {"data": bad.data}
        response = case.call(headers=headers, params=bad.params, **body)
        if response.status_code >= 500:
            problems.append(f"{bad.what}: {response.status_code} {response.text[:200]}")

    assert problems == [], "\n".join(problems)
