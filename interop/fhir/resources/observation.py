"""FHIR Observation for pain and for outcome scores (see interop.fhir.types).

Three sources, one Observation per row:
- "pain-": an exercise session's pain readings. One Observation coded NPRS (LOINC
  72514-3) whose components are back and leg pain, before and after the session, and
  how far down the leg the pain reached: back and leg pain are read apart (a rise of
  back pain while leg pain retreats is expected in McKenzie care), so one value would
  hide what matters. LOINC has no code for each of them, hence the local codes.
- "nprs-": an NPRS questionnaire, the pain figure as valueInteger.
- "score-": an ODI, RMDQ or STarT Back questionnaire's score, derived from its
  QuestionnaireResponse.

All are reported by the patient, hence category "survey".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from interop.fhir import codes, systems
from interop.fhir.search import tokens
from interop.fhir.types import FhirType, Filter, Resource, Source, coding, concept, reference
from outcomes.models import Code, QuestionnaireResponse
from outcomes.scoring import OdiBand, StartBackRisk
from programs.models import ExerciseSession
from programs.session_models import PainExtent

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.models import QuerySet

    from practice.models import Clinic

PAIN_COMPONENT = systems.local_code_system("pain-reading")
PAIN_EXTENT = systems.local_code_system("pain-extent")
OUTCOME_SCORE = systems.local_code_system("outcome-score")
ODI_BAND = systems.local_code_system("odi-band")

_READINGS = (
    ("back_pain_before", "Low back pain before the session"),
    ("back_pain_after", "Low back pain after the session"),
    ("leg_pain_before", "Leg pain before the session"),
    ("leg_pain_after", "Leg pain after the session"),
)

# LOINC Oswestry disability index score [ODI], 97909-6; STarT Back (panel 91349-1):
# total score 91351-7, distress subscore 91350-9, risk level 91352-5 with its
# answers. The RMDQ has no LOINC code: a local one.
_SCORE_CODES = {
    Code.ODI: (systems.LOINC, "97909-6", "Oswestry disability index score ODI"),
    Code.RMDQ: (OUTCOME_SCORE, "rmdq-total", "Roland-Morris Disability Questionnaire score"),
    Code.STARTBACK: (systems.LOINC, "91351-7", "Total score [STarT Back]"),
}
STARTBACK_SUBSCORE = ("91350-9", "Distress subscore [STarT Back]")
STARTBACK_RISK = ("91352-5", "STarT Back Screening risk level")
_STARTBACK_RISK_ANSWERS = {
    StartBackRisk.LOW: ("LA9194-7", "Low"),
    StartBackRisk.MEDIUM: ("LA8982-6", "Medium"),
    StartBackRisk.HIGH: ("LA9193-9", "High"),
}
SCORE_ID_PREFIX = "score-"
NPRS_ID_PREFIX = "nprs-"
PAIN_ID_PREFIX = "pain-"


# --- pain from exercise sessions -----------------------------------------------------


def session_rows(clinic: Clinic) -> QuerySet[ExerciseSession]:
    return ExerciseSession.objects.for_clinic(clinic)


def render_session_pain(session: ExerciseSession) -> Resource:
    components: list[Resource] = []
    for field, text in _READINGS:
        value = getattr(session, field)
        if value is None:
            continue  # a patient without back pain, or a reading from before the split
        components.append(
            {
                "code": {"coding": [coding(PAIN_COMPONENT, field.replace("_", "-"), text)]},
                "valueInteger": value,
            }
        )
    for field, when in (("pain_extent_before", "before"), ("pain_extent", "after")):
        extent = getattr(session, field)
        if not extent:
            continue
        label = PainExtent(extent).label if extent in PainExtent.values else None
        text = f"How far down the leg the pain reaches {when} the session"
        components.append(
            {
                "code": {"coding": [coding(PAIN_COMPONENT, f"extent-{when}", text)]},
                "valueCodeableConcept": concept(PAIN_EXTENT, extent, label),
            }
        )
    return {
        "resourceType": "Observation",
        "id": f"{PAIN_ID_PREFIX}{session.pk}",
        "status": "final",
        "category": [codes.survey_category()],
        "code": {**codes.pain_code(), "text": "Back and leg pain around an exercise session"},
        "subject": reference("Patient", session.patient_id),
        "effectiveDateTime": session.performed_at.isoformat(),
        "performer": [reference("Patient", session.patient_id)],
        "component": components,
    }


# --- scores from questionnaires ------------------------------------------------------


def _response_rows(clinic: Clinic) -> QuerySet[QuestionnaireResponse]:
    return QuestionnaireResponse.objects.for_clinic(clinic)


def nprs_rows(clinic: Clinic) -> QuerySet[QuestionnaireResponse]:
    return _response_rows(clinic).filter(code=Code.NPRS)


def score_rows(clinic: Clinic) -> QuerySet[QuestionnaireResponse]:
    return _response_rows(clinic).filter(code__in=tuple(_SCORE_CODES))


def _from_response(response: QuestionnaireResponse, prefix: str) -> Resource:
    return {
        "resourceType": "Observation",
        "id": f"{prefix}{response.pk}",
        "status": "final",
        "category": [codes.survey_category()],
        "subject": reference("Patient", response.patient_id),
        "effectiveDateTime": response.answered_at.isoformat(),
        "performer": [reference("Patient", response.patient_id)],
        # The QuestionnaireResponse type renders its rows with no prefix.
        "derivedFrom": [reference("QuestionnaireResponse", response.pk)],
    }


def render_nprs(response: QuestionnaireResponse) -> Resource:
    return {
        **_from_response(response, NPRS_ID_PREFIX),
        "code": codes.pain_code(),
        "valueInteger": int(response.score),
    }


def render_score(response: QuestionnaireResponse) -> Resource:
    system, code, display = _SCORE_CODES[Code(response.code)]
    resource = {
        **_from_response(response, SCORE_ID_PREFIX),
        "code": {"coding": [coding(system, code, display)], "text": response.get_code_display()},
    }
    if response.code == Code.STARTBACK:
        resource["valueInteger"] = int(response.score)
        resource["component"] = _startback_components(response)
    elif response.code == Code.ODI:
        # The index is a percentage of the sections answered (0-100).
        resource["valueQuantity"] = _quantity(response, "%", "%")
        if response.band:
            label = OdiBand(response.band).label if response.band in OdiBand.values else None
            resource["interpretation"] = [concept(ODI_BAND, response.band, label)]
    else:
        # Prorated when items are missing, so not always a whole number.
        resource["valueQuantity"] = _quantity(response, "score", "{score}")
    return resource


def _quantity(response: QuestionnaireResponse, unit: str, ucum: str) -> Resource:
    return {"value": float(response.score), "unit": unit, "system": systems.UCUM, "code": ucum}


def _startback_components(response: QuestionnaireResponse) -> list[Resource]:
    components: list[Resource] = []
    if response.subscale is not None:
        components.append(
            {
                "code": concept(systems.LOINC, *STARTBACK_SUBSCORE),
                "valueInteger": response.subscale,
            }
        )
    answer = _STARTBACK_RISK_ANSWERS.get(StartBackRisk(response.band)) if response.band else None
    if answer is not None:
        components.append(
            {
                "code": concept(systems.LOINC, *STARTBACK_RISK),
                "valueCodeableConcept": concept(systems.LOINC, *answer),
            }
        )
    return components


# --- the `code` search ------------------------------------------------------------


def _names_code(value: str, system: str, code: str) -> bool:
    return any(wanted == code and given in (None, system) for given, wanted in tokens(value))


def _pain_code(rows: QuerySet[Any], value: str, clinic: Clinic) -> QuerySet[Any]:
    """Every pain Observation is coded NPRS."""
    return rows if _names_code(value, systems.LOINC, codes.LOINC_PAIN_SEVERITY) else rows.none()


def _score_code(
    rows: QuerySet[QuestionnaireResponse], value: str, clinic: Clinic
) -> QuerySet[QuestionnaireResponse]:
    named = [
        instrument
        for instrument, (system, code, _) in _SCORE_CODES.items()
        if _names_code(value, system, code)
    ]
    return rows.filter(code__in=named)


def _answers(
    rows: Callable[[Clinic], QuerySet[QuestionnaireResponse]],
    render: Callable[[QuestionnaireResponse], Resource],
    prefix: str,
    code: Filter,
) -> Source:
    """A source of questionnaire answers; answers never change once given."""
    return Source(
        rows=rows,
        render=render,
        prefix=prefix,
        patient="patient_id",
        date="answered_at",
        last_updated="created_at",
        filters={"code": code},
    )


TYPES: tuple[FhirType, ...] = (
    FhirType(
        name="Observation",
        sources=(
            Source(
                rows=session_rows,
                render=render_session_pain,
                prefix=PAIN_ID_PREFIX,
                patient="patient_id",
                date="performed_at",
                # Sessions never change once logged.
                last_updated="created_at",
                filters={"code": _pain_code},
            ),
            _answers(nprs_rows, render_nprs, NPRS_ID_PREFIX, _pain_code),
            _answers(score_rows, render_score, SCORE_ID_PREFIX, _score_code),
        ),
        documentation=(
            "Pain (NPRS, LOINC 72514-3) from exercise sessions and NPRS questionnaires; "
            "ODI, RMDQ and STarT Back scores from their questionnaires."
        ),
    ),
)
