"""The stop message reaches the patient in the language of the request (their own
setting, else the phone's Accept-Language), composed from what the stop kept, the date
on the patient's calendar written in that language; the stored text stays English for
the record and staff."""

from __future__ import annotations

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps
from django.utils import translation

from programs.models import PrescribedExercise
from tests.clients import bearer
from tests.factories import (
    make_diagnosis,
    make_patient,
    make_patient_user,
    make_prescription,
    make_session,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/program/"
# 23:00 on Wednesday 2 December in New York, already Thursday in UTC; the sessions are
# logged on Wednesday evening there.
NOW = datetime.datetime(2026, 12, 3, 4, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)

LEG_ES = (
    "Deje de hacer este ejercicio: el dolor de pierna le subió de 3 a 6 en su sesión del "
    "miércoles 2 de diciembre de 2026. Póngase en contacto con su terapeuta antes de "
    "volver a hacerlo."
)
LEG_EN = (
    "Stop this exercise: your leg pain rose from 3 to 6 in your session on Wed 2 Dec 2026. "
    "Contact your therapist before you do it again."
)
BACK_ES = (
    "Deje de hacer este ejercicio: el dolor de espalda le subió de 2 a 5 en su sesión del "
    "miércoles 2 de diciembre de 2026. Póngase en contacto con su terapeuta antes de "
    "volver a hacerlo."
)
BACK_EN = (
    "Stop this exercise: your back pain rose from 2 to 5 in your session on Wed 2 Dec 2026. "
    "Contact your therapist before you do it again."
)
SPREAD_ES = (
    "Deje de hacer este ejercicio: el dolor se le extendió más abajo por la pierna, hasta "
    "la pantorrilla, en su sesión del miércoles 2 de diciembre de 2026. Póngase en "
    "contacto con su terapeuta antes de volver a hacerlo."
)
SPREAD_EN = (
    "Stop this exercise: your pain spread further down your leg, to the calf in your "
    "session on Wed 2 Dec 2026. Contact your therapist before you do it again."
)
GENERIC_ES = "Deje de hacer este ejercicio y póngase en contacto con su terapeuta."


@pytest.fixture(autouse=True)
def _wednesday_evening_in_new_york():
    with time_machine.travel(NOW, tick=False):
        yield


def _patient(clinic, therapist, language=""):
    patient = make_patient(clinic=clinic, primary_therapist=therapist, language=language)
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    return make_patient_user(patient, username=f"patient.{patient.pk}")


def _leg_pain_rose(patient):
    make_session(patient=patient, performed_at=NOW - HOUR, leg_pain_before=3, leg_pain_after=6)


def _back_pain_rose(patient):
    make_session(patient=patient, performed_at=NOW - HOUR, back_pain_before=2, back_pain_after=5)


def _pain_spread_to_the_calf(patient):
    make_session(patient=patient, performed_at=NOW - 3 * HOUR, pain_extent="thigh")
    make_session(patient=patient, performed_at=NOW - HOUR, pain_extent="calf")


STOPS = [
    pytest.param(_leg_pain_rose, "leg_pain_rose", LEG_ES, LEG_EN, id="leg-pain-rose"),
    pytest.param(_back_pain_rose, "back_pain_rose", BACK_ES, BACK_EN, id="back-pain-rose"),
    pytest.param(
        _pain_spread_to_the_calf, "peripheralized", SPREAD_ES, SPREAD_EN, id="peripheralized"
    ),
]


def _stopped(patient) -> PrescribedExercise:
    [item] = PrescribedExercise.objects.filter(
        prescription__patient=patient, stopped_for_pain_at__isnull=False
    )
    return item


def _messages(client, item: PrescribedExercise, **headers) -> tuple[str, str]:
    """The stop message of the exercise in the program's list and in the stopped list."""
    response = client.get(URL, **headers)
    assert response.status_code == 200, response.json()
    body = response.json()
    [listed] = [row for row in body["exercises"] if row["id"] == item.pk]
    [stopped] = body["stopped_exercises"]
    assert stopped["id"] == item.pk
    return listed["stop_message"], stopped["stop_message"]


@pytest.mark.parametrize(("stop", "reason", "spanish", "english"), STOPS)
def test_a_spanish_patient_reads_the_stop_in_spanish_with_the_date_in_spanish(
    clinic, therapist, stop, reason, spanish, english
):
    patient = _patient(clinic, therapist, language="es")
    stop(patient)
    item = _stopped(patient)
    assert item.stop_reason == reason

    messages = _messages(bearer(patient.user), item, HTTP_ACCEPT_LANGUAGE="en")

    assert messages == (spanish, spanish)
    assert item.stop_message == english  # the record and staff keep the English text


@pytest.mark.parametrize(("stop", "reason", "spanish", "english"), STOPS)
def test_an_english_patient_reads_the_stop_in_english(
    clinic, therapist, stop, reason, spanish, english
):
    patient = _patient(clinic, therapist, language="en")
    stop(patient)
    item = _stopped(patient)

    messages = _messages(bearer(patient.user), item, HTTP_ACCEPT_LANGUAGE="es")

    assert messages == (english, english)


def test_without_a_setting_the_phones_language_chooses(clinic, therapist):
    patient = _patient(clinic, therapist)
    _leg_pain_rose(patient)
    item = _stopped(patient)
    client = bearer(patient.user)

    assert _messages(client, item, HTTP_ACCEPT_LANGUAGE="es") == (LEG_ES, LEG_ES)
    assert _messages(client, item, HTTP_ACCEPT_LANGUAGE="en") == (LEG_EN, LEG_EN)


def test_the_stored_text_is_english_whatever_language_was_active_at_the_stop(clinic, therapist):
    patient = _patient(clinic, therapist, language="es")
    with translation.override("es"):
        _pain_spread_to_the_calf(patient)

    item = _stopped(patient)
    assert item.stop_message == SPREAD_EN
    assert (item.stop_pain_extent, item.stop_session_date) == ("calf", datetime.date(2026, 12, 2))


def test_a_stop_kept_without_its_details_reads_as_stored_in_english_generic_otherwise(
    clinic, therapist
):
    patient = _patient(clinic, therapist)
    _leg_pain_rose(patient)
    item = _stopped(patient)
    PrescribedExercise.objects.filter(pk=item.pk).update(
        stop_reason="", stop_session_date=None, stop_message="Stop this exercise: old text."
    )
    client = bearer(patient.user)

    assert _messages(client, item, HTTP_ACCEPT_LANGUAGE="en") == (
        "Stop this exercise: old text.",
        "Stop this exercise: old text.",
    )
    assert _messages(client, item, HTTP_ACCEPT_LANGUAGE="es") == (GENERIC_ES, GENERIC_ES)


def test_the_migration_fills_in_the_extent_and_the_local_date_of_existing_stops(clinic, therapist):
    patient = _patient(clinic, therapist, language="es")
    _pain_spread_to_the_calf(patient)
    item = _stopped(patient)
    PrescribedExercise.objects.filter(pk=item.pk).update(
        stop_pain_extent="", stop_session_date=None
    )
    migration = importlib.import_module("programs.migrations.0012_stop_message_details")

    migration.backfill(apps, None)

    item.refresh_from_db()
    # The New York date of the session (22:00 on Wednesday), not the UTC one (Thursday).
    assert (item.stop_pain_extent, item.stop_session_date) == ("calf", datetime.date(2026, 12, 2))
    assert _messages(bearer(patient.user), item) == (SPREAD_ES, SPREAD_ES)
