"""FHIR Condition from patients.Diagnosis (see interop.fhir.types).

A Condition has one code, the diagnosis's primary ICD-10-CM code. The secondary codes
name other conditions (the sciatica symptom code beside the disc disorder, the other
side of bilateral sciatica), not the same concept in other words, so they are not
further codings of it: they go in a note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models.functions import Greatest

from interop.fhir import codes, systems
from interop.fhir.types import FhirType, Resource, Source, coding, concept, reference
from patients import icd10
from patients.diagnoses import codes_as_list
from patients.models import Diagnosis, Patient, Side

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from practice.models import Clinic

# SNOMED CT laterality qualifiers (the FHIR bodystructure-laterality value set), the
# side of the leg the sciatica runs down.
_LATERALITY = {
    Side.LEFT: ("7771000", "Left", "Left leg"),
    Side.RIGHT: ("24028007", "Right", "Right leg"),
    Side.BILATERAL: ("51440002", "Right and left", "Both legs"),
}


def rows(clinic: Clinic) -> QuerySet[Diagnosis]:
    return Diagnosis.objects.for_clinic(clinic).select_related(
        "patient__clinic", "diagnosed_by__user"
    )


def clinical_status(diagnosis: Diagnosis) -> str:
    """Active while the patient is in care; resolved once discharged or archived, the
    episode the diagnosis was treated in being over."""
    return "active" if diagnosis.patient.status == Patient.Status.ACTIVE else "resolved"


def render(diagnosis: Diagnosis) -> Resource:
    status = clinical_status(diagnosis)
    primary = icd10.LEAF_CODES.get(diagnosis.icd10_code)
    code_coding = coding(systems.ICD10CM, diagnosis.icd10_code, primary.title if primary else None)
    snomed, display, text = _LATERALITY[Side(diagnosis.side)]
    resource: Resource = {
        "resourceType": "Condition",
        "id": str(diagnosis.pk),
        "clinicalStatus": concept(codes.CONDITION_CLINICAL, status, status.capitalize()),
        "verificationStatus": concept(codes.CONDITION_VERIFICATION, "confirmed", "Confirmed"),
        "category": [
            concept(codes.CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis")
        ],
        "code": {
            "coding": [code_coding],
            "text": f"Sciatica: {diagnosis.get_cause_display().lower()}",
        },
        "bodySite": [{"coding": [coding(systems.SNOMED, snomed, display)], "text": text}],
        "subject": reference("Patient", diagnosis.patient_id),
        "onsetDateTime": diagnosis.onset_date.isoformat(),
        "recordedDate": diagnosis.diagnosed_on.isoformat(),
        "recorder": codes.clinician(diagnosis.diagnosed_by),
    }
    notes = _notes(diagnosis)
    if notes:
        resource["note"] = notes
    return resource


def _notes(diagnosis: Diagnosis) -> list[Resource]:
    found: list[Resource] = []
    secondary = codes_as_list(diagnosis.secondary_icd10_codes)
    if secondary:
        named = []
        for code in secondary:
            leaf = icd10.LEAF_CODES.get(code)
            named.append(f"{code} ({leaf.title})" if leaf else code)
        found.append({"text": "Secondary ICD-10-CM codes: " + "; ".join(named) + "."})
    if diagnosis.notes:
        found.append({"text": diagnosis.notes})
    return found


TYPES: tuple[FhirType, ...] = (
    FhirType(
        name="Condition",
        sources=(
            Source(
                rows=rows,
                render=render,
                patient="patient_id",
                date="onset_date",
                # The clinical status follows the patient's status: a change of the
                # patient moves it too (any change, so a sync never misses one).
                last_updated=Greatest("created_at", "patient__updated_at"),
            ),
        ),
        documentation="The diagnosed cause of the sciatica: ICD-10-CM code, side, onset.",
    ),
)
