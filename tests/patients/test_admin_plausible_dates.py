"""Implausible dates typed in the admin are form errors on their field, never a 500, and
leave nothing written. Year 1 and 9999 included."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from patients.models import Diagnosis, Patient, RedFlagScreening

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def _field_errors(response, field: str) -> list[str]:
    assert response.status_code == 200
    return response.context["adminform"].form.errors[field]


@pytest.mark.parametrize(
    ("born", "reason"),
    [("0001-01-01", "it is before 1900"), ("9999-12-31", "it is in the future")],
)
def test_registering_a_patient_with_an_implausible_birth_date_is_a_form_error(
    client, front_desk, born, reason
):
    client.force_login(front_desk.user)
    response = client.post(
        reverse("admin:patients_patient_add"),
        {
            "mrn": "A-100",
            "first_name": "Robin",
            "last_name": "Hale",
            "date_of_birth": born,
            "time_zone": "America/Chicago",
            "referral": "direct_access",
            "quiet_hours_start": "21:00",
            "quiet_hours_end": "08:00",
        },
    )
    message = f"{born} is not a plausible date of birth: {reason}."
    assert _field_errors(response, "date_of_birth") == [message]
    assert message in response.text
    assert not Patient.objects.filter(mrn="A-100").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "onset_date",
            "0001-01-01",
            "0001-01-01 is not a plausible onset date: it is before 1900.",
        ),
        (
            "diagnosed_on",
            "9999-12-31",
            "9999-12-31 is not a plausible diagnosis date: it is in the future.",
        ),
    ],
)
def test_an_implausible_diagnosis_date_is_a_form_error(
    therapist_client, patient, therapist, field, value, message
):
    data = {
        "patient": patient.pk,
        "cause": "herniated_disc",
        "side": "left",
        "icd10_code": "M51.16",
        "onset_date": "2026-02-01",
        "diagnosed_on": "2026-03-02",
        "diagnosed_by": therapist.pk,
        "notes": "",
        field: value,
    }
    response = therapist_client.post(reverse("admin:patients_diagnosis_add"), data)
    assert _field_errors(response, field) == [message]
    assert not Diagnosis.objects.exists()


@pytest.mark.parametrize(
    ("day", "time", "message"),
    [
        (
            "0001-01-01",
            "00:00:00",
            "0001-01-01T00:00-04:56:02 is not a plausible screening time: it is before 2000.",
        ),
        (
            "9999-12-31",
            "23:59:59",
            "9999-12-31T23:59-05:00 is not a plausible screening time: it is in the future.",
        ),
        (
            "2026-03-02",
            "12:05:01",
            "2026-03-02T12:05-05:00 is not a plausible screening time: it is in the future.",
        ),
    ],
)
def test_an_implausible_screen_time_is_a_form_error_and_holds_nobody(
    therapist_client, patient, day, time, message
):
    response = therapist_client.post(
        reverse("admin:patients_redflagscreening_add"),
        {"patient": patient.pk, "foot_drop": "on", "screened_at_0": day, "screened_at_1": time},
    )
    assert _field_errors(response, "screened_at") == [message]
    assert not RedFlagScreening.objects.exists()
    assert not Patient.objects.get(pk=patient.pk).on_medical_hold


def test_a_screen_entered_afterwards_keeps_its_time_and_an_empty_one_is_now(
    therapist_client, patient
):
    url = reverse("admin:patients_redflagscreening_add")
    form = therapist_client.get(url).context["adminform"].form
    assert form["screened_at"].value() is None  # not pre-filled: empty means now
    later = therapist_client.post(
        url, {"patient": patient.pk, "screened_at_0": "2026-02-27", "screened_at_1": "15:30"}
    )
    assert later.status_code == 302
    now = therapist_client.post(url, {"patient": patient.pk})
    assert now.status_code == 302
    times = RedFlagScreening.objects.order_by("screened_at").values_list("screened_at", flat=True)
    assert list(times) == [
        datetime.datetime(2026, 2, 27, 20, 30, tzinfo=datetime.UTC),  # 15:30 in New York
        NOW,
    ]
