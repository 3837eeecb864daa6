"""OpenAPI post-processing: document the error answers every operation can give.

drf-spectacular lists only the success bodies; clients (and the schema fuzzing in the
suite) need the error shape too: the one envelope of core.api.errors.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Every answer that is not a success. `detail` is one message to show as it is; "
        "`errors` holds the messages per field, nested as the body is (`non_field_errors` "
        "for the body as a whole), and is empty when the error is not about fields; "
        "`request_id` is also in the `X-Request-ID` header and the server's log."
    ),
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status, repeated."},
        "code": {
            "type": "string",
            "description": "Machine-readable: `invalid`, `not_found`, `token_not_valid`, ...",
        },
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            # A field's messages, or for a nested body the same again, keyed by field or
            # by item index.
            "additionalProperties": {
                "oneOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "object", "additionalProperties": True},
                ]
            },
        },
        "request_id": {"type": "string"},
    },
    "required": ["status", "code", "detail", "errors", "request_id"],
}

ERRORS = {
    "400": "The input is invalid; each field's messages say why.",
    "401": "No valid access token.",
    "403": "The caller's role may not do this.",
    "404": "Not found (or not the caller's to see).",
    "413": "The request body is too large.",
    "429": "Too many requests; retry later.",
    "500": "A server error; the body carries the request id, never a trace.",
}

_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _envelope_of(
    content: dict[str, Any] | None, body: dict[str, Any], schemas: dict[str, Any]
) -> dict[str, Any]:
    """The envelope whose `errors` is the body an operation documents for an error.

    A component of its own (`<Body>Error`) rather than an allOf over `Error`: generators
    merging an allOf keep the first `errors` they meet, and the typed one is lost."""
    schema = (content or {}).get("application/json", {}).get("schema")
    if schema is None or schema == body["application/json"]["schema"]:
        return body
    ref = schema.get("$ref", "")
    name = f"{ref.rsplit('/', 1)[-1] or 'Detailed'}Error"
    properties = {**ERROR_SCHEMA["properties"], "errors": schema}  # type: ignore[dict-item]
    schemas[name] = {**ERROR_SCHEMA, "properties": properties}
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def type_blank_enum(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """drf-spectacular's `Blank` (the "" a choice field left empty answers) as a string
    enum: without a type, generators make it an untyped one-value enum."""
    blank = result.get("components", {}).get("schemas", {}).get("Blank")
    if blank is not None:
        blank.setdefault("type", "string")
    return result


def add_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description, "content": body})
            # An error an operation documents itself (a DELETE's 405 "never deleted",
            # say) has the same envelope as every other; a body it names is what that
            # envelope's `errors` holds.
            for code, response in responses.items():
                if str(code) >= "400":
                    response["content"] = _envelope_of(response.get("content"), body, schemas)
    return result
