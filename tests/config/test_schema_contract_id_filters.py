"""Query parameters that carry an id are integers in the schema, and the server takes
them only as whole numbers, as it does the ids in paths."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from core.api.openapi import is_id_parameter

from .schema_contract import operations


def _names_of_models_and_links() -> set[str]:
    """Every model's name and every name a model gives a link to another."""
    names: set[str] = set()
    for model in apps.get_models():
        names.add(model._meta.model_name or "")
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField):
                names.add(field.name)
    return names - {""}


def test_every_query_parameter_naming_an_id_or_a_model_is_an_integer():
    linked = _names_of_models_and_links()
    ids = [
        (method, path, p)
        for method, path, operation in operations()
        for p in operation.get("parameters", [])
        if p["in"] == "query" and (is_id_parameter(p["name"]) or p["name"] in linked)
    ]
    assert len(ids) >= 9
    assert {p["name"] for _, _, p in ids} >= {"patient", "diagnosis", "therapist"}
    for method, path, p in ids:
        assert p["schema"]["type"] == "integer", (method, path, p)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/prescriptions/", "patient"),
        ("/api/v1/prescriptions/", "diagnosis"),
        ("/api/v1/questionnaire-responses/", "patient"),
    ],
)
def test_an_id_filter_takes_only_a_whole_number(therapist_api, patient, path, name):
    for junk in ["1.0", "1e0", "1.5", "+1", "\uff11", str(2**63), "99999999999999999999"]:
        response = therapist_api.get(path, {name: junk})
        assert response.status_code == 400, (junk, response.content)
        assert response.json()["errors"] == {name: ["Enter a whole number."]}, junk

    assert therapist_api.get(path, {name: str(patient.pk)}).status_code == 200
