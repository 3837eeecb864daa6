"""Staff /patients/: registration, updates, status, invitations and medical holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients import services as patient_services
from patients.models import Cause, Patient, PatientInvite, RedFlagScreening
from practice.models import Role
from tests.clients import bearer
from tests.factories import make_diagnosis, make_patient, make_staff
from tests.patients.patients_api import PATIENTS, detail, new_patient, put_on_hold

pytestmark = pytest.mark.django_db

ACTIVATE = "/api/v1/auth/activate/"
TOKEN = "/api/v1/auth/token/"


# Registration and reading


def test_front_desk_registers_a_patient_in_its_own_clinic(front_desk_api, clinic, therapist):
    response = front_desk_api.post(PATIENTS, new_patient(primary_therapist=therapist.pk))

    assert response.status_code == 201, response.json()
    body = response.json()
    patient = Patient.objects.get(pk=body["id"])
    assert patient.clinic == clinic
    assert patient.primary_therapist == therapist
    assert body["phone"] == "+12025550143"
    assert body["status"] == "active"
    assert body["on_medical_hold"] is False
    assert "latest_diagnosis" not in body  # the front desk reads no diagnosis
    assert patient.history.first().history_user.username == "desk.one"


def test_registration_ignores_a_status_or_hold_in_the_body(therapist_api):
    body = new_patient(status="archived", medical_hold_since="2020-01-01T00:00:00Z")
    response = therapist_api.post(PATIENTS, body)
    assert response.status_code == 201
    patient = Patient.objects.get(pk=response.json()["id"])
    assert patient.status == Patient.Status.ACTIVE
    assert patient.medical_hold_since is None


def test_detail_shows_the_hold_and_the_latest_diagnosis(therapist_api, patient, therapist):
    make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=200)
    latest = make_diagnosis(
        patient=patient,
        diagnosed_by=therapist,
        cause=Cause.PIRIFORMIS_SYNDROME,
        icd10_code="G57.02",
        onset_days_ago=10,
    )
    put_on_hold(patient)

    body = therapist_api.get(detail(patient)).json()

    assert body["on_medical_hold"] is True
    assert body["medical_hold_since"] is not None
    assert body["latest_diagnosis"]["id"] == latest.pk
    assert body["latest_diagnosis"]["cause"] == "piriformis_syndrome"
    assert body["latest_diagnosis"]["chronicity"] == "acute"


def test_the_list_is_paginated(therapist_api, clinic):
    for n in range(3):
        make_patient(clinic=clinic, last_name=f"Zed{n}")
    body = therapist_api.get(PATIENTS, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] is not None


def test_the_list_filters_by_status_therapist_hold_and_cause(clinic, therapist, therapist_api):
    second = make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="dc.two")
    mine = make_patient(clinic=clinic, last_name="Mine", primary_therapist=therapist)
    theirs = make_patient(clinic=clinic, last_name="Theirs", primary_therapist=second)
    gone = make_patient(clinic=clinic, last_name="Gone")
    patient_services.patient_set_status(patient=gone, status="discharged")
    put_on_hold(theirs)
    make_diagnosis(patient=mine, diagnosed_by=therapist)  # herniated disc
    make_diagnosis(patient=theirs, diagnosed_by=therapist)
    make_diagnosis(
        patient=theirs, diagnosed_by=therapist, cause=Cause.SPINAL_STENOSIS, icd10_code="M48.062"
    )

    def ids(**params):
        response = therapist_api.get(PATIENTS, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(status="discharged") == {gone.pk}
    assert ids(primary_therapist=second.pk) == {theirs.pk}
    assert ids(on_hold="true") == {theirs.pk}
    assert ids(on_hold="false") == {mine.pk, gone.pk}
    assert ids(cause="herniated_disc") == {mine.pk}  # the latest diagnosis
    assert ids(cause="spinal_stenosis") == {theirs.pk}
    assert ids(any_cause="herniated_disc") == {mine.pk, theirs.pk}


def test_search_finds_by_name_or_mrn(therapist_api, clinic):
    found = make_patient(clinic=clinic, last_name="Castellano", mrn="A-42")
    make_patient(clinic=clinic, last_name="Other")

    by_name = therapist_api.get(PATIENTS, {"search": "castel"}).json()["results"]
    by_mrn = therapist_api.get(PATIENTS, {"search": "A-42"}).json()["results"]

    assert [row["id"] for row in by_name] == [found.pk]
    assert [row["id"] for row in by_mrn] == [found.pk]


def test_ordering_by_mrn_and_last_name(therapist_api, clinic):
    b = make_patient(clinic=clinic, last_name="Alpha", mrn="B-1")
    a = make_patient(clinic=clinic, last_name="Beta", mrn="A-1")

    by_mrn = [r["id"] for r in therapist_api.get(PATIENTS, {"ordering": "mrn"}).json()["results"]]
    by_name = [
        r["id"] for r in therapist_api.get(PATIENTS, {"ordering": "-last_name"}).json()["results"]
    ]

    assert by_mrn == [a.pk, b.pk]
    assert by_name == [a.pk, b.pk]


def test_the_list_costs_the_same_queries_for_one_patient_or_fifty(therapist_api, clinic, therapist):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = therapist_api.get(PATIENTS, {"page_size": 100})
        assert response.status_code == 200
        return len(captured.captured_queries)

    first = make_patient(clinic=clinic, primary_therapist=therapist)
    make_diagnosis(patient=first, diagnosed_by=therapist)
    one = queries_for_page()
    for _ in range(49):
        extra = make_patient(clinic=clinic, primary_therapist=therapist)
        make_diagnosis(patient=extra, diagnosed_by=therapist)
    assert queries_for_page() == one


# Updates, status and the refused delete


def test_patch_updates_contact_details(therapist_api, patient):
    response = therapist_api.patch(
        detail(patient), {"phone": "+442071838750", "time_zone": "Europe/London"}
    )
    assert response.status_code == 200, response.json()
    patient.refresh_from_db()
    assert patient.phone.as_e164 == "+442071838750"
    assert patient.time_zone == "Europe/London"
    assert response.json()["phone"] == "+442071838750"


def test_put_replaces_the_demographics(therapist_api, patient):
    response = therapist_api.put(detail(patient), new_patient(mrn=patient.mrn, first_name="Dee"))
    assert response.status_code == 200, response.json()
    patient.refresh_from_db()
    assert patient.first_name == "Dee"
    assert patient.time_zone == "America/Chicago"


def test_a_physician_referral_without_a_physician_is_refused_per_field(therapist_api, patient):
    response = therapist_api.patch(detail(patient), {"referral": "physician"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"referring_physician", "referral_date"}
    patient.refresh_from_db()
    assert patient.referral == Patient.Referral.DIRECT_ACCESS


def test_delete_is_405_and_the_patient_remains(therapist_api, patient):
    response = therapist_api.delete(detail(patient))
    assert response.status_code == 405
    assert "archive instead" in response.json()["detail"]
    assert Patient.objects.filter(pk=patient.pk, status="active").exists()


def test_status_archives_and_reactivates(therapist_api, front_desk_api, patient):
    archived = therapist_api.post(f"{detail(patient)}status/", {"status": "archived"})
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ARCHIVED

    front_desk_api.post(f"{detail(patient)}status/", {"status": "active"})
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


def test_an_unknown_status_is_a_400(therapist_api, patient):
    response = therapist_api.post(f"{detail(patient)}status/", {"status": "deleted"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


# Invitations


def test_invite_then_activate_then_log_in_and_the_code_works_once(therapist_api, anon, patient):
    invite = therapist_api.post(f"{detail(patient)}invite/")
    assert invite.status_code == 201
    assert set(invite.json()) == {"code", "expires_at"}
    code = invite.json()["code"]
    stored = PatientInvite.objects.get(patient=patient)
    assert code.replace("-", "") not in stored.code_hash  # only the hash is kept

    body = {"code": code, "username": "dana.o", "password": "a-long-fresh-password"}
    assert anon.post(ACTIVATE, body).status_code == 201
    login = anon.post(TOKEN, {"username": "dana.o", "password": "a-long-fresh-password"})
    assert login.status_code == 200
    anon.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")
    assert anon.get("/api/v1/me/").json()["id"] == patient.pk

    again = anon.post(ACTIVATE, {**body, "password": "another-long-password"})
    assert again.status_code == 400
    assert "code" in again.json()["errors"]


def test_an_archived_patient_cannot_be_invited(therapist_api, patient):
    patient_services.patient_set_status(patient=patient, status="archived")
    response = therapist_api.post(f"{detail(patient)}invite/")
    assert response.status_code == 400
    assert not PatientInvite.objects.filter(patient=patient).exists()


def test_the_invite_code_is_not_shown_anywhere_else(therapist_api, patient):
    code = therapist_api.post(f"{detail(patient)}invite/").json()["code"]
    assert code not in therapist_api.get(detail(patient)).content.decode()
    assert therapist_api.get(detail(patient)).json()["has_app_login"] is False


# Medical holds


def test_a_therapist_clears_a_hold_with_a_note(therapist_api, patient):
    put_on_hold(patient)
    response = therapist_api.post(
        f"{detail(patient)}clear-hold/", {"note": "Seen in ED, cauda equina excluded."}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["on_medical_hold"] is False
    screening = RedFlagScreening.objects.get(patient=patient)
    assert screening.clearance_note == "Seen in ED, cauda equina excluded."


def test_clearing_without_a_note_is_refused_and_the_hold_stays(therapist_api, patient):
    put_on_hold(patient)
    response = therapist_api.post(f"{detail(patient)}clear-hold/", {"note": "   "})
    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    patient.refresh_from_db()
    assert patient.on_medical_hold


def test_clearing_a_patient_not_on_hold_is_a_400(therapist_api, patient):
    response = therapist_api.post(f"{detail(patient)}clear-hold/", {"note": "fine"})
    assert response.status_code == 400
    assert "not on medical hold" in str(response.json())


def test_an_athletic_trainer_may_not_clear_a_hold(clinic, patient):
    trainer = make_staff(clinic=clinic, role=Role.ATHLETIC_TRAINER, username="atc.one")
    put_on_hold(patient)
    response = bearer(trainer.user).post(f"{detail(patient)}clear-hold/", {"note": "ok"})
    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.on_medical_hold
