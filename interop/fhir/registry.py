"""Every resource type the API serves, by name."""

from __future__ import annotations

from functools import cache

from interop.fhir.resources import (
    careplan,
    condition,
    definitions,
    observation,
    patient,
    questionnaire,
    scheduling,
)
from interop.fhir.types import FhirType

_MODULES = (patient, condition, careplan, definitions, observation, questionnaire, scheduling)


@cache
def types() -> dict[str, FhirType]:
    found: dict[str, FhirType] = {}
    for module in _MODULES:
        for fhir_type in module.TYPES:
            if fhir_type.name in found:
                raise ValueError(f"FHIR type {fhir_type.name} is declared twice.")
            found[fhir_type.name] = fhir_type
    return dict(sorted(found.items()))


def searches(fhir_type: FhirType) -> frozenset[str]:
    """The search parameters a type takes: those every one of its sources can answer."""
    names = {"_id"}
    if all(source.last_updated for source in fhir_type.sources):
        names.add("_lastUpdated")
    if fhir_type.name != "Patient" and all(source.patient for source in fhir_type.sources):
        names.add("patient")
    if all(source.date for source in fhir_type.sources):
        names.add("date")
    if all(source.canonical_key or source.key for source in fhir_type.sources):
        names.add("url")
    names |= set.intersection(*(set(source.filters) for source in fhir_type.sources))
    return frozenset(names)
