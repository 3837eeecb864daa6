"""What both schemathesis runs share: the schema, the checks, the bounds and the tokens."""

from __future__ import annotations

import schemathesis
from django.core.wsgi import get_wsgi_application
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)


def load_schema():
    """Loaded at collection, in-process (the schema view needs no database), so each
    operation becomes a test of its own that names what fails."""
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def bearer_tokens(*, staff_user, patient_user) -> dict[str, str]:
    return {
        "staff": f"Bearer {RefreshToken.for_user(staff_user).access_token}",
        "patient": f"Bearer {RefreshToken.for_user(patient_user).access_token}",
    }


def auth_for(case, tokens: dict[str, str]) -> dict[str, str]:
    """/me operations run as the patient, everything else as the therapist."""
    who = "patient" if case.path.startswith("/api/v1/me/") else "staff"
    return {"Authorization": tokens[who]}
