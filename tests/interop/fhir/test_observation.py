"""Observation: pain from exercise sessions and NPRS answers; ODI, RMDQ and STarT Back
scores from their questionnaires."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.observation import Observation

from interop.fhir import systems
from interop.fhir.resources import observation as observation_resource
from interop.fhir.types import Source
from outcomes.models import QuestionnaireResponse
from tests.factories.outcomes import answers_for, make_questionnaire_response
from tests.factories.programs import make_session

pytestmark = pytest.mark.django_db

LOINC = "http://loinc.org"
PAIN, NPRS, SCORE = observation_resource.TYPES[0].sources


def _render(source: Source, row_pk: int, clinic) -> dict:
    rows = source.rows(clinic)
    assert isinstance(rows, QuerySet)
    row = rows.get(pk=row_pk)
    resource = source.render(row)
    Observation.model_validate(resource)
    assert resource["id"] == f"{source.prefix}{row_pk}"
    assert resource["status"] == "final"
    assert resource["category"][0]["coding"][0]["code"] == "survey"
    return resource


def _components(resource: dict) -> dict:
    return {c["code"]["coding"][0]["code"]: c for c in resource.get("component", [])}


def _score(response: QuestionnaireResponse) -> dict:
    resource = _render(SCORE, response.pk, response.patient.clinic)
    assert resource["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{response.pk}"}]
    assert resource["effectiveDateTime"] == response.answered_at.isoformat()
    return resource


def test_session_pain_is_nprs_with_leg_pain_before_and_after_as_components(prescription):
    session = make_session(patient=prescription.patient, pain_extent="thigh")

    resource = _render(PAIN, session.pk, prescription.patient.clinic)

    assert resource["code"]["coding"][0]["system"] == LOINC
    assert resource["code"]["coding"][0]["code"] == "72514-3"
    assert resource["subject"] == {"reference": f"Patient/{session.patient_id}"}
    assert resource["effectiveDateTime"] == session.performed_at.isoformat()
    components = _components(resource)
    assert set(components) == {"leg-pain-before", "leg-pain-after", "extent-after"}
    assert components["leg-pain-before"]["valueInteger"] == 4
    assert components["leg-pain-after"]["valueInteger"] == 3
    assert components["extent-after"]["valueCodeableConcept"]["coding"][0]["code"] == "thigh"
    assert components["leg-pain-before"]["code"]["coding"][0][
        "system"
    ] == systems.local_code_system("pain-reading")


def test_session_with_back_and_leg_pain_and_the_extent_before_has_every_component(prescription):
    session = make_session(
        patient=prescription.patient,
        pain_extent="buttock",
        back_pain_before=3,
        back_pain_after=5,
        leg_pain_before=6,
        leg_pain_after=2,
    )
    type(session).objects.filter(pk=session.pk).update(pain_extent_before="calf")

    components = _components(_render(PAIN, session.pk, prescription.patient.clinic))

    assert {k: c.get("valueInteger") for k, c in components.items() if "pain" in k} == {
        "back-pain-before": 3,
        "back-pain-after": 5,
        "leg-pain-before": 6,
        "leg-pain-after": 2,
    }
    assert components["extent-before"]["valueCodeableConcept"]["coding"][0]["display"] == "Calf"


def test_an_nprs_answer_is_a_pain_observation_with_an_integer(diagnosis):
    response = make_questionnaire_response(patient=diagnosis.patient, code="nprs")

    resource = _render(NPRS, response.pk, diagnosis.patient.clinic)

    assert resource["code"]["coding"][0]["code"] == "72514-3"
    assert resource["valueInteger"] == 6
    assert resource["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{response.pk}"}]


def test_odi_is_loinc_97909_6_as_a_percentage_with_its_band(diagnosis):
    response = make_questionnaire_response(patient=diagnosis.patient, code="odi")

    resource = _score(response)

    assert resource["code"]["coding"][0] == {
        "system": LOINC,
        "code": "97909-6",
        "display": "Oswestry disability index score ODI",
    }
    assert resource["valueQuantity"]["value"] == float(response.score)
    assert resource["valueQuantity"]["code"] == "%"
    assert resource["interpretation"][0]["coding"][0]["code"] == response.band
    assert resource["interpretation"][0]["coding"][0]["system"] == systems.local_code_system(
        "odi-band"
    )


def test_rmdq_has_no_loinc_code_so_a_local_one(diagnosis):
    response = make_questionnaire_response(patient=diagnosis.patient, code="rmdq")

    resource = _score(response)

    assert resource["code"]["coding"][0]["system"] == systems.local_code_system("outcome-score")
    assert resource["code"]["coding"][0]["code"] == "rmdq-total"
    assert resource["valueQuantity"]["value"] == 9.0
    assert "interpretation" not in resource


def test_startback_total_with_its_distress_subscore_and_risk_level_as_components(diagnosis):
    response = make_questionnaire_response(patient=diagnosis.patient, code="startback")

    resource = _score(response)

    assert resource["code"]["coding"][0]["code"] == "91351-7"
    assert resource["valueInteger"] == 5
    components = _components(resource)
    assert components["91350-9"]["valueInteger"] == 4
    assert components["91352-5"]["valueCodeableConcept"]["coding"][0] == {
        "system": LOINC,
        "code": "LA9193-9",
        "display": "High",
    }


@pytest.mark.parametrize(
    ("answers", "risk"),
    [
        ({**{str(n): 0 for n in range(1, 9)}, "9": 0}, "LA9194-7"),
        ({**{str(n): int(n <= 4) for n in range(1, 9)}, "9": 0}, "LA8982-6"),
    ],
)
def test_startback_low_and_medium_risk_take_their_loinc_answers(diagnosis, answers, risk):
    response = make_questionnaire_response(
        patient=diagnosis.patient, code="startback", answers=answers
    )

    components = _components(_score(response))

    assert components["91352-5"]["valueCodeableConcept"]["coding"][0]["code"] == risk


def test_nprs_rows_are_not_scores_and_scores_are_not_nprs(diagnosis):
    patient = diagnosis.patient
    nprs = make_questionnaire_response(patient=patient, code="nprs")
    odi = make_questionnaire_response(patient=patient, code="odi")

    assert list(NPRS.rows(patient.clinic).values_list("pk", flat=True)) == [nprs.pk]
    assert list(SCORE.rows(patient.clinic).values_list("pk", flat=True)) == [odi.pk]


def test_every_source_costs_the_same_queries_for_one_row_as_for_several(prescription):
    patient = prescription.patient
    clinic = patient.clinic
    make_session(patient=patient)
    make_questionnaire_response(patient=patient, code="nprs")
    make_questionnaire_response(patient=patient, code="odi")

    def render_all() -> list[int]:
        counts = []
        for source in (PAIN, NPRS, SCORE):
            with CaptureQueriesContext(connection) as queries:
                [source.render(row) for row in source.rows(clinic)]
            counts.append(len(queries))
        return counts

    one = render_all()
    for _ in range(4):
        make_session(patient=patient)
    make_questionnaire_response(patient=patient, code="rmdq")
    make_questionnaire_response(patient=patient, code="startback", answers=answers_for("startback"))

    assert render_all() == one == [1, 1, 1]
    assert PAIN.rows(clinic).count() == 5
    assert SCORE.rows(clinic).count() == 3
