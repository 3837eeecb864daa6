"""Which language an answer is in: a patient's own setting, else the phone's
Accept-Language, else English; `Content-Language` says which. Error answers too, DRF's
and the JWT library's own messages among them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from tests.clients import bearer, error_of
from tests.factories import make_patient, make_patient_user

pytestmark = pytest.mark.django_db

MISSING_ID = "/api/v1/me/sessions/987654321/"


@pytest.fixture
def spanish_patient_api(clinic, therapist) -> APIClient:
    patient = make_patient(clinic=clinic, primary_therapist=therapist, language="es")
    return bearer(make_patient_user(patient, username="paciente.es").user)


def test_accept_language_es_gives_spanish_messages_and_content_language_es(patient_api):
    response = patient_api.get(MISSING_ID, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert response["Content-Language"] == "es"
    assert error_of(response) == {
        "status": 404,
        "code": "not_found",
        "detail": "No encontrado.",
        "errors": {},
    }


def test_a_patient_whose_setting_is_es_gets_spanish_even_asking_for_english(
    spanish_patient_api,
):
    response = spanish_patient_api.get(MISSING_ID, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "es"
    assert error_of(response)["detail"] == "No encontrado."


def test_a_patients_own_setting_answers_a_success_in_their_language(spanish_patient_api):
    response = spanish_patient_api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"


def test_a_patient_with_a_blank_setting_follows_the_phone(patient, patient_api):
    assert patient.language == ""
    spanish = patient_api.get(MISSING_ID, HTTP_ACCEPT_LANGUAGE="es")
    english = patient_api.get(MISSING_ID, HTTP_ACCEPT_LANGUAGE="en")
    assert (spanish["Content-Language"], english["Content-Language"]) == ("es", "en")
    assert error_of(english)["detail"] == "Not found."


def test_an_unsupported_language_answers_in_english(patient_api):
    response = patient_api.get(MISSING_ID, HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Language"] == "en"
    assert error_of(response)["detail"] == "Not found."


def test_drfs_own_validation_messages_come_in_the_patients_spanish(spanish_patient_api):
    response = spanish_patient_api.post("/api/v1/me/sessions/", {}, format="json")
    body = error_of(response)
    assert (body["status"], body["code"]) == (400, "invalid")
    assert body["errors"]["client_id"] == ["Este campo es requerido."]


def test_a_services_refusal_comes_in_the_patients_spanish(spanish_patient_api):
    """The patient has no open program: session_log's own message, translated."""
    response = spanish_patient_api.post(
        "/api/v1/me/sessions/",
        {
            "client_id": "6f1c1d1e-8f0a-4a57-9d35-2f0d1c6b9a10",
            "performed_at": "2026-01-05T10:00:00Z",
            "pain_extent": "back",
            "back_pain_before": 3,
            "back_pain_after": 3,
            "exercises": [{"prescribed_exercise": 1}],
        },
        format="json",
    )
    assert error_of(response)["detail"] == (
        "No hay ningún programa activo en el que registrar una sesión."
    )


def test_the_jwt_librarys_refusal_follows_accept_language():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="es")
    body = error_of(response)
    assert (body["status"], body["code"]) == (401, "token_not_valid")
    assert body["detail"] == "El token dado no es valido para ningun tipo de token"
    assert response["Content-Language"] == "es"


def test_a_staff_error_envelope_follows_accept_language(therapist_api):
    response = therapist_api.post(
        "/api/v1/patients/", {"mrn": ""}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )
    body = error_of(response)
    assert body["errors"]["mrn"] == ["Este campo no puede estar en blanco."]
    assert body["detail"] == "mrn: Este campo no puede estar en blanco."
    assert response["Content-Language"] == "es"


def test_an_unrouted_api_url_answers_in_the_phones_language(anon):
    response = anon.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="es")
    assert error_of(response)["detail"] == "No encontrado."


def test_after_a_patients_answer_the_language_the_request_asked_for_is_active_again(
    spanish_patient_api,
):
    spanish_patient_api.get(MISSING_ID, HTTP_ACCEPT_LANGUAGE="en")
    assert translation.get_language() == "en"


def test_choosing_the_patients_language_asks_the_database_nothing_more(
    patient_api, spanish_patient_api
):
    def queries(client: APIClient) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
        return len(captured)

    queries(patient_api)  # the first request of the process reads the content types
    assert queries(spanish_patient_api) == queries(patient_api)


def test_an_unknown_activation_code_is_refused_in_spanish():
    body = {"code": "NOSUCHCODE", "username": "nuevo", "password": "una-clave-larga-2026"}
    response = APIClient().post(
        "/api/v1/auth/activate/", body, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 400
    assert error_of(response)["errors"]["code"] == [
        "Este código no es válido o ha caducado; consulte con la clínica."
    ]


def test_a_session_time_without_its_offset_is_refused_in_spanish(spanish_patient_api):
    response = spanish_patient_api.post(
        "/api/v1/me/sessions/", {"performed_at": "2026-03-01T09:30:00"}, format="json"
    )
    assert response.status_code == 400
    assert error_of(response)["errors"]["performed_at"] == [
        "Incluya la diferencia con UTC, p. ej. 2026-03-01T09:30:00+01:00, o Z para UTC."
    ]
