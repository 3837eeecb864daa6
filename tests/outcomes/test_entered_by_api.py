"""The staff API names who typed in a questionnaire recorded in the clinic (`entered_by`,
the staff member's id; null for the patient's own answer), in a constant number of
queries; the patient's own answer in the app names no staff."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes import services
from outcomes.in_clinic import questionnaire_record_in_clinic
from tests.factories import answers_for, make_diagnosis, make_patient

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/questionnaire-responses/"


def record_both(patient, therapist) -> None:
    """One answer from the app and one typed in at the clinic."""
    services.questionnaire_submit(patient=patient, code="nprs", answers={"pain": 7})
    questionnaire_record_in_clinic(
        patient=patient, code="odi", answers=answers_for("odi"), staff=therapist
    )


def test_the_staff_list_says_who_entered_each_response(therapist_api, therapist, patient):
    make_diagnosis(patient=patient, diagnosed_by=therapist)
    record_both(patient, therapist)

    rows = therapist_api.get(STAFF, {"patient": patient.pk}).json()["results"]

    assert {row["code"]: row["entered_by"] for row in rows} == {"nprs": None, "odi": therapist.pk}


def test_the_patients_own_answer_names_no_staff(patient_api, therapist, patient):
    make_diagnosis(patient=patient, diagnosed_by=therapist)

    response = patient_api.post(
        "/api/v1/me/questionnaires/nprs/responses/", {"answers": {"pain": 4}}, format="json"
    )

    assert response.status_code == 201
    assert "entered_by" not in response.json()


def test_the_list_reads_entered_by_without_a_query_per_row(therapist_api, therapist, clinic):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert therapist_api.get(STAFF, {"page_size": 100}).status_code == 200
        return len(queries)

    first = make_patient(clinic=clinic, first_name="First")
    make_diagnosis(patient=first, diagnosed_by=therapist)
    record_both(first, therapist)
    few = queries_for_list()
    for n in range(5):
        more = make_patient(clinic=clinic, first_name=f"More{n}")
        make_diagnosis(patient=more, diagnosed_by=therapist)
        record_both(more, therapist)

    assert queries_for_list() == few
