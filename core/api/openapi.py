"""The OpenAPI schema tells what the server does, so generated clients need no casts.

`AutoSchema` (every view's schema class) fixes what drf-spectacular cannot know from
the views alone: ids in paths are integers (the route accepts any segment only so a
malformed id is the API's JSON 404), every field a response always carries is required
(and none a serializer declares `sometimes_omitted`), operations are tagged by resource
and summarised, and anonymous operations say that they need no credentials. The
postprocessing hooks below then share one enum component per choice set with the query
filters and give every `nullable` its type.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import get_view_model
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.permissions import AllowAny

from .errors import API_PREFIX
from .fields import MAX_ID

API_V1_PREFIX = f"{API_PREFIX}v1/"

# What a path segment named `id` or `<something>_id` holds; any other value is a 404.
ID_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}

# Summaries of the actions every viewset shares; {one} and {many} are the model's names.
_ACTION_SUMMARIES = {
    "list": "List {many}",
    "retrieve": "Read {one}",
    "create": "Create {one}",
    "update": "Replace {one}",
    "partial_update": "Change {one}",
    "destroy": "Delete {one}",
}


def is_id_parameter(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def resource_of(path: str) -> str:
    """The resource a path belongs to: its first segment below /api/v1/ (`me` for
    everything the patient app reads about its own user)."""
    rest = path.removeprefix(API_V1_PREFIX)
    return rest.split("/", 1)[0] or "api"


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def sometimes_omitted(serializer: serializers.BaseSerializer) -> frozenset[str]:
    """The fields a serializer leaves out for some readers, as it declares them in its
    `sometimes_omitted` (e.g. a field its `get_fields` drops for a role that may not
    read it). The schema is built for no reader in particular, so it cannot see them."""
    return frozenset(getattr(serializer, "sometimes_omitted", ()))


def _always_sent(
    serializer: serializers.BaseSerializer, name: str, field: serializers.Field
) -> bool:
    """Whether `to_representation` sends `field` whatever the instance and the reader.

    DRF skips a field only when its attribute is missing and the field is optional with
    no default and no null; a model instance has every attribute, a dict may not."""
    if name in sometimes_omitted(serializer):
        return False
    if isinstance(serializer, serializers.ModelSerializer):
        return True
    return bool(field.required or field.default is not empty or field.allow_null)


class AutoSchema(SpectacularAutoSchema):
    def _map_basic_serializer(
        self, serializer: serializers.BaseSerializer, direction: str
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        if direction != "response":
            return schema
        fields = getattr(serializer, "fields", {})
        # drf-spectacular requires every read-only field; one left out for some readers
        # is not, or a generated client fails on their answers.
        required = set(schema.get("required", [])) - sometimes_omitted(serializer)
        required |= {
            name
            for name in schema.get("properties", {})
            if name in fields and _always_sent(serializer, name, fields[name])
        }
        if required:
            schema["required"] = sorted(required, key=list(schema["properties"]).index)
        else:
            schema.pop("required", None)
        return schema

    def get_tags(self) -> list[str]:
        return [resource_of(self.path)]

    def get_summary(self) -> str | None:
        action = getattr(self.view, "action", None)
        template = _ACTION_SUMMARIES.get(action or "")
        model = get_view_model(self.view, emit_warnings=False)
        if template is None or model is None:
            return None
        one = _with_article(str(model._meta.verbose_name))
        many = str(model._meta.verbose_name_plural)
        if self.path.startswith(f"{API_V1_PREFIX}me/"):
            one, many = f"one of my {many}", f"my {many}"
        summary = template.format(one=one, many=many)
        return summary[0].upper() + summary[1:]

    def is_anonymous(self) -> bool:
        """No credentials are read, or none are needed."""
        if not self.view.get_authenticators():
            return True
        permissions = self.view.get_permissions()
        return all(isinstance(permission, AllowAny) for permission in permissions)

    def get_auth(self) -> list[dict[str, Any]]:
        if self.is_anonymous():
            return []
        auth: list[dict[str, Any]] = super().get_auth()
        return auth

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and is_id_parameter(parameter["name"]):
                parameter["schema"] = dict(ID_SCHEMA)
        if self.is_anonymous():
            # Said outright: an operation without `security` would need no credentials
            # only because the document names no global requirement.
            operation["security"] = []
        return operation


def _component_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def share_parameter_enums(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """A query or path parameter whose choices are those of an enum component refers to
    it, so a value read from one endpoint is typed as the filter of another."""
    schemas = result.get("components", {}).get("schemas", {})
    by_values = {
        frozenset(schema["enum"]): name
        for name, schema in schemas.items()
        if "enum" in schema and None not in schema["enum"] and "" not in schema["enum"]
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                holder, key = (
                    (schema, "items") if schema.get("type") == "array" else (parameter, "schema")
                )
                target = holder.get(key, {})
                name = by_values.get(frozenset(target.get("enum", [])))
                if name is not None:
                    holder[key] = {"$ref": f"#/components/schemas/{name}"}
    return result


def _type_of(schema: dict[str, Any], schemas: dict[str, Any]) -> str | None:
    """The `type` a schema's references agree on (the first that names one)."""
    for part in [schema, *schema.get("allOf", []), *schema.get("oneOf", [])]:
        if "type" in part:
            return str(part["type"])
        if "$ref" in part:
            found = schemas.get(_component_name(part["$ref"]), {}).get("type")
            if found:
                return str(found)
    return None


def type_nullables(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """OpenAPI 3.0 reads `nullable` only next to a `type`: a nullable reference (an
    object, an enum) gets the type of what it refers to."""
    schemas = result.get("components", {}).get("schemas", {})

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("nullable") and "type" not in node:
                found = _type_of(node, schemas)
                if found:
                    node["type"] = found
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result
