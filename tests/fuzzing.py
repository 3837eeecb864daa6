"""What both schemathesis runs share: the schema, the checks, the bounds, the tokens and
the bad inputs every operation is sent."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

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


# Bad inputs sent to every operation on top of the generated ones: none may be a 5xx.
DEEP_BODY = "[" * 100_000  # Python's json recursed once per bracket: a RecursionError
NUL = "a\x00b"  # PostgreSQL text cannot hold it
LONE_SURROGATE = "\ud800"  # json.dumps writes it as the escape "\ud800"
JSON = "application/json"


@dataclass(frozen=True)
class BadInput:
    """One request: what it carries (named in a failure), and how to send it."""

    what: str
    data: str | None = None
    params: dict[str, str] = field(default_factory=dict)


def _resolve(raw: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = raw["components"]["schemas"][name]
    return node


def _is_text(raw: dict[str, Any], node: dict[str, Any]) -> bool:
    node = _resolve(raw, node)
    for key in ("allOf", "oneOf", "anyOf"):
        if key in node:
            return any(_is_text(raw, part) for part in node[key])
    if node.get("type") == "string":
        return True
    return bool(node.get("enum")) and all(isinstance(v, str) for v in node["enum"])


def text_fields(raw: dict[str, Any], operation) -> dict[str, bool] | None:
    """The body's text fields of `operation` (name: whether it is a list of them), or
    None when the operation takes no JSON body."""
    body = operation.definition.raw.get("requestBody", {}).get("content", {}).get(JSON)
    if body is None:
        return None
    schema = _resolve(raw, body["schema"])
    fields: dict[str, bool] = {}
    for name, given in schema.get("properties", {}).items():
        node = _resolve(raw, given)
        if node.get("readOnly"):
            continue
        if node.get("type") == "array" and _is_text(raw, node.get("items", {})):
            fields[name] = True
        elif _is_text(raw, node):
            fields[name] = False
    return fields


def bad_inputs(raw: dict[str, Any], operation) -> list[BadInput]:
    """A body nested 100,000 deep, a lone surrogate, a NUL in each text field of the body
    and in each query parameter."""
    inputs = []
    fields = text_fields(raw, operation)
    if fields is not None:
        inputs.append(BadInput("a body nested 100,000 deep", data=DEEP_BODY))
        first = next(iter(fields), "field")
        surrogate = [LONE_SURROGATE] if fields.get(first) else LONE_SURROGATE
        inputs.append(BadInput(f"a lone surrogate in {first}", data=json.dumps({first: surrogate})))
        for name, is_list in fields.items():
            value = [NUL] if is_list else NUL
            inputs.append(BadInput(f"a NUL in {name}", data=json.dumps({name: value})))
    for parameter in operation.query:
        inputs.append(BadInput(f"a NUL in ?{parameter.name}", params={parameter.name: NUL}))
    return inputs
