"""OpenAPI post-processing: document the error answers every operation can give.

drf-spectacular lists only the success bodies; clients (and the schema fuzzing in the
suite) need the error shape too: DRF's `{"field": ["message"]}` or `{"detail": "..."}`.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error: `detail` for the request as a whole, or a list of messages per field "
        "(`non_field_errors` for the body as a whole)."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

ERRORS = {
    "400": "The input is invalid; each field's messages say why.",
    "401": "No valid access token.",
    "403": "The caller's role may not do this.",
    "404": "Not found (or not the caller's to see).",
    "405": "Method not allowed: clinical records are archived, never deleted.",
    "413": "The request body is too large.",
    "429": "Too many requests; retry later.",
}

_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def add_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description, "content": body})
    return result
