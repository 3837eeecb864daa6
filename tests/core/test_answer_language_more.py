"""More answers in the caller's language: the API's own refusals (a bad `since`, a path
naming no row, an unknown topic or questionnaire, a bad `ordering`, unstorable text),
the password change and its throttle for a patient whose setting chooses the language,
and counts read in Spanish ("1 vez", "2 veces")."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from practice import passwords
from programs.models import Exercise
from tests.clients import bearer, error_of
from tests.factories import PASSWORD, make_patient, make_patient_user

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/me/sessions/"
CHANGE = "/api/v1/auth/password/change/"
NUL_ES = "No debe contener un carácter NUL (\\u0000)."


@pytest.fixture
def spanish_patient(clinic, therapist):
    patient = make_patient(clinic=clinic, primary_therapist=therapist, language="es")
    return make_patient_user(patient, username="paciente.es")


@pytest.fixture
def spanish_patient_api(spanish_patient) -> APIClient:
    return bearer(spanish_patient.user)


# --- the API's own refusals ------------------------------------------------------------


def test_a_since_without_an_offset_is_refused_in_the_patients_spanish(spanish_patient_api):
    response = spanish_patient_api.get(SESSIONS, {"since": "yesterday"})
    assert response.status_code == 400
    assert response["Content-Language"] == "es"
    assert error_of(response)["errors"]["since"] == [
        "Indique una fecha y hora ISO 8601 con su diferencia respecto a UTC, p. ej. "
        "2026-03-01T09:30:00+01:00 (con el + codificado para URL) o 2026-03-01T08:30:00Z."
    ]


def test_a_since_out_of_range_is_refused_in_the_patients_spanish(spanish_patient_api):
    response = spanish_patient_api.get(SESSIONS, {"since": "9999-12-31T23:59-23:00"})
    assert error_of(response)["errors"]["since"] == [
        "Indique una fecha y hora entre los años 1 y 9999 (UTC)."
    ]


def test_a_path_id_naming_no_row_is_not_found_in_spanish(therapist_api):
    response = therapist_api.get("/api/v1/patients/abc/sessions/", HTTP_ACCEPT_LANGUAGE="es")
    assert error_of(response) == {
        "status": 404,
        "code": "not_found",
        "detail": "No encontrado.",
        "errors": {},
    }


def test_an_unknown_topic_of_the_patient_is_not_found_in_spanish(spanish_patient_api):
    response = spanish_patient_api.get("/api/v1/me/education/no-such-topic/")
    assert response.status_code == 404
    assert error_of(response)["detail"] == "No existe ese tema educativo."


def test_a_malformed_topic_slug_is_not_found_in_spanish(therapist_api):
    response = therapist_api.get("/api/v1/education/no%20slug/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert error_of(response)["detail"] == "No existe ese tema educativo."


def test_an_unknown_questionnaire_is_not_found_in_the_patients_spanish(spanish_patient_api):
    response = spanish_patient_api.post(
        "/api/v1/me/questionnaires/phq9/responses/", {"answers": {}}, format="json"
    )
    assert response.status_code == 404
    assert error_of(response)["detail"] == "No existe ese cuestionario."


def test_an_unknown_ordering_is_refused_in_spanish_naming_the_allowed(therapist_api):
    response = therapist_api.get(
        "/api/v1/patients/", {"ordering": "nope"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    (message,) = error_of(response)["errors"]["ordering"]
    assert message.startswith("Orden desconocido 'nope'; se permiten: ")
    assert message.endswith(" (varios separados por comas).")


def test_ordering_a_fixed_order_list_is_refused_in_the_patients_spanish(spanish_patient_api):
    response = spanish_patient_api.get("/api/v1/me/education/", {"ordering": "title"})
    assert error_of(response)["errors"]["ordering"] == [
        "Esta lista tiene un orden fijo; omita `ordering`."
    ]


def test_a_nul_in_the_query_string_is_refused_in_the_phones_language(therapist_api):
    """Refused before any view reads the token: the phone's Accept-Language decides."""
    response = therapist_api.get("/api/v1/patients/?status=%00", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert response["Content-Language"] == "es"
    body = error_of(response)
    assert body["errors"] == {"status": [NUL_ES]}
    assert body["detail"] == f"status: {NUL_ES}"


def test_a_nul_in_a_parameters_name_is_refused_in_the_phones_language(therapist_api):
    response = therapist_api.get("/api/v1/patients/?st%00atus=1", HTTP_ACCEPT_LANGUAGE="es")
    assert list(error_of(response)["errors"].values()) == [
        ["Los nombres no deben contener un carácter NUL ni un sustituto UTF-16 sin pareja."]
    ]


def test_a_nul_in_a_patients_body_is_refused_in_their_spanish(spanish_patient_api):
    response = spanish_patient_api.post(SESSIONS, {"client_id": "a\u0000b"}, format="json")
    assert response.status_code == 400
    assert response["Content-Language"] == "es"
    assert error_of(response)["errors"] == {"client_id": [NUL_ES]}


def test_a_nul_in_a_bodys_key_is_refused_in_the_phones_language(therapist_api):
    response = therapist_api.post(
        "/api/v1/patients/", {"m\u0000rn": "1"}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert list(error_of(response)["errors"].values()) == [
        [
            "Los nombres de campo no deben contener un carácter NUL ni un sustituto UTF-16 "
            "sin pareja."
        ]
    ]


# --- the password change, for a patient whose setting is Spanish -----------------------


def test_a_wrong_current_password_is_refused_in_the_patients_own_spanish(spanish_patient_api):
    response = spanish_patient_api.post(
        CHANGE, {"current_password": "not-it", "new_password": "a-long-fresh-password"}
    )
    assert response.status_code == 400
    assert response["Content-Language"] == "es"
    assert error_of(response)["errors"]["current_password"] == [
        "La contraseña actual no es correcta."
    ]


def test_a_staff_callers_password_change_follows_accept_language(therapist_api):
    response = therapist_api.post(
        CHANGE, {"current_password": "not-it", "new_password": "a-long-fresh-password"}
    )
    assert response["Content-Language"] == "en"
    assert error_of(response)["errors"]["current_password"] == [
        "The current password is not right."
    ]


def _throttled_change(client: APIClient, settings) -> object:
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login_username"]
    for attempt in range(int(rate.split("/")[0]) + 1):
        client.defaults["REMOTE_ADDR"] = f"10.0.0.{attempt + 1}"
        response = client.post(CHANGE, {"current_password": "guess", "new_password": PASSWORD})
        if response.status_code == 429:
            return response
    raise AssertionError("the caller's login limit never answered 429")


def test_a_throttled_password_change_is_in_the_patients_spanish_with_its_wait(
    spanish_patient_api, settings
):
    response = _throttled_change(spanish_patient_api, settings)
    assert response["Content-Language"] == "es"
    assert response["Retry-After"]
    body = error_of(response)
    assert (body["status"], body["code"]) == (429, "throttled")
    assert re.fullmatch(
        r"Solicitud fue regulada \(throttled\)\. Se espera que esté disponible en \d+ "
        r"segundos?\.",
        body["detail"],
    ), body["detail"]


def test_a_throttled_answer_in_english_keeps_drfs_wording(therapist_api, settings):
    response = _throttled_change(therapist_api, settings)
    assert re.fullmatch(
        r"Request was throttled\. Expected available in \d+ seconds?\.",
        error_of(response)["detail"],
    )


# --- counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dosage", "spanish", "english"),
    [
        ({"reps": 1, "times_per_day": 1}, "1 repetición, 1 vez al día", "1 rep, 1x a day"),
        (
            {"reps": 10, "times_per_day": 2},
            "10 repeticiones, 2 veces al día",
            "10 reps, 2x a day",
        ),
        ({"sets": 1, "minutes": 30}, "1 serie, 30 min", "1 set, 30 min"),
        ({"sets": 3}, "3 series", "3 sets"),
        ({"minutes": 30, "times_per_day": 1}, "30 min, 1 vez al día", "30 min, 1x a day"),
    ],
)
def test_a_dosage_reads_its_counts_in_singular_or_plural(dosage, spanish, english):
    exercise = Exercise(**dosage)
    with translation.override("es"):
        assert exercise.dosage_text == spanish
    with translation.override("en"):
        assert exercise.dosage_text == english


@pytest.mark.parametrize(
    ("seconds", "lifetime"), [(3600, "en un plazo de 1 hora"), (7200, "en un plazo de 2 horas")]
)
def test_the_reset_email_gives_its_lifetime_in_grammatical_spanish(
    spanish_patient, settings, mailoutbox, seconds, lifetime
):
    settings.PASSWORD_RESET_TIMEOUT = seconds
    assert passwords.password_reset_email_send(user_id=spanish_patient.user_id)
    (message,) = mailoutbox
    assert f"Abra este enlace {lifetime} para elegirla:" in message.body
