"""The front desk registers patients and books their visits but reads no diagnosis: not
on the diagnosis pages (403), and not through the patient's record either (its latest
diagnosis, the cause column and the cause filters)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from patients.models import Cause
from tests.clients import bearer, error_of
from tests.factories import make_diagnosis, make_patient

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients/"


@pytest.fixture
def piriformis(patient, therapist):
    return make_diagnosis(
        patient=patient,
        diagnosed_by=therapist,
        cause=Cause.PIRIFORMIS_SYNDROME,
        icd10_code="G57.02",
    )


def test_the_front_desk_reads_a_patient_without_the_latest_diagnosis(
    front_desk, patient, piriformis
):
    body = bearer(front_desk.user).get(f"{PATIENTS}{patient.pk}/").json()

    assert body["id"] == patient.pk
    assert body["on_medical_hold"] is False  # what booking needs stays
    assert "latest_diagnosis" not in body
    assert "G57.02" not in str(body)


def test_the_patient_list_of_the_front_desk_carries_no_diagnosis(front_desk, patient, piriformis):
    rows = bearer(front_desk.user).get(PATIENTS).json()["results"]

    assert [row["id"] for row in rows] == [patient.pk]
    assert "latest_diagnosis" not in rows[0]


def test_a_therapist_still_reads_the_latest_diagnosis(therapist, patient, piriformis):
    body = bearer(therapist.user).get(f"{PATIENTS}{patient.pk}/").json()

    assert body["latest_diagnosis"]["cause"] == "piriformis_syndrome"


@pytest.mark.parametrize("name", ["cause", "any_cause"])
def test_the_front_desk_cannot_find_patients_by_their_cause(front_desk, patient, piriformis, name):
    response = bearer(front_desk.user).get(PATIENTS, {name: "piriformis_syndrome"})

    assert response.status_code == 403
    assert error_of(response) == {
        "status": 403,
        "code": "permission_denied",
        "detail": f"Your role does not read diagnoses, so it cannot filter patients by {name}.",
        "errors": {},
    }


def test_the_front_desk_still_filters_by_what_it_may_read(front_desk, patient, clinic):
    held = make_patient(clinic=clinic, first_name="Held")
    held.medical_hold_since = held.created_at
    held.save(update_fields=["medical_hold_since"])

    response = bearer(front_desk.user).get(PATIENTS, {"on_hold": "true"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [held.pk]


def test_a_therapist_still_finds_patients_by_their_cause(therapist, patient, piriformis, clinic):
    make_patient(clinic=clinic, first_name="Undiagnosed")

    response = bearer(therapist.user).get(PATIENTS, {"cause": "piriformis_syndrome"})

    assert [row["id"] for row in response.json()["results"]] == [patient.pk]


# The admin


def test_the_admin_patient_list_shows_the_front_desk_no_cause(
    client, front_desk, patient, piriformis
):
    client.force_login(front_desk.user)

    response = client.get(reverse("admin:patients_patient_changelist"))

    assert response.status_code == 200
    assert patient.mrn in response.text
    assert "Piriformis syndrome" not in response.text
    assert "column-latest_cause" not in response.text
    assert "By cause" not in response.text


def test_the_admin_patient_list_ignores_a_cause_filter_from_the_front_desk(
    client, front_desk, patient, piriformis
):
    client.force_login(front_desk.user)
    url = reverse("admin:patients_patient_changelist")

    response = client.get(url, {"cause": "herniated_disc"})

    # Not a filter of the page for this role: Django's "invalid lookup" answer, not a
    # list that would tell who has which cause.
    assert response.status_code == 302
    assert response.url == f"{url}?e=1"


def test_the_admin_patient_list_shows_a_therapist_the_cause(client, therapist, patient, piriformis):
    client.force_login(therapist.user)

    response = client.get(reverse("admin:patients_patient_changelist"))

    assert "Piriformis syndrome" in response.text
    assert "By cause" in response.text
