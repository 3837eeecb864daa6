"""FHIR careplan resources (see interop.fhir.types)."""

from interop.fhir.types import FhirType

TYPES: tuple[FhirType, ...] = ()
