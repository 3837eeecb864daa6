"""The FHIR API's framework: formats, errors, scope, roles, search, paging, the log."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome

from audit.models import RecordAccess
from interop.fhir import registry
from tests.factories.patients import make_diagnosis, make_patient

pytestmark = pytest.mark.django_db

FHIR_JSON = "application/fhir+json"


def outcome(response, status: int) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(FHIR_JSON)
    body = OperationOutcome.model_validate(response.json())
    return str(body.issue[0].diagnostics)


def bundle(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith(FHIR_JSON)
    Bundle.model_validate(response.json())
    return response.json()


def ids(body: dict) -> list[str]:
    return [entry["resource"]["id"] for entry in body.get("entry", [])]


def test_metadata_is_a_capability_statement_of_every_type_without_a_login(anon):
    response = anon.get("/fhir/R4/metadata")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)
    statement = CapabilityStatement.model_validate(response.json())
    assert statement.fhirVersion == "4.0.1"
    served = {resource.type for resource in statement.rest[0].resource}
    assert served == set(registry.types())
    assert {"Patient", "Condition", "Observation", "Appointment"} <= served
    patient = next(r for r in statement.rest[0].resource if r.type == "Patient")
    assert [op.name for op in patient.operation] == ["everything"]


def test_the_api_answers_fhir_json_whatever_the_accept_header(therapist_api, patient):
    response = therapist_api.get(f"/fhir/R4/Patient/{patient.pk}", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)


def test_xml_is_refused_as_not_acceptable(therapist_api, patient):
    response = therapist_api.get(f"/fhir/R4/Patient/{patient.pk}?_format=xml")

    assert "JSON" in outcome(response, 406)


def test_without_a_login_the_answer_is_a_401_outcome(anon, patient):
    response = anon.get(f"/fhir/R4/Patient/{patient.pk}")

    outcome(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_patient_login_cannot_read_fhir(patient_api, patient):
    outcome(patient_api.get(f"/fhir/R4/Patient/{patient.pk}"), 403)


def test_another_clinics_patient_is_not_found(therapist_api, other_patient):
    diagnostics = outcome(therapist_api.get(f"/fhir/R4/Patient/{other_patient.pk}"), 404)

    assert f"Patient/{other_patient.pk}" in diagnostics
    outcome(therapist_api.get(f"/fhir/R4/Patient/{other_patient.pk}/$everything"), 404)


def test_another_clinics_condition_is_not_found_and_not_searchable(therapist_api, other_patient):
    theirs = make_diagnosis(patient=other_patient)

    outcome(therapist_api.get(f"/fhir/R4/Condition/{theirs.pk}"), 404)
    assert ids(bundle(therapist_api.get(f"/fhir/R4/Condition?patient={other_patient.pk}"))) == []
    assert ids(bundle(therapist_api.get(f"/fhir/R4/Condition?_id={theirs.pk}"))) == []


@pytest.mark.parametrize(
    "path", ["/fhir/R4/Nonsense", "/fhir/R4/Nonsense/1", "/fhir/R4/Patient/1/2/3"]
)
def test_unknown_paths_are_not_found_outcomes(therapist_api, path):
    outcome(therapist_api.get(path), 404)


@pytest.mark.parametrize("resource_id", ["abc", "-1", "1.5", "9" * 30])
def test_an_id_that_cannot_be_ours_is_not_found(therapist_api, resource_id):
    outcome(therapist_api.get(f"/fhir/R4/Patient/{resource_id}"), 404)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("name=Smith", "name"),
        ("patient=abc", "patient"),
        ("_count=0", "_count"),
        ("_count=201", "_count"),
        ("_offset=-3", "_offset"),
        ("date=2026-13-01", "calendar date"),
        ("date=yesterday", "FHIR date"),
        ("date=ge2026-03-01T10:00", "time zone"),
        ("_lastUpdated=sa2026", "FHIR date"),
        ("patient=1&patient=2", "once"),
    ],
)
def test_bad_search_parameters_are_a_400_outcome_saying_which(therapist_api, query, says):
    assert says in outcome(therapist_api.get(f"/fhir/R4/Condition?{query}"), 400)


def test_a_search_parameter_the_type_has_not_is_refused(therapist_api):
    assert "patient" in outcome(therapist_api.get("/fhir/R4/Patient?patient=1"), 400)


def test_writes_are_not_allowed(therapist_api, patient):
    outcome(therapist_api.delete(f"/fhir/R4/Patient/{patient.pk}"), 405)
    outcome(therapist_api.post("/fhir/R4/Patient", {}, format="json"), 405)


def test_the_front_desk_reads_no_condition(front_desk_api, diagnosis):
    assert "Condition" in outcome(front_desk_api.get("/fhir/R4/Condition"), 403)
    outcome(front_desk_api.get(f"/fhir/R4/Condition/{diagnosis.pk}"), 403)


def test_the_front_desks_everything_leaves_out_what_its_role_does_not_read(
    front_desk_api, diagnosis
):
    body = bundle(front_desk_api.get(f"/fhir/R4/Patient/{diagnosis.patient_id}/$everything"))

    types = {entry["resource"]["resourceType"] for entry in body["entry"]}
    assert "Patient" in types
    assert "Condition" not in types


def test_searching_by_patient_finds_only_that_patients_conditions(therapist_api, clinic, diagnosis):
    mine = diagnosis
    someone_else = make_diagnosis(patient=make_patient(clinic=clinic))

    found = ids(bundle(therapist_api.get(f"/fhir/R4/Condition?patient=Patient/{mine.patient_id}")))

    assert found == [str(mine.pk)]
    assert str(someone_else.pk) not in found


def test_date_search_reads_ranges_by_their_precision(therapist_api, patient):
    with time_machine.travel(datetime.datetime(2026, 4, 15, 16, tzinfo=datetime.UTC)):
        march = make_diagnosis(patient=patient, onset_days_ago=15)  # 31 March
        april = make_diagnosis(patient=patient, onset_days_ago=14)  # 1 April

    def found(query: str) -> set[str]:
        return set(ids(bundle(therapist_api.get(f"/fhir/R4/Condition?{query}"))))

    assert found("date=2026-03") == {str(march.pk)}
    assert found("date=ge2026-04") == {str(april.pk)}
    assert found("date=gt2026-03") == {str(april.pk)}
    assert found("date=lt2026-04-01") == {str(march.pk)}
    assert found("date=le2026-03-31") == {str(march.pk)}
    assert found("date=2026") == {str(march.pk), str(april.pk)}
    assert found("date=ge2026-03-01&date=lt2026-04-01") == {str(march.pk)}
    assert found("date=2025") == set()


def test_last_updated_search_finds_what_changed_since(therapist_api, clinic):
    with time_machine.travel(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)):
        old = make_patient(clinic=clinic)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)):
        new = make_patient(clinic=clinic)

    found = bundle(therapist_api.get("/fhir/R4/Patient?_lastUpdated=gt2026-05-15"))

    assert ids(found) == [str(new.pk)]
    assert found["entry"][0]["resource"]["meta"]["lastUpdated"].startswith("2026-06-01T12:00")
    before = ids(bundle(therapist_api.get("/fhir/R4/Patient?_lastUpdated=lt2026-05-01T12:00:01Z")))
    assert before == [str(old.pk)]


def test_paging_follows_the_bundle_links_through_every_match_once(therapist_api, clinic):
    made = {str(make_patient(clinic=clinic).pk) for _ in range(5)}

    seen: list[str] = []
    url = "/fhir/R4/Patient?_count=2"
    pages = 0
    while url:
        body = bundle(therapist_api.get(url))
        assert body["total"] == 5
        seen += ids(body)
        links = {link["relation"]: link["url"] for link in body["link"]}
        assert parse_qs(urlsplit(links["self"]).query)["_count"] == ["2"]
        url = links.get("next", "")
        pages += 1

    assert pages == 3
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))
    assert "previous" in links
    assert "first" in links


def test_a_page_of_fifty_costs_the_queries_of_a_page_of_one(therapist_api, therapist, clinic):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            bundle(therapist_api.get("/fhir/R4/Patient?_count=50"))
        return len(captured)

    make_patient(clinic=clinic, primary_therapist=therapist)
    one = queries()
    for _ in range(49):
        make_patient(clinic=clinic, primary_therapist=therapist)

    assert queries() == one


def test_every_read_and_search_is_in_the_access_log(therapist_api, therapist, patient, diagnosis):
    therapist_api.get(f"/fhir/R4/Patient/{patient.pk}")
    therapist_api.get(f"/fhir/R4/Condition?patient={patient.pk}")
    therapist_api.get(f"/fhir/R4/Patient/{patient.pk}/$everything")

    logged = RecordAccess.objects.filter(patient=patient, user=therapist.user, action="view")
    assert sorted(logged.values_list("path", flat=True)) == sorted(
        [
            f"/fhir/R4/Patient/{patient.pk}",
            "/fhir/R4/Condition",
            f"/fhir/R4/Patient/{patient.pk}/$everything",
        ]
    )


def test_an_empty_search_logs_no_one(therapist_api):
    bundle(therapist_api.get("/fhir/R4/Condition?date=1990"))

    assert not RecordAccess.objects.exists()


def test_everything_holds_the_patient_and_their_records_and_no_one_elses(
    therapist_api, clinic, diagnosis
):
    patient = diagnosis.patient
    make_diagnosis(patient=make_patient(clinic=clinic))

    body = bundle(therapist_api.get(f"/fhir/R4/Patient/{patient.pk}/$everything"))

    resources = [entry["resource"] for entry in body["entry"]]
    assert (resources[0]["resourceType"], resources[0]["id"]) == ("Patient", str(patient.pk))
    conditions = [r["id"] for r in resources if r["resourceType"] == "Condition"]
    assert conditions == [str(diagnosis.pk)]
    for resource in resources:
        subject = resource.get("subject") or resource.get("patient")
        if subject:
            assert subject["reference"] == f"Patient/{patient.pk}"


def test_everything_pages_by_its_links(therapist_api, patient):
    for day in range(1, 4):
        make_diagnosis(patient=patient, onset_days_ago=day)

    first = bundle(therapist_api.get(f"/fhir/R4/Patient/{patient.pk}/$everything?_count=2"))
    links = {link["relation"]: link["url"] for link in first["link"]}
    second = bundle(therapist_api.get(links["next"]))

    assert first["total"] == second["total"] == 4
    assert len(ids(first)) == 2
    assert len(set(ids(first)) | set(ids(second))) == 4
