"""Programs and their definitions through the FHIR API: scope, search, $everything."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.bundle import Bundle

from interop.fhir import systems

pytestmark = pytest.mark.django_db


def _bundle(response) -> dict:
    assert response.status_code == 200, response.content
    Bundle.model_validate(response.json())
    return response.json()


def test_care_plan_and_service_request_are_read_by_id(therapist_api, prescription):
    for resource_type in ("CarePlan", "ServiceRequest"):
        response = therapist_api.get(f"/fhir/R4/{resource_type}/{prescription.pk}")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["resourceType"] == resource_type
        assert body["meta"]["lastUpdated"]


def test_another_clinics_program_is_a_404(other_therapist_api, prescription):
    for resource_type in ("CarePlan", "ServiceRequest"):
        response = other_therapist_api.get(f"/fhir/R4/{resource_type}/{prescription.pk}")
        assert response.status_code == 404


def test_care_plans_are_searched_by_patient(therapist_api, prescription, same_clinic_patient):
    mine = _bundle(therapist_api.get(f"/fhir/R4/CarePlan?patient={prescription.patient_id}"))
    assert [e["resource"]["id"] for e in mine["entry"]] == [str(prescription.pk)]
    other = _bundle(therapist_api.get(f"/fhir/R4/CarePlan?patient={same_clinic_patient.pk}"))
    assert not other.get("entry")


def test_definitions_are_read_by_any_clinic(other_therapist_api):
    body = _bundle(other_therapist_api.get("/fhir/R4/PlanDefinition"))
    urls = {e["resource"]["url"] for e in body["entry"]}
    assert systems.canonical("PlanDefinition", "mckenzie-extension") in urls


def test_everything_answers_the_definitions_the_program_instantiates(therapist_api, prescription):
    body = _bundle(therapist_api.get(f"/fhir/R4/Patient/{prescription.patient_id}/$everything"))
    resources = [e["resource"] for e in body["entry"]]
    by_type: dict[str, list[dict]] = {}
    for resource in resources:
        by_type.setdefault(resource["resourceType"], []).append(resource)
    assert [r["id"] for r in by_type["CarePlan"]] == [str(prescription.pk)]
    assert [r["id"] for r in by_type["ServiceRequest"]] == [str(prescription.pk)]
    served = {r["url"] for r in resources if "url" in r}
    plan = by_type["CarePlan"][0]
    named = set(plan["instantiatesCanonical"]) | {
        url
        for a in plan["activity"]
        if "detail" in a
        for url in a["detail"]["instantiatesCanonical"]
    }
    assert named <= served
    local = {f"{r['resourceType']}/{r['id']}" for r in resources}
    refs = [
        plan["activity"][0]["reference"]["reference"],
        *[r["reference"] for r in plan["addresses"]],
    ]
    assert set(refs) <= local
