"""Questionnaires in the app: what is due, answering it, and staff reading the results."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.localtime import local_today, patient_zone
from outcomes import services
from outcomes.models import Occasion, QuestionnaireResponse
from patients import services as patient_services
from tests.clients import bearer, error_of
from tests.factories import answers_for, make_diagnosis, make_patient, make_patient_user

pytestmark = pytest.mark.django_db

DUE = "/api/v1/me/questionnaires/"
STAFF = "/api/v1/questionnaire-responses/"


def answer_url(code: str) -> str:
    return f"/api/v1/me/questionnaires/{code}/responses/"


# The API clients, as tests/conftest.py makes them (real JWTs).


@pytest.fixture
def patient_user(patient):
    return make_patient_user(patient, username="patient.one").user


@pytest.fixture
def patient_api(patient_user):
    return bearer(patient_user)


@pytest.fixture
def same_clinic_patient(clinic, therapist):
    patient = make_patient(clinic=clinic, first_name="Second", primary_therapist=therapist)
    return make_patient_user(patient, username="patient.two")


@pytest.fixture
def same_clinic_patient_api(same_clinic_patient):
    return bearer(same_clinic_patient.user)


@pytest.fixture
def therapist_api(therapist):
    return bearer(therapist.user)


@pytest.fixture
def front_desk_api(front_desk):
    return bearer(front_desk.user)


@pytest.fixture
def other_therapist_api(other_therapist):
    return bearer(other_therapist.user)


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def evaluated(patient, therapist, diagnosis):
    """A patient with a diagnosis: the baseline questionnaires are due."""
    return patient


# --- the due list ----------------------------------------------------------------------


def test_the_due_list_has_each_questionnaire_with_items_and_options(patient_api, evaluated):
    response = patient_api.get(DUE)

    assert response.status_code == 200
    data = response.json()
    assert data["date"] == local_today(patient_zone(evaluated)).isoformat()
    codes = [q["code"] for q in data["questionnaires"]]
    assert codes == ["odi", "nprs", "rmdq", "startback"]
    odi = data["questionnaires"][0]
    assert odi["title"] == "Oswestry Disability Index"
    assert odi["occasion"] == Occasion.BASELINE
    assert odi["max_missing"] == 2
    assert [item["key"] for item in odi["items"]][:3] == [
        "pain_intensity",
        "personal_care",
        "lifting",
    ]
    assert [o["value"] for o in odi["items"][0]["options"]] == [0, 1, 2, 3, 4, 5]
    nprs = data["questionnaires"][1]
    assert len(nprs["items"]) == 1
    assert len(nprs["items"][0]["options"]) == 11
    assert len(data["questionnaires"][2]["items"]) == 24
    assert data["questionnaires"][3]["items"][8]["options"][3] == {"value": 3, "label": "Very much"}


def test_nothing_is_due_before_an_evaluation(patient_api, patient):
    response = patient_api.get(DUE)

    assert response.status_code == 200
    assert response.json()["questionnaires"] == []


# --- answering -------------------------------------------------------------------------


def test_answering_scores_stores_and_takes_it_off_the_list(patient_api, evaluated, patient_user):
    response = patient_api.post(answer_url("odi"), {"answers": answers_for("odi")})

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["code"] == "odi"
    assert data["title"] == "Oswestry Disability Index"
    assert data["score"] == 26.0  # (2 x 4 + 1 x 5 + 0) / 50 x 100
    assert (data["band"], data["risk"], data["subscale"]) == ("moderate", None, None)
    assert data["interpretation"] == "Moderate disability"
    assert data["occasion"] == Occasion.BASELINE
    stored = QuestionnaireResponse.objects.get()
    assert stored.patient == evaluated
    assert stored.score == Decimal("26.0")
    assert stored.history.get().history_user == patient_user

    codes = [q["code"] for q in patient_api.get(DUE).json()["questionnaires"]]
    assert codes == ["nprs", "rmdq", "startback"]

    again = patient_api.post(answer_url("odi"), {"answers": answers_for("odi")})
    assert again.status_code == 404
    assert "not due" in again.json()["detail"]
    assert QuestionnaireResponse.objects.count() == 1


def test_startback_answers_with_its_risk_group(patient_api, evaluated):
    response = patient_api.post(answer_url("startback"), {"answers": answers_for("startback")})

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["score"], data["subscale"], data["risk"], data["band"]) == (5.0, 4, "high", None)
    assert data["interpretation"] == "High risk"


def test_rmdq_with_two_skipped_items_is_prorated(patient_api, evaluated):
    answers = answers_for("rmdq")  # 9 yes
    answers["23"] = None
    del answers["24"]

    response = patient_api.post(answer_url("rmdq"), {"answers": answers})

    assert response.status_code == 201, response.json()
    assert response.json()["score"] == 9.8  # 9 x 24 / 22 = 9.82


def test_bad_answers_are_named_item_by_item(patient_api, evaluated):
    answers = {**answers_for("odi"), "walking": 9, "colour": 1, "sitting": "a lot"}

    response = patient_api.post(answer_url("odi"), {"answers": answers})

    assert response.status_code == 400
    errors = response.json()["errors"]["answers"]
    assert set(errors) == {"sitting"}  # a value that is not a number is refused first
    answers["sitting"] = 1
    errors = patient_api.post(answer_url("odi"), {"answers": answers}).json()["errors"]["answers"]
    assert errors == {
        "walking": ["Choose one of the options: a whole number from 0 to 5."],
        "colour": ["Not an item of the Oswestry Disability Index."],
    }
    assert not QuestionnaireResponse.objects.exists()


def test_too_many_skipped_sections_are_each_named(patient_api, evaluated):
    answers = {**answers_for("odi"), "walking": None, "sitting": None}
    del answers["lifting"]

    response = patient_api.post(answer_url("odi"), {"answers": answers})

    assert response.status_code == 400
    assert set(response.json()["errors"]["answers"]) == {"lifting", "walking", "sitting"}


@pytest.mark.parametrize("body", [{}, {"answers": []}, {"answers": "all fine"}, [1, 2]])
def test_a_malformed_body_is_a_400(patient_api, evaluated, body):
    response = patient_api.post(answer_url("nprs"), body, format="json")

    assert response.status_code == 400
    assert not QuestionnaireResponse.objects.exists()


def test_an_unknown_questionnaire_is_a_404(patient_api, evaluated):
    response = patient_api.post(answer_url("phq9"), {"answers": {}})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        ("phq9", "There is no such questionnaire."),
        ("odi", "The Oswestry Disability Index is not due for you now."),
    ],
)
def test_what_cannot_be_answered_is_a_404_whatever_the_body(patient_api, code, detail):
    # Nothing is due before the evaluation: the body is not even read.
    response = patient_api.post(answer_url(code), {"answers": "all fine"}, format="json")

    assert response.status_code == 404
    assert error_of(response) == {
        "status": 404,
        "code": "not_found",
        "detail": detail,
        "errors": {},
    }


def test_a_discharged_patient_answers_the_discharge_questionnaires(patient_api, evaluated):
    patient_api.post(answer_url("nprs"), {"answers": answers_for("nprs")})
    QuestionnaireResponse.objects.update(answered_at=timezone.now() - datetime.timedelta(days=3))
    patient_services.patient_set_status(patient=evaluated, status="discharged")

    due = patient_api.get(DUE).json()["questionnaires"]
    assert [(q["code"], q["occasion"]) for q in due] == [
        ("odi", "discharge"),
        ("nprs", "discharge"),
        ("rmdq", "discharge"),
    ]
    response = patient_api.post(answer_url("nprs"), {"answers": {"pain": 2}})
    assert response.status_code == 201
    assert response.json()["occasion"] == "discharge"
    assert patient_api.get("/api/v1/me/program/").status_code == 403  # nothing else opens

    patient_services.patient_set_status(patient=evaluated, status="archived")
    response = patient_api.get(DUE)
    assert response.status_code == 401  # an archived patient's login has ended
    assert response.json()["code"] == "user_inactive"


# --- nobody answers for someone else ---------------------------------------------------


def test_another_patient_sees_only_their_own_and_cannot_answer_for_this_one(
    evaluated, same_clinic_patient_api, patient_api
):
    assert same_clinic_patient_api.get(DUE).json()["questionnaires"] == []

    response = same_clinic_patient_api.post(answer_url("odi"), {"answers": answers_for("odi")})

    assert response.status_code == 404
    assert not QuestionnaireResponse.objects.exists()
    assert len(patient_api.get(DUE).json()["questionnaires"]) == 4


def test_staff_cannot_use_the_patient_endpoints(therapist_api, evaluated, anon):
    assert therapist_api.get(DUE).status_code == 403
    assert therapist_api.post(answer_url("nprs"), {"answers": {"pain": 3}}).status_code == 403
    assert anon.get(DUE).status_code == 401


# --- staff read the responses ----------------------------------------------------------


def _responses(patient, n: int) -> None:
    QuestionnaireResponse.objects.bulk_create(
        QuestionnaireResponse(
            patient=patient,
            code="nprs",
            answers={"pain": i % 11},
            score=Decimal(i % 11),
            occasion=Occasion.FOLLOW_UP,
            due_on=timezone.localdate(),
        )
        for i in range(n)
    )


def test_staff_list_a_patients_responses(
    therapist_api, patient_api, evaluated, same_clinic_patient
):
    patient_api.post(answer_url("odi"), {"answers": answers_for("odi")})
    _responses(same_clinic_patient, 2)

    response = therapist_api.get(STAFF, {"patient": evaluated.pk})

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["results"][0]["patient"] == evaluated.pk
    assert data["results"][0]["band"] == "moderate"
    assert therapist_api.get(STAFF).json()["count"] == 3
    assert therapist_api.get(STAFF, {"code": "nprs"}).json()["count"] == 2


def test_staff_see_only_their_clinics_responses(other_therapist_api, evaluated):
    _responses(evaluated, 3)

    response = other_therapist_api.get(STAFF, {"patient": evaluated.pk})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_front_desk_and_patients_may_not_read_responses(front_desk_api, patient_api, evaluated):
    assert front_desk_api.get(STAFF).status_code == 403
    assert patient_api.get(STAFF).status_code == 403


@pytest.mark.parametrize("value", ["abc", "1.5", "-1x"])
def test_a_bad_patient_filter_is_a_400(therapist_api, value):
    assert therapist_api.get(STAFF, {"patient": value}).status_code == 400


def test_listing_costs_the_same_queries_for_1_and_50_rows(therapist_api, evaluated):
    _responses(evaluated, 1)
    with CaptureQueriesContext(connection) as one:
        assert therapist_api.get(STAFF, {"patient": evaluated.pk}).json()["count"] == 1
    _responses(evaluated, 49)
    with CaptureQueriesContext(connection) as fifty:
        response = therapist_api.get(STAFF, {"patient": evaluated.pk, "page_size": 50})
    assert len(response.json()["results"]) == 50
    assert len(fifty) == len(one)


def test_a_patient_of_another_clinic_is_scoped_like_everyone_else(other_clinic, other_therapist):
    other = make_patient_user(make_patient(clinic=other_clinic), username="patient.far")
    make_diagnosis(patient=other, diagnosed_by=other_therapist)
    api = bearer(other.user)

    assert len(api.get(DUE).json()["questionnaires"]) == 4
    assert api.post(answer_url("nprs"), {"answers": {"pain": 4}}).status_code == 201
    assert QuestionnaireResponse.objects.get().patient == other


# --- the admin shows them read-only, clinic-scoped -------------------------------------


def test_the_admin_shows_responses_read_only_and_scoped(client, therapist, evaluated, other_clinic):
    response = services.questionnaire_submit(
        patient=evaluated, code="odi", answers=answers_for("odi")
    )
    stranger = make_patient(clinic=other_clinic)
    foreign = QuestionnaireResponse.objects.create(
        patient=stranger,
        code="nprs",
        answers={"pain": 3},
        score=3,
        occasion=Occasion.BASELINE,
        due_on=timezone.localdate(),
    )
    client.force_login(therapist.user)

    listing = client.get(reverse("admin:outcomes_questionnaireresponse_changelist"))
    page = client.get(reverse("admin:outcomes_questionnaireresponse_change", args=[response.pk]))

    assert listing.status_code == 200
    assert evaluated.mrn in listing.text
    assert stranger.mrn not in listing.text
    assert page.status_code == 200
    assert "Pain stops me walking more than 1 mile." not in page.text  # walking was 2
    assert "Pain stops me walking more than a quarter of a mile." in page.text
    assert 'name="score"' not in page.text  # nothing to edit
    url = reverse("admin:outcomes_questionnaireresponse_change", args=[foreign.pk])
    assert client.get(url).status_code == 404
