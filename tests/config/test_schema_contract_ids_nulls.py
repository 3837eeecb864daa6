"""The schema's ids, nulls and error bodies, checked on the generated schema and
against the server's real answers."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from core.api.openapi import is_id_parameter
from programs.models import Contraindication, Exercise

from .schema_contract import COMPONENTS, SCHEMA, operations, parameter, ref_name, refs_in, walk

# drf-spectacular itself, at zero warnings (as `make lint` runs it).


def test_drf_spectacular_validates_the_schema_with_no_warning(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


# Ids in paths.


def test_every_id_in_a_path_is_an_integer():
    ids = [
        (method, path, p)
        for method, path, operation in operations()
        for p in operation.get("parameters", [])
        if p["in"] == "path" and is_id_parameter(p["name"])
    ]
    assert len(ids) >= 30
    for method, path, p in ids:
        assert p["schema"]["type"] == "integer", (method, path, p)
        assert p["schema"]["minimum"] == 1, (method, path, p)
        assert "pattern" not in p["schema"], (method, path, p)


def test_slugs_and_codes_in_paths_stay_strings():
    assert parameter("get", "/api/v1/education/{slug}/", "slug")["schema"]["type"] == "string"
    code = parameter("post", "/api/v1/me/questionnaires/{code}/responses/", "code")
    assert ref_name(code["schema"]) == "QuestionnaireCode"


@pytest.mark.django_db
def test_a_path_id_that_is_no_number_is_still_a_json_404(therapist_api, patient):
    for segment in ("abc", "1.5", "-3", "0"):
        response = therapist_api.get(f"/api/v1/patients/{segment}/")
        assert response.status_code == 404, segment
        assert response.json()["status"] == 404
    assert therapist_api.get(f"/api/v1/patients/{patient.pk}/").status_code == 200


# Nulls.


def test_every_nullable_schema_names_its_type():
    untyped = [node for node in walk(SCHEMA) if node.get("nullable") and "type" not in node]
    assert untyped == []


def test_a_prescriptions_template_is_a_nullable_string():
    template = COMPONENTS["Prescription"]["properties"]["template"]
    assert template["type"] == "string"
    assert template["nullable"] is True


@pytest.mark.django_db
def test_a_custom_programs_template_is_null_as_the_schema_allows(therapist_api, diagnosis):
    exercise = Exercise.objects.filter(is_active=True).order_by("pk").first()
    assert exercise is not None
    body = {
        "patient": diagnosis.patient_id,
        "diagnosis": diagnosis.pk,
        "exercises": [{"exercise": exercise.slug}],
        "reminder_times": ["08:00"],
        "override_reason": "Chosen by the treating therapist.",
    }
    response = therapist_api.post("/api/v1/prescriptions/", body)
    assert response.status_code == 201, response.json()
    assert response.json()["template"] is None


def test_nullable_objects_and_enums_refer_to_one_component():
    latest = COMPONENTS["Patient"]["properties"]["latest_diagnosis"]
    assert (latest["type"], latest["nullable"]) == ("object", True)
    assert refs_in(latest) == {"DiagnosisSummary"}
    hold = COMPONENTS["MyProgram"]["properties"]["hold_kind"]
    assert (hold["type"], hold["nullable"]) == ("string", True)
    assert "HoldKind" in refs_in(hold)


# Error bodies.


def test_an_error_body_an_operation_names_is_the_envelopes_errors():
    answer = SCHEMA["paths"]["/api/v1/prescriptions/"]["post"]["responses"]["400"]
    envelope = answer["content"]["application/json"]["schema"]
    assert ref_name(envelope) == "ContraindicationRefusalError"
    component = COMPONENTS["ContraindicationRefusalError"]
    # The envelope itself, with its `errors` typed as the refusal (no allOf to merge).
    assert component["required"] == COMPONENTS["Error"]["required"]
    assert set(component["properties"]) == set(COMPONENTS["Error"]["properties"])
    assert ref_name(component["properties"]["errors"]) == "ContraindicationRefusal"


def test_an_errors_entry_is_a_fields_messages_or_a_nested_body():
    entry = COMPONENTS["Error"]["properties"]["errors"]["additionalProperties"]
    assert entry["oneOf"][0] == {"type": "array", "items": {"type": "string"}}
    assert entry["oneOf"][1]["type"] == "object"


def test_the_blank_choice_is_a_typed_string_enum():
    assert COMPONENTS["Blank"] == {"type": "string", "enum": [""]}


@pytest.mark.django_db
def test_a_contraindication_refusal_comes_in_the_envelope(therapist_api, diagnosis):
    refused = Contraindication.objects.filter(cause=diagnosis.cause).order_by("pk").first()
    assert refused is not None
    body = {
        "patient": diagnosis.patient_id,
        "diagnosis": diagnosis.pk,
        "exercises": [{"exercise": refused.exercise.slug}],
        "reminder_times": ["08:00"],
    }
    response = therapist_api.post("/api/v1/prescriptions/", body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [c["exercise"] for c in errors["contraindications"]] == [refused.exercise.slug]
    assert errors["override_reason"]
