"""What a response always carries is required in the schema, and nothing else is.

A generated client reads a required property as always present (a non-optional type, a
KeyError in `from_dict` when it is missing), so each real answer, read by every role,
must carry every required property and only documented ones.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import serializers

from core.api.openapi import AutoSchema, sometimes_omitted
from tests.factories import (
    make_alert,
    make_appointment,
    make_prescription,
    make_questionnaire_response,
    make_screening,
    make_session,
)

from .schema_contract import COMPONENTS, GENERATOR, documented_body, resolve


def response_components() -> dict[str, serializers.BaseSerializer]:
    """Each response component built from a serializer, with that serializer."""
    found = {}
    for component in GENERATOR.registry._components.values():
        if component.type != "schemas" or component.name.endswith("Request"):
            continue
        if isinstance(component.object, serializers.BaseSerializer):
            found[component.name] = component.object
    return found


def optional_properties(name: str) -> set[str]:
    component = COMPONENTS[name]
    return set(component.get("properties", {})) - set(component.get("required", []))


def test_every_field_a_model_serializer_sends_to_every_reader_is_required():
    components = response_components()
    assert len(components) >= 40
    checked = 0
    for name, serializer in components.items():
        if not isinstance(serializer, serializers.ModelSerializer) or name.startswith("Paginated"):
            continue
        sent = {n for n, f in serializer.fields.items() if not f.write_only}
        assert optional_properties(name) == sent & sometimes_omitted(serializer), name
        checked += 1
    assert checked >= 20


def test_the_patients_latest_diagnosis_is_the_one_property_some_readers_go_without():
    # The front desk does not read diagnoses, so its answers leave the key out.
    assert optional_properties("Patient") == {"latest_diagnosis"}
    assert "latest_diagnosis" in COMPONENTS["Patient"]["properties"]


def test_a_plain_serializers_field_with_a_default_or_null_is_required_in_responses():
    for name, serializer in response_components().items():
        if isinstance(serializer, serializers.ModelSerializer) or name.startswith("Paginated"):
            continue
        required = set(COMPONENTS[name].get("required", []))
        for field_name, field in serializer.fields.items():
            if field.write_only:
                continue
            if field.required or field.allow_null or field.default is not serializers.empty:
                assert field_name in required, (name, field_name)


class _SometimesSent(serializers.Serializer):
    note = serializers.CharField(required=False, allow_null=True)
    hint = serializers.CharField(required=False)


class _ForSomeReaders(serializers.Serializer):
    sometimes_omitted = ("secret",)

    shown = serializers.CharField(read_only=True)
    secret = serializers.CharField(read_only=True)


def test_an_optional_field_is_required_in_a_response_exactly_when_drf_always_sends_it():
    # A dict without the keys: DRF sends the nullable field as null and skips the other.
    assert _SometimesSent({}).data == {"note": None}
    serializer = _SometimesSent(context={"request": None})
    assert AutoSchema()._map_basic_serializer(serializer, "response")["required"] == ["note"]
    assert "required" not in AutoSchema()._map_basic_serializer(serializer, "request")


def test_a_field_declared_sometimes_omitted_is_never_required():
    serializer = _ForSomeReaders(context={"request": None})
    schema = AutoSchema()._map_basic_serializer(serializer, "response")
    assert schema["required"] == ["shown"]
    assert set(schema["properties"]) == {"shown", "secret"}


# Real answers walked along their schema.


def is_nullable(node: dict[str, Any]) -> bool:
    if node.get("nullable"):
        return True
    resolved = resolve(node)
    if resolved.get("nullable") or resolved.get("enum") == [None]:
        return True
    return any(is_nullable(part) for part in resolved.get("oneOf", []))


def allowed_values(node: dict[str, Any]) -> set[Any] | None:
    """The values an enum (or a choice of enums) allows; None when it is no enum."""
    resolved = resolve(node)
    if "enum" in resolved:
        return set(resolved["enum"])
    parts = [*resolved.get("oneOf", []), *resolved.get("allOf", [])]
    found = [allowed_values(part) for part in parts]
    if not parts or any(values is None for values in found):
        return None
    return set().union(*[values for values in found if values is not None])


def check_sent_as_documented(node: dict[str, Any], value: Any, where: str) -> int:
    """Walks a real answer along its schema: null only where nullable, enum values among
    their choices, and every object sends all its required properties and no
    undocumented one. Returns how many objects were compared."""
    if value is None:
        assert is_nullable(node), where
        return 0
    choices = allowed_values(node)
    if choices is not None:
        assert value in choices, (where, value)
        return 0
    node = resolve(node)
    for part in [*node.get("allOf", []), *node.get("oneOf", [])]:
        if "properties" in resolve(part):
            return check_sent_as_documented(part, value, where)
    if node.get("type") == "array":
        return sum(
            check_sent_as_documented(node["items"], item, f"{where}[{i}]")
            for i, item in enumerate(value)
        )
    if "properties" not in node:
        return 0
    missing = set(node.get("required", [])) - set(value)
    undocumented = set(value) - set(node["properties"])
    assert (missing, undocumented) == (set(), set()), where
    return 1 + sum(
        check_sent_as_documented(node["properties"][key], item, f"{where}.{key}")
        for key, item in value.items()
    )


@pytest.fixture
def records(patient, therapist, diagnosis):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    make_session(patient=patient)
    make_appointment(patient=patient, therapist=therapist)
    make_screening(patient=patient, screened_by=therapist)
    make_alert(patient=patient)
    make_questionnaire_response(patient=patient)
    return prescription


def staff_urls(patient_id: int, prescription_id: int) -> dict[str, str]:
    """Staff GETs, each with the schema path it is documented under."""
    return {
        "/api/v1/patients/": "/api/v1/patients/",
        f"/api/v1/patients/{patient_id}/": "/api/v1/patients/{id}/",
        f"/api/v1/patients/{patient_id}/closure/": "/api/v1/patients/{id}/closure/",
        f"/api/v1/patients/{patient_id}/progress/": "/api/v1/patients/{patient_id}/progress/",
        f"/api/v1/patients/{patient_id}/sessions/": "/api/v1/patients/{patient_id}/sessions/",
        "/api/v1/diagnoses/": "/api/v1/diagnoses/",
        f"/api/v1/prescriptions/{prescription_id}/": "/api/v1/prescriptions/{id}/",
        "/api/v1/exercises/": "/api/v1/exercises/",
        "/api/v1/program-templates/": "/api/v1/program-templates/",
        "/api/v1/screenings/": "/api/v1/screenings/",
        "/api/v1/alerts/": "/api/v1/alerts/",
        "/api/v1/appointments/": "/api/v1/appointments/",
        "/api/v1/questionnaire-responses/": "/api/v1/questionnaire-responses/",
        "/api/v1/staff/me/": "/api/v1/staff/me/",
        "/api/v1/therapists/": "/api/v1/therapists/",
    }


MINE = {
    "/api/v1/me/": "/api/v1/me/",
    "/api/v1/me/program/": "/api/v1/me/program/",
    "/api/v1/me/sessions/": "/api/v1/me/sessions/",
    "/api/v1/me/appointments/": "/api/v1/me/appointments/",
    "/api/v1/me/questionnaires/": "/api/v1/me/questionnaires/",
    "/api/v1/me/education/": "/api/v1/me/education/",
}


@pytest.mark.django_db
def test_a_therapists_and_a_patients_answers_send_what_the_schema_requires(
    therapist_api, patient_api, patient, records
):
    compared = 0
    for client, urls in (
        (therapist_api, staff_urls(patient.pk, records.pk)),
        (patient_api, MINE),
    ):
        for url, path in urls.items():
            response = client.get(url)
            assert response.status_code == 200, url
            compared += check_sent_as_documented(documented_body(path), response.json(), url)
    assert compared >= 60


# What the front desk reads of the staff API (it registers and books).
FRONT_DESK_READS = {"/api/v1/patients/", "/api/v1/patients/{id}/", "/api/v1/appointments/"}


@pytest.mark.django_db
def test_the_front_desks_answers_send_what_the_schema_requires(front_desk_api, patient, records):
    compared = 0
    for url, path in staff_urls(patient.pk, records.pk).items():
        if path in FRONT_DESK_READS:
            response = front_desk_api.get(url)
            assert response.status_code == 200, url
            compared += check_sent_as_documented(documented_body(path), response.json(), url)
    assert compared >= 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "reads_diagnoses"), [("front_desk_api", False), ("therapist_api", True)]
)
def test_each_patient_row_has_every_required_key_and_only_documented_ones(
    request, role, reads_diagnoses, patient, diagnosis
):
    client = request.getfixturevalue(role)
    component = COMPONENTS["Patient"]
    required = set(component["required"])
    documented = set(component["properties"])
    listed = client.get("/api/v1/patients/")
    detail = client.get(f"/api/v1/patients/{patient.pk}/")
    assert (listed.status_code, detail.status_code) == (200, 200)
    rows = [*listed.json()["results"], detail.json()]
    assert len(rows) == 2
    for row in rows:
        assert required <= set(row) <= documented, sorted(required - set(row))
        assert ("latest_diagnosis" in row) is reads_diagnoses
