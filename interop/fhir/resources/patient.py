"""FHIR Patient from patients.Patient (see interop.fhir.types).

Demographics, contact and language only: consent and quiet hours are this system's own
reminder settings, not part of the record others read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q

from core.localtime import zone_of
from interop.fhir import codes, systems
from interop.fhir.search import parse_date, strings, tokens
from interop.fhir.types import FhirType, Filter, Resource, Source, coding
from patients.models import Patient

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from practice.models import Clinic

# The names LANGUAGES gives are each in its own language; FHIR's text is English.
_LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


def rows(clinic: Clinic) -> QuerySet[Patient]:
    return Patient.objects.for_clinic(clinic).select_related("clinic", "primary_therapist__user")


def render(patient: Patient) -> Resource:
    resource: Resource = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "identifier": [
            {
                "use": "usual",
                "type": {
                    "coding": [coding(codes.IDENTIFIER_TYPE, "MR", "Medical record number")],
                    "text": "MRN",
                },
                "system": systems.mrn_system(patient.clinic),
                "value": patient.mrn,
            }
        ],
        # A discharged patient's record is still in use (they may come back); an
        # archived one is closed.
        "active": patient.status != Patient.Status.ARCHIVED,
        "name": [
            {
                "use": "official",
                "family": patient.last_name,
                "given": [patient.first_name],
                "text": patient.full_name,
            }
        ],
        "birthDate": patient.date_of_birth.isoformat(),
    }
    telecom = _telecom(patient)
    if telecom:
        resource["telecom"] = telecom
    if patient.language:
        resource["communication"] = [
            {
                "language": {
                    "coding": [
                        coding(
                            systems.BCP47,
                            patient.language,
                            _LANGUAGE_NAMES.get(patient.language)
                            or dict(settings.LANGUAGES).get(patient.language),
                        )
                    ]
                },
                "preferred": True,
            }
        ]
    if patient.primary_therapist is not None:
        resource["generalPractitioner"] = [codes.clinician(patient.primary_therapist)]
    return resource


def _telecom(patient: Patient) -> list[Resource]:
    found: list[Resource] = []
    if patient.phone:
        # E.164 is what other systems dial; a number stored before numbers were
        # validated goes out as it was typed rather than not at all.
        phone = patient.phone
        value = phone.as_e164 if phone.is_valid() else str(phone.raw_input)
        found.append({"system": "phone", "value": value})
    if patient.email:
        found.append({"system": "email", "value": patient.email})
    return found


def _identifier(rows: QuerySet[Patient], value: str, clinic: Clinic) -> QuerySet[Patient]:
    mrns = [code for system, code in tokens(value) if system in (None, systems.mrn_system(clinic))]
    return rows.filter(mrn__in=mrns)


def _names(*fields: str) -> Filter:
    def matching(rows: QuerySet[Any], value: str, clinic: Clinic) -> QuerySet[Any]:
        wanted = Q()
        for alternative in strings(value):
            for name in fields:
                wanted |= Q(**{f"{name}__istartswith": alternative})
        return rows.filter(wanted)

    return matching


def _birthdate(rows: QuerySet[Patient], value: str, clinic: Clinic) -> QuerySet[Patient]:
    return rows.filter(
        parse_date(value, zone_of(clinic.time_zone)).q("date_of_birth", is_date=True)
    )


# FHIR's string search: a name that starts with the value, in any case.
FILTERS: dict[str, Filter] = {
    "identifier": _identifier,
    "name": _names("first_name", "last_name"),
    "family": _names("last_name"),
    "given": _names("first_name"),
    "birthdate": _birthdate,
}

TYPES: tuple[FhirType, ...] = (
    FhirType(
        name="Patient",
        sources=(
            Source(
                rows=rows,
                render=render,
                patient="pk",
                last_updated="updated_at",
                filters=FILTERS,
            ),
        ),
        documentation="The clinic's patients: MRN, name, birth date, telecom, language.",
    ),
)
