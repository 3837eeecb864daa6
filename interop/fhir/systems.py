"""The URIs the resources name their identifiers, codes and definitions by."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from practice.models import Clinic

FHIR_VERSION = "4.0.1"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
CPT = "http://www.ama-assn.org/go/cpt"
UCUM = "http://unitsofmeasure.org"
BCP47 = "urn:ietf:bcp:47"


def base() -> str:
    return str(settings.FHIR_SYSTEM_BASE)


def mrn_system(clinic: Clinic) -> str:
    """Each clinic numbers its own patients, so each has its own MRN system."""
    return f"{base()}/fhir/sid/clinic/{clinic.slug}/mrn"


def local_code_system(name: str) -> str:
    """This system's own code system, for what no published terminology codes."""
    return f"{base()}/fhir/CodeSystem/{name}"


def canonical(resource_type: str, key: str) -> str:
    """The canonical URL of a definition (PlanDefinition, ActivityDefinition,
    Questionnaire), stable across deployments' database ids."""
    return f"{base()}/fhir/R4/{resource_type}/{key}"
