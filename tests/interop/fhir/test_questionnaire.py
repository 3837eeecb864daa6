"""Questionnaire for each instrument; QuestionnaireResponse for each answered one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse as FhirResponse

from interop.fhir import registry, systems
from interop.fhir.resources import questionnaire as questionnaire_resource
from outcomes import instruments
from outcomes.in_clinic import questionnaire_record_in_clinic
from outcomes.models import QuestionnaireResponse
from tests.factories.outcomes import answers_for, make_questionnaire_response

pytestmark = pytest.mark.django_db


def _response(response: QuestionnaireResponse) -> dict:
    row = questionnaire_resource.response_rows(response.patient.clinic).get(pk=response.pk)
    resource = questionnaire_resource.render_response(row)
    FhirResponse.model_validate(resource)
    return resource


@pytest.mark.parametrize("code", instruments.CODES)
def test_each_instrument_is_a_questionnaire_with_its_items_and_options(code):
    instrument = instruments.INSTRUMENTS[code]

    resource = questionnaire_resource.render_questionnaire(instrument)

    Questionnaire.model_validate(resource)
    assert resource["id"] == code
    assert resource["url"] == systems.canonical("Questionnaire", code)
    assert resource["status"] == "active"
    assert [item["linkId"] for item in resource["item"]] == [i.key for i in instrument.items]
    first = resource["item"][0]
    assert first["type"] == "choice"
    assert first["text"] == instrument.items[0].text
    assert [o["valueCoding"]["code"] for o in first["answerOption"]] == [
        str(o.value) for o in instrument.items[0].options
    ]
    assert first["answerOption"][0]["valueCoding"]["system"] == systems.local_code_system(
        f"{code}-answer"
    )


def test_the_questionnaire_type_lists_the_four_instruments_keyed_by_code():
    [source] = registry.types()["Questionnaire"].sources

    rows = source.rows(None)

    assert source.key is not None
    assert [source.key(row) for row in rows] == ["odi", "nprs", "rmdq", "startback"]


def test_questionnaire_version_is_the_instruments_without_spaces():
    resource = questionnaire_resource.render_questionnaire(instruments.ODI)

    assert resource["version"] == "ODI-2.1a-paraphrase-1"
    assert resource["name"] == "OswestryDisabilityIndex"


def test_response_names_its_questionnaire_with_the_version_answered(diagnosis):
    response = make_questionnaire_response(patient=diagnosis.patient, code="rmdq")

    resource = _response(response)

    assert resource["id"] == str(response.pk)
    assert resource["questionnaire"] == (
        systems.canonical("Questionnaire", "rmdq") + "|RMDQ-24-paraphrase-1"
    )
    assert resource["status"] == "completed"
    assert resource["subject"] == {"reference": f"Patient/{diagnosis.patient_id}"}
    assert resource["authored"] == response.answered_at.isoformat()
    assert resource["language"] == "en"


def test_response_items_carry_the_option_chosen_and_leave_skipped_items_out(diagnosis):
    answers = answers_for("odi") | {"sex_life": None}
    response = make_questionnaire_response(patient=diagnosis.patient, code="odi", answers=answers)

    items = _response(response)["item"]

    assert "sex_life" not in [item["linkId"] for item in items]
    assert len(items) == 9
    walking = next(item for item in items if item["linkId"] == "walking")
    assert walking["answer"] == [
        {
            "valueCoding": {
                "system": systems.local_code_system("odi-answer"),
                "code": "2",
                "display": "Pain stops me walking more than a quarter of a mile.",
            }
        }
    ]


def test_a_response_from_the_app_has_the_patient_as_source(diagnosis):
    response = make_questionnaire_response(patient=diagnosis.patient, code="nprs")

    assert _response(response)["source"] == {"reference": f"Patient/{diagnosis.patient_id}"}


def test_a_response_entered_in_the_clinic_has_the_clinician_as_source(diagnosis, therapist):
    response = questionnaire_record_in_clinic(
        patient=diagnosis.patient, code="nprs", answers={"pain": 3}, staff=therapist
    )

    assert _response(response)["source"] == {"display": "Sam One, PT, DPT"}


def test_a_row_without_a_version_names_the_questionnaire_alone(diagnosis):
    response = make_questionnaire_response(patient=diagnosis.patient, code="nprs")
    QuestionnaireResponse.objects.filter(pk=response.pk).update(instrument_version="")

    assert _response(response)["questionnaire"] == systems.canonical("Questionnaire", "nprs")


def test_rendering_costs_the_same_queries_for_one_response_as_for_four(diagnosis, therapist):
    patient = diagnosis.patient
    clinic = patient.clinic
    make_questionnaire_response(patient=patient, code="nprs")
    with CaptureQueriesContext(connection) as one:
        [
            questionnaire_resource.render_response(r)
            for r in questionnaire_resource.response_rows(clinic)
        ]
    make_questionnaire_response(patient=patient, code="odi")
    make_questionnaire_response(patient=patient, code="rmdq")
    questionnaire_record_in_clinic(
        patient=patient, code="startback", answers=answers_for("startback"), staff=therapist
    )
    with CaptureQueriesContext(connection) as four:
        rendered = [
            questionnaire_resource.render_response(r)
            for r in questionnaire_resource.response_rows(clinic)
        ]

    assert len(rendered) == 4
    assert len(four) == len(one) == 1
