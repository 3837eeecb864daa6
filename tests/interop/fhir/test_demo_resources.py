"""Every resource the demo data produces is valid FHIR (R4B models of fhir.resources),
and a patient's $everything answers every reference it makes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from fhir.resources.R4B import get_fhir_model_class

from interop.fhir import registry
from patients.models import Patient
from practice.models import User
from tests.clients import bearer

pytestmark = pytest.mark.django_db


def references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            yield value["reference"]
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def canonicals(resource: dict) -> Iterator[str]:
    for key in ("instantiatesCanonical", "definitionCanonical", "questionnaire"):
        for found in _values_of(resource, key):
            yield found.split("|", 1)[0]


def _values_of(value: Any, key: str) -> Iterator[str]:
    if isinstance(value, dict):
        for name, item in value.items():
            if name == key:
                yield from (item if isinstance(item, list) else [item])
            else:
                yield from _values_of(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _values_of(item, key)


def every_page(client, url: str) -> list[dict]:
    resources: list[dict] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        get_fhir_model_class("Bundle").model_validate(body)
        resources += [entry["resource"] for entry in body.get("entry", [])]
        url = next((link["url"] for link in body["link"] if link["relation"] == "next"), "")
    return resources


def test_every_type_of_the_demo_data_validates_and_everything_resolves():
    call_command("seed_demo", "--force", "--password", "demo-pass-123", stdout=None)
    reader = User.objects.get(username="demo.therapist")
    client = bearer(reader)

    for name in registry.types():
        resources = every_page(client, f"/fhir/R4/{name}?_count=200")
        assert resources, f"the demo data produces no {name}"
        model = get_fhir_model_class(name)
        for resource in resources:
            assert resource["resourceType"] == name
            model.model_validate(resource)

    clinic = reader.staff_profile.clinic
    for patient in Patient.objects.for_clinic(clinic):
        bundle = every_page(client, f"/fhir/R4/Patient/{patient.pk}/$everything?_count=200")
        served = {f"{r['resourceType']}/{r['id']}" for r in bundle}
        urls = {r["url"] for r in bundle if "url" in r}
        for resource in bundle:
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            for reference in references(resource):
                assert reference in served, f"{resource['resourceType']} names {reference}"
            for canonical in canonicals(resource):
                assert canonical in urls, f"{resource['resourceType']} names {canonical}"
            subject = resource.get("subject") or resource.get("patient")
            if subject:
                assert subject["reference"] == f"Patient/{patient.pk}"
