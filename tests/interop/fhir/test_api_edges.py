"""The FHIR API at its edges: odd input, what clients send, what $everything follows,
and what a role's permissions hold back."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interop.fhir import systems
from programs.models import ProgramTemplate
from tests.factories import (
    ExerciseFactory,
    TemplateExerciseFactory,
    make_prescription,
    make_session,
)
from tests.factories.patients import make_diagnosis, make_patient
from tests.interop.fhir.test_api import bundle, ids, outcome

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "_count=\u00b2",
        "_offset=\u00b2",
        "patient=\u00b2",
        "patient=\u0661",
        "date=2026-01-01T25:00Z",
        "date=9999-12-31",
        "date=gt9999",
        "_lastUpdated=9999",
    ],
)
def test_digits_and_dates_python_reads_but_fhir_does_not_are_a_400(therapist_api, query):
    outcome(therapist_api.get(f"/fhir/R4/Condition?{query}"), 400)


@pytest.mark.parametrize("resource_id", ["\u00b2", "\u0661", "pain-\u00b2"])
def test_ids_of_other_digits_are_not_found(therapist_api, patient, resource_id):
    outcome(therapist_api.get(f"/fhir/R4/Patient/{resource_id}"), 404)
    outcome(therapist_api.get(f"/fhir/R4/Patient/{resource_id}/$everything"), 404)
    assert ids(bundle(therapist_api.get(f"/fhir/R4/Observation?_id={resource_id}"))) == []


def test_an_arabic_indic_one_is_not_patient_one(therapist_api, patient):
    assert ids(bundle(therapist_api.get(f"/fhir/R4/Patient?_id={patient.pk},\u0661"))) == [
        str(patient.pk)
    ]


@pytest.mark.parametrize(
    "query",
    [
        "_format=application/fhir%2Bjson;fhir-version=4.0",
        "_format=application/json%2Bfhir",
        "_format=json",
        "_pretty=true",
    ],
)
def test_what_fhir_clients_send_on_a_read_is_taken(therapist_api, patient, query):
    response = therapist_api.get(f"/fhir/R4/Patient/{patient.pk}?{query}")

    assert response.status_code == 200, response.content


def test_a_search_takes_total_and_pretty(therapist_api, patient):
    assert ids(bundle(therapist_api.get("/fhir/R4/Patient?_total=accurate&_pretty=false"))) == [
        str(patient.pk)
    ]


def test_options_is_not_a_fhir_interaction(therapist_api, patient):
    outcome(therapist_api.options(f"/fhir/R4/Patient/{patient.pk}"), 405)


def test_the_front_desk_reads_no_encounter_which_names_the_diagnosis(front_desk_api):
    outcome(front_desk_api.get("/fhir/R4/Encounter"), 403)


def test_definitions_are_found_by_their_canonical_url(therapist_api):
    template = ProgramTemplate.objects.get(slug="mckenzie-extension")
    url = systems.canonical("PlanDefinition", template.slug)

    found = bundle(therapist_api.get(f"/fhir/R4/PlanDefinition?url={url}|1"))
    questionnaire = bundle(
        therapist_api.get(f"/fhir/R4/Questionnaire?url={systems.canonical('Questionnaire', 'odi')}")
    )

    assert ids(found) == [str(template.pk)]
    assert found["entry"][0]["resource"]["url"] == url
    assert [e["resource"]["url"] for e in questionnaire["entry"]] == [
        systems.canonical("Questionnaire", "odi")
    ]


def test_everything_includes_what_an_included_plan_names_too(therapist_api, diagnosis):
    prescription = make_prescription(diagnosis=diagnosis)
    phase = prescription.template.phases.get(number=1)
    # Added to the template after the program was prescribed: only the plan names it.
    added = TemplateExerciseFactory(phase=phase, exercise=ExerciseFactory(slug="added-later"))

    url = f"/fhir/R4/Patient/{diagnosis.patient_id}/$everything?_count=200"
    body = bundle(therapist_api.get(url))

    urls = {e["resource"].get("url") for e in body["entry"]}
    assert systems.canonical("ActivityDefinition", added.exercise.slug) in urls
    assert systems.canonical("PlanDefinition", prescription.template.slug) in urls
    modes = {e["resource"]["resourceType"]: e["search"]["mode"] for e in body["entry"]}
    assert modes["PlanDefinition"] == "include"
    assert modes["Patient"] == "match"


def test_a_page_of_everything_costs_the_same_queries_for_a_long_record(therapist_api, diagnosis):
    make_prescription(diagnosis=diagnosis)
    url = f"/fhir/R4/Patient/{diagnosis.patient_id}/$everything?_count=5"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            bundle(therapist_api.get(url))
        return len(captured)

    # Enough sessions that the first page is the same sources' either way: a page that
    # spans more sources reads each of them (the cost grows with sources, not rows).
    for _ in range(3):
        make_session(patient=diagnosis.patient)
    short = queries()
    for _ in range(12):
        make_session(patient=diagnosis.patient)

    assert queries() == short


def test_a_condition_counts_as_changed_when_its_patient_changes(therapist_api, patient):
    with time_machine.travel(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)):
        diagnosis = make_diagnosis(patient=patient)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)):
        patient.status = patient.Status.DISCHARGED
        patient.save()

    found = bundle(therapist_api.get("/fhir/R4/Condition?_lastUpdated=gt2026-05-15"))

    assert ids(found) == [str(diagnosis.pk)]
    assert found["entry"][0]["resource"]["clinicalStatus"]["coding"][0]["code"] == "resolved"


def test_a_patient_is_found_by_mrn_with_or_without_the_clinics_system(therapist_api, clinic):
    wanted = make_patient(clinic=clinic, mrn="MRN-4711")
    make_patient(clinic=clinic, mrn="MRN-4712")
    system = systems.mrn_system(clinic)

    assert ids(bundle(therapist_api.get("/fhir/R4/Patient?identifier=MRN-4711"))) == [
        str(wanted.pk)
    ]
    by_system = therapist_api.get(f"/fhir/R4/Patient?identifier={system}|MRN-4711")
    assert ids(bundle(by_system)) == [str(wanted.pk)]
    elsewhere = therapist_api.get("/fhir/R4/Patient?identifier=urn:other|MRN-4711")
    assert ids(bundle(elsewhere)) == []


def test_another_clinics_mrn_finds_no_one(therapist_api, other_patient):
    found = therapist_api.get(f"/fhir/R4/Patient?identifier={other_patient.mrn}")

    assert ids(bundle(found)) == []


def test_patients_are_found_by_the_start_of_a_name_and_by_birth_date(therapist_api, clinic):
    dana = make_patient(
        clinic=clinic,
        first_name="Dana",
        last_name="Whitaker",
        date_of_birth=datetime.date(1978, 3, 14),
    )
    make_patient(
        clinic=clinic, first_name="Sam", last_name="Whit", date_of_birth=datetime.date(1990, 1, 1)
    )

    def found(query: str) -> list[str]:
        return ids(bundle(therapist_api.get(f"/fhir/R4/Patient?{query}")))

    assert found("family=whitak") == [str(dana.pk)]
    assert found("given=DA") == [str(dana.pk)]
    assert found("name=dana") == [str(dana.pk)]
    assert len(found("family=whit")) == 2
    assert found("birthdate=1978-03-14") == [str(dana.pk)]
    assert found("birthdate=lt1980&family=whit") == [str(dana.pk)]
    assert "empty" in outcome(therapist_api.get("/fhir/R4/Patient?name=dana,"), 400)


def test_observations_are_found_by_code(therapist_api, prescription):
    patient = prescription.patient
    session = make_session(patient=patient)
    pain = f"pain-{session.pk}"

    def found(code: str) -> list[str]:
        return ids(
            bundle(therapist_api.get(f"/fhir/R4/Observation?patient={patient.pk}&code={code}"))
        )

    assert found("72514-3") == [pain]
    assert found(f"{systems.LOINC}|72514-3") == [pain]
    assert found("97909-6") == []
    assert found("urn:other|72514-3") == []


def test_unknown_parameters_are_refused_unless_the_client_asks_for_lenience(therapist_api, patient):
    outcome(therapist_api.get("/fhir/R4/Patient?_sort=family"), 400)

    lenient = therapist_api.get("/fhir/R4/Patient?_sort=family", HTTP_PREFER="handling=lenient")

    body = bundle(lenient)
    assert ids(body) == [str(patient.pk)]
    assert "_sort" not in body["link"][0]["url"]
