"""Staff /diagnoses/ and /screenings/: recorded by clinicians, never edited or deleted."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.localtime import local_today
from patients.models import ClinicalAlert, Diagnosis, RedFlagScreening
from patients.services import red_flag_screen
from practice.models import Role
from tests.clients import bearer
from tests.factories import make_diagnosis, make_patient, make_staff

pytestmark = pytest.mark.django_db

DIAGNOSES = "/api/v1/diagnoses/"
SCREENINGS = "/api/v1/screenings/"
NO_FLAGS = {
    "progressive_weakness": False,
    "foot_drop": False,
    "bowel_bladder_dysfunction": False,
    "saddle_numbness": False,
    "bilateral_symptoms": False,
}


def days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def new_diagnosis(who, **overrides) -> dict:
    return {
        "patient": who.pk,
        "cause": "herniated_disc",
        "side": "left",
        "icd10_code": "M51.16",
        "onset_date": days_ago(60),
        **overrides,
    }


# Diagnoses


def test_a_therapist_records_a_diagnosis_as_themselves(therapist_api, patient, therapist):
    response = therapist_api.post(DIAGNOSES, new_diagnosis(patient, notes="L5 radiculopathy"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["diagnosed_by"] == therapist.pk
    assert body["chronicity"] == "subacute"
    assert body["diagnosed_on"] == local_today(patient.clinic.time_zone).isoformat()
    diagnosis = Diagnosis.objects.get(pk=body["id"])
    assert diagnosis.patient == patient
    assert diagnosis.notes == "L5 radiculopathy"


def test_a_diagnosis_may_name_another_clinician_of_the_clinic(therapist_api, patient, clinic):
    physiatrist = make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="md.one")
    body = new_diagnosis(patient, diagnosed_by=physiatrist.pk)
    response = therapist_api.post(DIAGNOSES, body)
    assert response.status_code == 201
    assert Diagnosis.objects.get(pk=response.json()["id"]).diagnosed_by == physiatrist


def test_naming_the_front_desk_as_diagnostician_is_refused(therapist_api, patient, front_desk):
    response = therapist_api.post(DIAGNOSES, new_diagnosis(patient, diagnosed_by=front_desk.pk))
    assert response.status_code == 400
    assert "diagnosed_by" in response.json()["errors"]
    assert not Diagnosis.objects.exists()


def test_a_code_that_does_not_fit_the_cause_is_a_400_on_icd10_code(therapist_api, patient):
    response = therapist_api.post(DIAGNOSES, new_diagnosis(patient, icd10_code="G57.02"))
    assert response.status_code == 400
    assert "icd10_code" in response.json()["errors"]
    assert not Diagnosis.objects.exists()


def test_the_list_filters_by_patient_and_cause(therapist_api, patient, therapist, clinic):
    second = make_patient(clinic=clinic)
    herniated = make_diagnosis(patient=patient, diagnosed_by=therapist)
    stenosis = make_diagnosis(
        patient=second, diagnosed_by=therapist, cause="spinal_stenosis", icd10_code="M48.061"
    )

    def ids(**params):
        return [r["id"] for r in therapist_api.get(DIAGNOSES, params).json()["results"]]

    assert set(ids()) == {herniated.pk, stenosis.pk}
    assert ids(patient=second.pk) == [stenosis.pk]
    assert ids(cause="herniated_disc") == [herniated.pk]


def test_a_diagnosis_cannot_be_edited_or_deleted(therapist_api, diagnosis):
    path = f"{DIAGNOSES}{diagnosis.pk}/"
    assert therapist_api.patch(path, {"cause": "other"}).status_code == 405
    assert therapist_api.put(path, new_diagnosis(diagnosis.patient)).status_code == 405
    diagnosis.refresh_from_db()
    assert diagnosis.cause == "herniated_disc"


def test_front_desk_may_not_record_diagnoses_or_screenings(front_desk_api, patient):
    assert front_desk_api.post(DIAGNOSES, new_diagnosis(patient)).status_code == 403
    body = {**NO_FLAGS, "patient": patient.pk, "foot_drop": True}
    assert front_desk_api.post(SCREENINGS, body).status_code == 403
    assert not Diagnosis.objects.exists()
    assert not RedFlagScreening.objects.exists()


def test_a_clinic_admin_may_read_but_not_record_diagnoses(clinic, patient, diagnosis):
    admin = bearer(make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one").user)
    assert admin.get(f"{DIAGNOSES}{diagnosis.pk}/").status_code == 200
    assert admin.post(DIAGNOSES, new_diagnosis(patient)).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"onset_date": "2024-02-30"}, "onset_date"),
        ({"onset_date": days_ago(-3)}, "onset_date"),
        ({"diagnosed_on": days_ago(-1)}, "diagnosed_on"),
        ({"onset_date": days_ago(5), "diagnosed_on": days_ago(10)}, "onset_date"),
        ({"cause": "sciatica"}, "cause"),
        ({"side": "both"}, "side"),
        ({"icd10_code": "M51.16\x00"}, "icd10_code"),
        ({"icd10_code": 5116}, "icd10_code"),
        ({"patient": "first"}, "patient"),
        ({"patient": 2**63}, "patient"),
        ({"diagnosed_by": 123456}, "diagnosed_by"),
    ],
)
def test_bad_diagnosis_input_is_a_400_naming_the_field(therapist_api, patient, overrides, field):
    response = therapist_api.post(DIAGNOSES, new_diagnosis(patient, **overrides))
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Diagnosis.objects.exists()


def test_diagnoses_list_queries_do_not_grow_with_the_page(therapist_api, patient, therapist):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert therapist_api.get(DIAGNOSES, {"page_size": 100}).status_code == 200
        return len(captured.captured_queries)

    make_diagnosis(patient=patient, diagnosed_by=therapist)
    one = queries_for_page()
    for _ in range(49):
        make_diagnosis(patient=patient, diagnosed_by=therapist)
    assert queries_for_page() == one


# Screenings


def test_a_positive_screening_holds_the_patient_and_alerts(therapist_api, patient, therapist):
    body = {**NO_FLAGS, "patient": patient.pk, "bowel_bladder_dysfunction": True}
    response = therapist_api.post(SCREENINGS, body)

    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["positive"] is True
    assert answer["on_medical_hold"] is True
    assert answer["screened_by"] == therapist.pk
    assert answer["source"] == "clinician"
    assert answer["positive_flags"] == ["New loss of bowel or bladder control"]
    patient.refresh_from_db()
    assert patient.on_medical_hold
    assert ClinicalAlert.objects.filter(patient=patient, severity="urgent").count() == 1


def test_a_negative_screening_leaves_the_patient_free(therapist_api, patient):
    response = therapist_api.post(SCREENINGS, {**NO_FLAGS, "patient": patient.pk})
    assert response.status_code == 201
    assert response.json()["positive"] is False
    assert response.json()["on_medical_hold"] is False
    assert not ClinicalAlert.objects.exists()


def test_the_screening_list_filters_by_patient(therapist_api, patient, clinic):
    second = make_patient(clinic=clinic)
    mine = red_flag_screen(patient=patient, flags={})
    red_flag_screen(patient=second, flags={})
    rows = therapist_api.get(SCREENINGS, {"patient": patient.pk}).json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]


def test_screenings_list_queries_do_not_grow_with_the_page(therapist_api, patient, clinic):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert therapist_api.get(SCREENINGS, {"page_size": 100}).status_code == 200
        return len(captured.captured_queries)

    red_flag_screen(patient=patient, flags={})
    one = queries_for_page()
    for _ in range(49):
        red_flag_screen(patient=make_patient(clinic=clinic), flags={"foot_drop": True})
    assert queries_for_page() == one


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({k: v for k, v in NO_FLAGS.items() if k != "saddle_numbness"}, "saddle_numbness"),
        ({**NO_FLAGS, "foot_drop": "dunno"}, "foot_drop"),
        ({**NO_FLAGS, "notes": "\x00"}, "notes"),
        ({**NO_FLAGS, "patient": None}, "patient"),
    ],
)
def test_bad_screening_input_is_a_400_and_records_nothing(therapist_api, patient, body, field):
    response = therapist_api.post(SCREENINGS, {"patient": patient.pk, **body})
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not RedFlagScreening.objects.exists()


# Tenancy


def test_another_clinic_gets_404_on_diagnosis_and_screening_details(
    other_therapist_api, patient, diagnosis
):
    screening = red_flag_screen(patient=patient, flags={})
    assert other_therapist_api.get(f"{DIAGNOSES}{diagnosis.pk}/").status_code == 404
    assert other_therapist_api.get(f"{SCREENINGS}{screening.pk}/").status_code == 404
    assert other_therapist_api.get(DIAGNOSES).json()["count"] == 0
    assert other_therapist_api.get(SCREENINGS).json()["count"] == 0


def test_recording_for_another_clinics_patient_is_a_400(therapist_api, other_patient):
    diagnosis = therapist_api.post(DIAGNOSES, new_diagnosis(other_patient))
    screening = therapist_api.post(
        SCREENINGS, {**NO_FLAGS, "patient": other_patient.pk, "foot_drop": True}
    )
    assert diagnosis.status_code == 400
    assert "does not exist" in diagnosis.json()["errors"]["patient"][0]
    assert screening.status_code == 400
    assert "does not exist" in screening.json()["errors"]["patient"][0]
    other_patient.refresh_from_db()
    assert not other_patient.on_medical_hold


def test_a_patient_gets_403_on_diagnoses_and_screenings(patient_api, patient):
    assert patient_api.get(DIAGNOSES).status_code == 403
    assert patient_api.post(SCREENINGS, {**NO_FLAGS, "patient": patient.pk}).status_code == 403
