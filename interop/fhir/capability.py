"""The CapabilityStatement: what this server answers, read off the registry."""

from __future__ import annotations

from rest_framework.request import Request

from interop.fhir import registry
from interop.fhir.systems import FHIR_VERSION
from interop.fhir.types import Resource

# The date this statement's content last changed (it is generated, not edited).
PUBLISHED = "2026-12-03"

_PARAMETERS = {
    "_id": ("token", "http://hl7.org/fhir/SearchParameter/Resource-id", "The resource's id."),
    "_lastUpdated": (
        "date",
        "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated",
        "When the record last changed; prefixes eq, lt, le, gt, ge.",
    ),
    "patient": ("reference", "", "The patient the record is of: an id or Patient/<id>."),
    "date": ("date", "", "The record's clinical date or time; prefixes eq, lt, le, gt, ge."),
    "url": ("uri", "", "A definition's canonical URL (a |version is ignored)."),
    "identifier": (
        "token",
        "http://hl7.org/fhir/SearchParameter/Patient-identifier",
        "The MRN: value, or the clinic's MRN system|value.",
    ),
    "name": ("string", "", "Starts a given or family name (any case)."),
    "family": ("string", "", "Starts the family name (any case)."),
    "given": ("string", "", "Starts the given name (any case)."),
    "birthdate": ("date", "", "The birth date; prefixes eq, lt, le, gt, ge."),
    "code": ("token", "", "The observation's code: code or system|code (LOINC or local)."),
}


def _resource(name: str, searches: frozenset[str], documentation: str) -> Resource:
    entry: Resource = {
        "type": name,
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "searchParam": [
            {
                "name": param,
                "type": _PARAMETERS[param][0],
                **({"definition": _PARAMETERS[param][1]} if _PARAMETERS[param][1] else {}),
                "documentation": _PARAMETERS[param][2],
            }
            for param in sorted(searches)
        ],
    }
    if documentation:
        entry["documentation"] = documentation
    if name == "Patient":
        entry["operation"] = [
            {
                "name": "everything",
                "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                "documentation": "The patient's record and the definitions it instantiates.",
            }
        ]
    return entry


def capability_statement(request: Request) -> Resource:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": PUBLISHED,
        "kind": "instance",
        "software": {"name": "Sciatica practice"},
        "implementation": {
            "description": "Read-only FHIR R4 API of the clinic's records.",
            "url": request.build_absolute_uri("/fhir/R4"),
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Staff of a clinic read that clinic's records; every read is in the "
                    "access log. Paging by the bundle's links (_count up to 200)."
                ),
                "security": {
                    "description": (
                        "A staff login: a bearer token from /api/v1/auth/token/ or the "
                        "admin's session."
                    ),
                    "cors": False,
                },
                "resource": [
                    _resource(name, registry.searches(fhir_type), fhir_type.documentation)
                    for name, fhir_type in registry.types().items()
                ],
            }
        ],
    }
