"""Implausible dates through the API: a 400 with the field's message, never a 500, and
nothing stored. Year 1 and year 9999 included, with offsets that would push them off
the calendar."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from patients.models import Diagnosis, Patient, RedFlagScreening
from tests.clients import bearer

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)  # 07:00 in New York
PATIENTS = "/api/v1/patients/"
DIAGNOSES = "/api/v1/diagnoses/"
SCREENINGS = "/api/v1/screenings/"
NO_FLAGS = {
    "progressive_weakness": False,
    "foot_drop": False,
    "bowel_bladder_dysfunction": False,
    "saddle_numbness": False,
    "bilateral_symptoms": False,
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def staff_api(therapist):
    return bearer(therapist.user)  # a token issued at the frozen time


def _new_patient(**overrides) -> dict:
    return {
        "mrn": "MRN-7001",
        "first_name": "Dana",
        "last_name": "Okafor",
        "date_of_birth": "1975-03-02",
        "time_zone": "America/Chicago",
        **overrides,
    }


@pytest.mark.parametrize(
    ("born", "reason"),
    [
        ("1899-12-31", "it is before 1900"),
        ("0001-01-01", "it is before 1900"),
        ("2026-03-03", "it is in the future"),
        ("9999-12-31", "it is in the future"),
    ],
)
def test_registering_with_an_implausible_date_of_birth_is_a_400(staff_api, born, reason):
    response = staff_api.post(PATIENTS, _new_patient(date_of_birth=born))
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "date_of_birth": [f"{born} is not a plausible date of birth: {reason}."]
    }
    assert not Patient.objects.exists()


@pytest.mark.parametrize("born", ["1900-01-01", "2026-03-02"])
def test_a_date_of_birth_from_1900_to_today_registers(staff_api, born):
    response = staff_api.post(PATIENTS, _new_patient(date_of_birth=born))
    assert response.status_code == 201, response.json()
    assert response.json()["date_of_birth"] == born


@pytest.mark.parametrize(
    ("referred", "reason"),
    [
        ("1999-12-31", "it is before 2000"),
        ("0001-01-01", "it is before 2000"),
        ("2005-06-09", "it is before the date of birth (2005-06-10)"),
        ("2026-03-03", "it is in the future"),
        ("9999-12-31", "it is in the future"),
    ],
)
def test_an_implausible_referral_date_is_a_400_and_keeps_the_record(
    staff_api, patient, referred, reason
):
    Patient.objects.filter(pk=patient.pk).update(date_of_birth=datetime.date(2005, 6, 10))
    body = {"referral": "physician", "referring_physician": "Dr. Okafor", "referral_date": referred}
    response = staff_api.patch(f"{PATIENTS}{patient.pk}/", body)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "referral_date": [f"{referred} is not a plausible referral date: {reason}."]
    }
    stored = Patient.objects.get(pk=patient.pk)
    assert (stored.referral, stored.referral_date) == (Patient.Referral.DIRECT_ACCESS, None)


@pytest.mark.parametrize("referred", ["2000-01-01", "2026-03-02"])
def test_a_referral_dated_from_2000_to_today_is_saved(staff_api, patient, referred):
    body = {"referral": "physician", "referring_physician": "Dr. Okafor", "referral_date": referred}
    response = staff_api.patch(f"{PATIENTS}{patient.pk}/", body)
    assert response.status_code == 200, response.json()
    assert Patient.objects.get(pk=patient.pk).referral_date.isoformat() == referred


def _new_diagnosis(patient, **overrides) -> dict:
    return {
        "patient": patient.pk,
        "cause": "herniated_disc",
        "side": "left",
        "icd10_code": "M51.16",
        "onset_date": "1999-06-01",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"onset_date": "0001-01-01"},
            "onset_date",
            "0001-01-01 is not a plausible onset date: it is before 1900.",
        ),
        (
            {"onset_date": "9999-12-31"},
            "onset_date",
            "9999-12-31 is not a plausible onset date: it is in the future.",
        ),
        (
            {"onset_date": "1980-05-16"},
            "onset_date",
            "1980-05-16 is not a plausible onset date: it is before the date of birth "
            "(1980-05-17).",
        ),
        (
            {"diagnosed_on": "1999-12-31"},
            "diagnosed_on",
            "1999-12-31 is not a plausible diagnosis date: it is before 2000.",
        ),
        (
            {"diagnosed_on": "0001-01-01"},
            "diagnosed_on",
            "0001-01-01 is not a plausible diagnosis date: it is before 2000.",
        ),
        (
            {"diagnosed_on": "2026-03-03"},
            "diagnosed_on",
            "2026-03-03 is not a plausible diagnosis date: it is in the future.",
        ),
        (
            {"diagnosed_on": "9999-12-31"},
            "diagnosed_on",
            "9999-12-31 is not a plausible diagnosis date: it is in the future.",
        ),
    ],
)
def test_an_implausible_diagnosis_date_is_a_400_naming_the_field(
    staff_api, patient, overrides, field, message
):
    response = staff_api.post(DIAGNOSES, _new_diagnosis(patient, **overrides))
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    assert not Diagnosis.objects.exists()


@pytest.mark.parametrize("diagnosed_on", ["2000-01-01", "2026-03-02"])
def test_a_diagnosis_dated_from_2000_to_today_is_recorded(staff_api, patient, diagnosed_on):
    response = staff_api.post(DIAGNOSES, _new_diagnosis(patient, diagnosed_on=diagnosed_on))
    assert response.status_code == 201, response.json()
    assert response.json()["diagnosed_on"] == diagnosed_on


@pytest.mark.parametrize(
    ("screened_at", "message"),
    [
        (
            "1999-12-31T23:59:59Z",
            "1999-12-31T23:59+00:00 is not a plausible screening time: it is before 2000.",
        ),
        (
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00+00:00 is not a plausible screening time: it is before 2000.",
        ),
        (
            "2026-03-02T12:05:01Z",
            "2026-03-02T12:05+00:00 is not a plausible screening time: it is in the future.",
        ),
        (
            "9999-12-31T23:59:59Z",
            "9999-12-31T23:59+00:00 is not a plausible screening time: it is in the future.",
        ),
        # In UTC these leave the calendar: refused by their shape, before any rule.
        ("0001-01-01T00:00:00+05:00", "Enter a time between the years 2000 and now."),
        ("9999-12-31T23:59:59-05:00", "Enter a time between the years 2000 and now."),
    ],
)
def test_an_implausible_screen_time_is_a_400_and_holds_nobody(
    staff_api, patient, screened_at, message
):
    body = {"patient": patient.pk, **NO_FLAGS, "foot_drop": True, "screened_at": screened_at}
    response = staff_api.post(SCREENINGS, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"screened_at": [message]}
    assert not RedFlagScreening.objects.exists()
    assert not Patient.objects.get(pk=patient.pk).on_medical_hold


@pytest.mark.parametrize(
    "screened_at", ["2000-01-01T00:00:00Z", "2026-02-27T10:30:00-05:00", "2026-03-02T12:05:00Z"]
)
def test_a_screen_entered_afterwards_keeps_the_time_staff_give(staff_api, patient, screened_at):
    body = {"patient": patient.pk, **NO_FLAGS, "screened_at": screened_at}
    response = staff_api.post(SCREENINGS, body, format="json")
    assert response.status_code == 201, response.json()
    given = datetime.datetime.fromisoformat(screened_at)
    assert RedFlagScreening.objects.get().screened_at == given
    assert datetime.datetime.fromisoformat(response.json()["screened_at"]) == given


def test_a_screen_without_a_time_is_stamped_now(staff_api, patient):
    response = staff_api.post(SCREENINGS, {"patient": patient.pk, **NO_FLAGS}, format="json")
    assert response.status_code == 201, response.json()
    assert RedFlagScreening.objects.get().screened_at == NOW


# The patient's own writes: no date of theirs can be set from the app.


@pytest.mark.parametrize("born", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_the_patient_cannot_write_a_date_of_birth_from_the_app(patient_user, patient, born):
    response = bearer(patient_user).patch("/api/v1/me/", {"date_of_birth": born}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["date_of_birth"] == "1980-05-17"
    assert Patient.objects.get(pk=patient.pk).date_of_birth == datetime.date(1980, 5, 17)


@pytest.mark.parametrize("screened_at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59Z"])
def test_a_symptom_report_is_stamped_with_the_servers_time(patient_user, patient, screened_at):
    body = {**NO_FLAGS, "screened_at": screened_at}
    response = bearer(patient_user).post("/api/v1/me/symptoms/", body, format="json")
    assert response.status_code == 201, response.json()
    assert RedFlagScreening.objects.get(patient=patient).screened_at == NOW
