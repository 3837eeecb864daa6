"""GET /api/v1/me/history/: the patient's own sessions, pain trend and scores with their
meaning in plain words; and the version and language each questionnaire is given in."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import RecordAccess
from outcomes.models import QuestionnaireResponse
from tests.clients import bearer
from tests.factories import answers_for, make_patient, make_patient_user
from tests.outcomes import course

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/history/"
NOW = datetime.datetime(2025, 3, 16, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def patient_user(patient):
    return make_patient_user(patient, username="patient.one").user


@pytest.fixture
def history(patient, diagnosis, therapist):
    """Three sessions in the first week, one in the second (leg pain before 6, 6, 5, then
    2); NPRS 7 -> 5, ODI 40 (moderate) -> 28 (moderate), RMDQ 12 -> 8."""
    program = course.prescribe(patient=patient, diagnosis=diagnosis, therapist=therapist)
    for day, before, after in [(0, 6, 5), (2, 6, 4), (4, 5, 4), (9, 2, 2)]:
        course.log_session(program, course.at(day, 17), before, after)
    for code, first, last in [("nprs", 7, 5), ("odi", 40, 28), ("rmdq", 12, 8)]:
        course.answer(patient, code, first, 0, "baseline")
        course.answer(patient, code, last, 11)
    QuestionnaireResponse.objects.filter(code="odi").update(band="moderate")
    return program


def _get(user, *, now=NOW):
    with time_machine.travel(now, tick=False):
        return bearer(user).get(URL)


def test_the_history_has_weeks_pain_trend_and_scores_with_meanings(patient_user, patient, history):
    response = _get(patient_user)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["today"] == "2025-03-16"
    first, second = body["weeks"]
    assert first == {
        "week": "2025-W10",
        "week_start": "2025-03-03",
        "sessions": 3,
        "days_planned": 3,
        "days_done": 3,
        "back_pain": None,
        "leg_pain": 5.7,
        "back_pain_after": None,
        "leg_pain_after": 4.3,
    }
    assert (second["sessions"], second["days_planned"], second["days_done"]) == (1, 3, 1)
    # Leg pain 5.7 -> 2.0: 3.7 points better, more than the 2 points that matter.
    leg = body["pain"]["leg"]
    assert (leg["baseline"], leg["latest"], leg["change"], leg["improved"]) == (
        5.7,
        2.0,
        -3.7,
        True,
    )
    assert leg["meaning"] == "A clinically important improvement since your first answer."
    assert body["pain"]["back"] == {
        "baseline": None,
        "latest": None,
        "change": None,
        "improved": None,
        "meaning": "Not enough answers yet to see a change.",
    }

    by_code = {q["code"]: q for q in body["questionnaires"]}
    assert list(by_code) == ["odi", "nprs", "rmdq", "startback"]
    odi = by_code["odi"]
    assert [s["score"] for s in odi["scores"]] == [40.0, 28.0]
    assert odi["scores"][0]["answered_on"] == "2025-03-03"
    assert odi["scores"][0]["band"] == "moderate"
    assert odi["scores"][0]["meaning"].startswith(
        "Moderate disability: pain makes sitting, lifting and standing harder"
    )
    # ODI 40 -> 28: 12 points, past the 10 that matter.
    assert (odi["trend"]["change"], odi["trend"]["improved"]) == (-12.0, True)
    # RMDQ 12 -> 8: 4 points, short of 5.
    rmdq = by_code["rmdq"]
    assert (rmdq["trend"]["change"], rmdq["trend"]["improved"]) == (-4.0, False)
    assert rmdq["trend"]["meaning"].startswith("Not yet a clinically important")
    assert rmdq["scores"][1]["meaning"].startswith("Your back limits 8 of the 24")
    assert by_code["nprs"]["scores"][0]["meaning"].startswith("Severe pain")
    assert by_code["nprs"]["scores"][1]["meaning"].startswith("Moderate pain")
    assert by_code["startback"]["scores"] == []
    assert by_code["startback"]["trend"]["improved"] is None
    assert RecordAccess.objects.filter(patient_id=patient.pk).exists()


def test_another_patients_data_is_never_shown(patient, history, clinic, therapist):
    other = make_patient_user(
        make_patient(clinic=clinic, first_name="Next", primary_therapist=therapist),
        username="patient.two",
    )

    body = _get(other.user).json()

    assert all(not q["scores"] for q in body["questionnaires"])
    assert all(week["sessions"] == 0 for week in body["weeks"])


def test_staff_cannot_read_a_patients_own_history(therapist, history):
    assert _get(therapist.user).status_code == 403


def test_the_history_costs_the_same_queries_however_long(patient_user, patient, history):
    def count() -> int:
        with time_machine.travel(NOW, tick=False):
            api = bearer(patient_user)
            with CaptureQueriesContext(connection) as ctx:
                assert api.get(URL).status_code == 200
        return len(ctx.captured_queries)

    short = count()
    for day in (7, 11):
        course.log_session(history, course.at(day, 20), 4, 4)
        course.answer(patient, "nprs", 5, day)
    course.answer(patient, "startback", 3, 1, "baseline")
    assert count() == short


# --- questionnaire versions --------------------------------------------------------------


def test_a_questionnaire_is_served_and_stored_with_its_version_and_language(
    patient_user, patient, diagnosis
):
    api = bearer(patient_user)
    patient.language = "es"
    patient.save(update_fields=["language"])

    due = api.get("/api/v1/me/questionnaires/", HTTP_ACCEPT_LANGUAGE="es")

    assert due.status_code == 200
    odi = due.json()["questionnaires"][0]
    assert (odi["version"], odi["language"]) == ("ODI 2.1a (paraphrase 1)", "en")
    assert odi["title"] == "Oswestry Disability Index"
    assert due.headers["Content-Language"] == "en"

    answered = api.post(
        "/api/v1/me/questionnaires/odi/responses/",
        {"answers": answers_for("odi")},
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert answered.status_code == 201, answered.json()
    assert answered.json()["instrument_version"] == "ODI 2.1a (paraphrase 1)"
    assert answered.json()["language"] == "en"
    stored = QuestionnaireResponse.objects.get()
    assert (stored.instrument_version, stored.language) == ("ODI 2.1a (paraphrase 1)", "en")
