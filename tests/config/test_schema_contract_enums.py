"""One enum component per choice set, shared by bodies, answers and query filters."""

from __future__ import annotations

import re
from typing import Any

from .schema_contract import COMPONENTS, operations, parameter, ref_name, refs_in


def enum_components() -> dict[str, list[Any]]:
    return {name: c["enum"] for name, c in COMPONENTS.items() if "enum" in c}


def test_enum_components_have_stable_names_without_hashes_or_suffixes():
    names = set(enum_components())
    assert {"Cause", "PatientStatus", "AppointmentStatus", "PrescriptionStatus"} <= names
    for name in COMPONENTS:
        assert not re.search(r"Enum[0-9a-f]|[0-9a-f]{3}Enum|Enum$", name), name


def test_each_choice_set_is_one_component():
    seen: dict[frozenset[Any], str] = {}
    for name, values in enum_components().items():
        key = frozenset(values)
        assert key not in seen, (name, seen.get(key))
        seen[key] = name


def test_one_cause_is_shared_by_bodies_answers_and_filters():
    assert refs_in(COMPONENTS["Diagnosis"]["properties"]["cause"]) == {"Cause"}
    assert refs_in(COMPONENTS["DiagnosisRequest"]["properties"]["cause"]) == {"Cause"}
    for path, name in [
        ("/api/v1/diagnoses/", "cause"),
        ("/api/v1/patients/", "cause"),
        ("/api/v1/patients/", "any_cause"),
        ("/api/v1/exercises/", "contraindicated_for"),
    ]:
        assert ref_name(parameter("get", path, name)["schema"]) == "Cause", (path, name)


def test_no_parameter_repeats_an_enum_component_inline():
    sets = {frozenset(values) for values in enum_components().values()}
    for method, path, operation in operations():
        for p in operation.get("parameters", []):
            schema = p.get("schema", {})
            inline = schema.get("enum") or schema.get("items", {}).get("enum")
            if inline:
                assert frozenset(inline) not in sets, (method, path, p["name"])
