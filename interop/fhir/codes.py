"""Codes the resource modules share, each from a published terminology.

Where a code system has no code for what we record, the resource uses
`systems.local_code_system(...)` in its own module instead of inventing one here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from interop.fhir import systems
from interop.fhir.types import Resource, concept

if TYPE_CHECKING:
    from practice.models import StaffMember

HL7_CS = "http://terminology.hl7.org/CodeSystem"
NPI = "http://hl7.org/fhir/sid/us-npi"

# Identifier type (v2 table 0203).
IDENTIFIER_TYPE = f"{HL7_CS}/v2-0203"
# Condition.
CONDITION_CLINICAL = f"{HL7_CS}/condition-clinical"
CONDITION_VERIFICATION = f"{HL7_CS}/condition-ver-status"
CONDITION_CATEGORY = f"{HL7_CS}/condition-category"
# Observation.
OBSERVATION_CATEGORY = f"{HL7_CS}/observation-category"
# Appointment and Encounter.
APPOINTMENT_REASON = f"{HL7_CS}/v2-0276"
APPOINTMENT_CANCELLATION_REASON = f"{HL7_CS}/appointment-cancellation-reason"
ACT_CODE = f"{HL7_CS}/v3-ActCode"

# LOINC: Pain severity - 0-10 verbal numeric rating [Score] - Reported.
LOINC_PAIN_SEVERITY = "72514-3"


def survey_category() -> Resource:
    return concept(OBSERVATION_CATEGORY, "survey", "Survey")


def pain_code() -> Resource:
    return concept(
        systems.LOINC,
        LOINC_PAIN_SEVERITY,
        "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    )


def clinician(staff: StaffMember) -> Resource:
    """A clinician, whom this API does not serve: by name, with their NPI where known.
    Reads `staff.user`: select it with the rows."""
    ref: Resource = {"display": str(staff)}
    if staff.npi:
        ref["identifier"] = {"system": NPI, "value": staff.npi}
    return ref


# Programs and exercises (PlanDefinition, ActivityDefinition, CarePlan, ServiceRequest).
PLAN_DEFINITION_TYPE = f"{HL7_CS}/plan-definition-type"
# The HL7 Physical Activity IG's category for its CarePlans and ServiceRequests.
PA_TEMPORARY_CODES = "http://hl7.org/fhir/us/physical-activity/CodeSystem/pa-temporary-codes"
PA_CATEGORY = ("PhysicalActivity", "Physical Activity")
# SNOMED CT, as the Physical Activity IG's exercise prescription codes it.
SNOMED_EXERCISE_THERAPY = ("229065009", "Exercise therapy (regime/therapy)")
# The IG's second ServiceRequest category (its US Core category subset).
SNOMED_PHYSICAL_THERAPY = ("91251008", "Physical therapy procedure (regime/therapy)")
# The exercise categories SNOMED CT has a concept for; McKenzie movements are exercise
# therapy in general, self-care (heat, cold) is no exercise and gets no SNOMED code.
EXERCISE_CATEGORY_SNOMED: dict[str, tuple[str, str]] = {
    "stretching": ("229070002", "Stretching exercises"),
    "strengthening": ("266741004", "Muscle strength exercise"),
    "low_impact_aerobic": ("229072005", "Aerobic exercises"),
    "mckenzie": SNOMED_EXERCISE_THERAPY,
}
# This system's own code systems (systems.local_code_system names).
EXERCISE_CATEGORY_SYSTEM = "exercise-category"
EXERCISE_METHOD_SYSTEM = "exercise-method"
PROGRAM_KIND_SYSTEM = "program-kind"
EXERCISE_STOP_REASON_SYSTEM = "exercise-stop-reason"
