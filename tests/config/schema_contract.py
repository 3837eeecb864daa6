"""The served OpenAPI schema, generated once, and ways to read it, for the
test_schema_contract_* modules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

METHODS = {"get", "put", "post", "patch", "delete"}


def _generated() -> tuple[SchemaGenerator, dict[str, Any]]:
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    # As served: plain JSON, lazy texts and ordered dicts resolved.
    return generator, json.loads(OpenApiJsonRenderer().render(schema))


GENERATOR, SCHEMA = _generated()
COMPONENTS: dict[str, Any] = SCHEMA["components"]["schemas"]


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = COMPONENTS[node["$ref"].rsplit("/", 1)[-1]]
    return node


def ref_name(node: dict[str, Any]) -> str | None:
    return node["$ref"].rsplit("/", 1)[-1] if "$ref" in node else None


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def refs_in(node: Any) -> set[str]:
    return {name for part in walk(node) if (name := ref_name(part))}


def parameter(method: str, path: str, name: str) -> dict[str, Any]:
    found = [p for p in SCHEMA["paths"][path][method].get("parameters", []) if p["name"] == name]
    assert found, f"{method.upper()} {path} has no parameter {name}"
    return found[0]


def documented_body(path: str) -> dict[str, Any]:
    """The schema of a GET's 200 answer."""
    answer = SCHEMA["paths"][path]["get"]["responses"]["200"]
    schema: dict[str, Any] = answer["content"]["application/json"]["schema"]
    return schema
