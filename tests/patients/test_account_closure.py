"""A patient asks to close their app account; staff confirm in the admin; the login
ends, the reminders stop and the records stay."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.test import Client
from rest_framework.test import APIClient

from core.records import HardDeleteRefused
from patients.account_closure import account_closure_confirm, account_closure_withdraw
from patients.models import AccountClosureRequest, Diagnosis, Patient
from practice.models import LoginAccessChange, Role
from tests.clients import error_of
from tests.factories import (
    PASSWORD,
    make_account_closure_request,
    make_patient,
    make_patient_user,
    make_staff,
)

pytestmark = pytest.mark.django_db

CLOSURE = "/api/v1/me/account-closure/"
WITHDRAW = "/api/v1/me/account-closure/withdraw/"
TOKEN = "/api/v1/auth/token/"
Status = AccountClosureRequest.Status


def confirm_url(closure: AccountClosureRequest) -> str:
    return f"/admin/patients/accountclosurerequest/{closure.pk}/confirm/"


def admin_as(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def test_a_patient_asks_to_close_their_account(patient, patient_api):
    response = patient_api.post(CLOSURE, {"reason": "  I moved away. "}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "requested"
    assert body["reason"] == "I moved away."
    assert body["decided_at"] is None
    closure = AccountClosureRequest.objects.get(patient=patient)
    assert closure.pk == body["id"]
    assert closure.history.first().history_user.username == "patient.one"


def test_asking_again_while_one_is_open_returns_the_same(patient, patient_api):
    first = patient_api.post(CLOSURE, {}, format="json").json()

    again = patient_api.post(CLOSURE, {"reason": "please"}, format="json")

    assert again.status_code == 200
    assert again.json() == first
    assert AccountClosureRequest.objects.filter(patient=patient).count() == 1


def test_the_database_holds_one_open_request_per_patient(patient, patient_user):
    make_account_closure_request(patient=patient)
    with pytest.raises(IntegrityError):
        AccountClosureRequest.objects.create(patient=patient)


def test_the_patient_reads_the_current_request_or_a_404(patient, patient_api):
    missing = patient_api.get(CLOSURE)
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "not_found"

    made = patient_api.post(CLOSURE, {}, format="json").json()
    assert patient_api.get(CLOSURE).json() == made


def test_another_patients_request_is_never_shown(patient, patient_api, same_clinic_patient):
    make_account_closure_request(patient=same_clinic_patient)

    assert patient_api.get(CLOSURE).status_code == 404
    assert patient_api.post(WITHDRAW).status_code == 404
    assert AccountClosureRequest.objects.get().status == Status.REQUESTED


def test_a_patient_withdraws_the_request_and_may_ask_again(patient, patient_api):
    patient_api.post(CLOSURE, {}, format="json")

    withdrawn = patient_api.post(WITHDRAW)

    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert patient_api.post(WITHDRAW).json()["status"] == "withdrawn"  # a retry
    again = patient_api.post(CLOSURE, {}, format="json")
    assert again.status_code == 201
    assert again.json()["id"] != withdrawn.json()["id"]
    assert patient_api.get(CLOSURE).json()["status"] == "requested"


def test_withdrawing_without_a_request_is_a_404(patient_api):
    assert patient_api.post(WITHDRAW).status_code == 404


def test_staff_confirm_and_the_login_ends(patient, patient_user, therapist, diagnosis):
    tokens = APIClient().post(TOKEN, {"username": "patient.one", "password": PASSWORD}).json()
    Patient.objects.filter(pk=patient.pk).update(consent_email=True, consent_sms=True)
    closure = make_account_closure_request(patient=patient)

    page = admin_as(therapist).get(confirm_url(closure))
    assert page.status_code == 200
    done = admin_as(therapist).post(confirm_url(closure), {"note": "Identity checked by phone."})

    assert done.status_code == 302
    closure.refresh_from_db()
    assert closure.status == Status.CONFIRMED
    assert closure.decided_by == therapist
    assert closure.note == "Identity checked by phone."
    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    refused = app.get("/api/v1/me/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "user_inactive"
    login = APIClient().post(TOKEN, {"username": "patient.one", "password": PASSWORD})
    assert login.status_code == 401
    change = LoginAccessChange.objects.get(user=patient_user)
    assert not change.active
    assert change.changed_by == therapist.user
    assert f"request {closure.pk}" in change.reason
    # The records stay; no reminder may go out on any channel.
    patient.refresh_from_db()
    assert Diagnosis.objects.filter(patient=patient).count() == 1
    assert (patient.consent_email, patient.consent_sms, patient.consent_push) == (
        False,
        False,
        False,
    )


def test_confirming_twice_is_refused(patient, patient_user, therapist):
    closure = make_account_closure_request(patient=patient)
    account_closure_confirm(request=closure, by=therapist.user, note="")

    with pytest.raises(ValidationError, match="already confirmed"):
        account_closure_confirm(request=closure, by=therapist.user, note="again")
    page = admin_as(therapist).post(confirm_url(closure), {"note": "again"})
    assert page.status_code == 200
    assert "already confirmed" in page.content.decode()
    assert LoginAccessChange.objects.filter(user=patient_user).count() == 1
    closure.refresh_from_db()
    assert closure.note == ""


def test_a_withdrawn_request_cannot_be_confirmed(patient, patient_user, therapist):
    closure = make_account_closure_request(patient=patient)
    account_closure_withdraw(request=closure, actor=patient_user)

    with pytest.raises(ValidationError, match="already withdrawn"):
        account_closure_confirm(request=closure, by=therapist.user)
    patient_user.refresh_from_db()
    assert patient_user.is_active


def test_a_confirmed_request_cannot_be_withdrawn(patient, patient_user, therapist):
    closure = make_account_closure_request(patient=patient)
    account_closure_confirm(request=closure, by=therapist.user)

    with pytest.raises(ValidationError, match="already closed"):
        account_closure_withdraw(request=closure, actor=patient_user)
    closure.refresh_from_db()
    assert closure.status == Status.CONFIRMED


def test_the_front_desk_may_read_but_not_confirm(patient, patient_user, front_desk):
    closure = make_account_closure_request(patient=patient)
    client = admin_as(front_desk)

    assert client.get("/admin/patients/accountclosurerequest/?status=requested").status_code == 200
    page = client.get(f"/admin/patients/accountclosurerequest/{closure.pk}/change/")
    assert page.status_code == 200
    assert confirm_url(closure) not in page.content.decode()  # no button that would refuse
    assert client.post(confirm_url(closure), {"note": ""}).status_code == 403
    with pytest.raises(PermissionDenied):
        account_closure_confirm(request=closure, by=front_desk.user)
    closure.refresh_from_db()
    assert closure.status == Status.REQUESTED
    patient_user.refresh_from_db()
    assert patient_user.is_active


def test_a_clinic_admin_may_confirm(patient, patient_user, clinic):
    admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")
    closure = make_account_closure_request(patient=patient)
    page = admin_as(admin).get(f"/admin/patients/accountclosurerequest/{closure.pk}/change/")
    assert confirm_url(closure) in page.content.decode()

    assert admin_as(admin).post(confirm_url(closure), {"note": ""}).status_code == 302
    patient_user.refresh_from_db()
    assert not patient_user.is_active


def test_another_clinic_cannot_see_or_confirm(patient, patient_user, other_therapist):
    closure = make_account_closure_request(patient=patient)
    client = admin_as(other_therapist)

    assert (
        client.get(f"/admin/patients/accountclosurerequest/{closure.pk}/change/").status_code == 404
    )
    assert client.post(confirm_url(closure), {"note": ""}).status_code == 404
    with pytest.raises(PermissionDenied):
        account_closure_confirm(request=closure, by=other_therapist.user)
    patient_user.refresh_from_db()
    assert patient_user.is_active


def test_the_open_requests_list_filters_by_status(patient, patient_user, therapist, clinic):
    confirmed = make_account_closure_request(patient=patient)
    account_closure_confirm(request=confirmed, by=therapist.user)
    waiting = make_account_closure_request(
        patient=make_patient_user(make_patient(clinic=clinic, first_name="Wren"), username="wren")
    )

    page = admin_as(therapist).get("/admin/patients/accountclosurerequest/?status=requested")

    assert list(page.context["cl"].result_list) == [waiting]


def test_a_request_is_never_deleted(patient, patient_user):
    closure = make_account_closure_request(patient=patient)
    with pytest.raises(HardDeleteRefused):
        closure.delete()
    with pytest.raises(HardDeleteRefused):
        AccountClosureRequest.objects.all().delete()


def test_a_closed_account_no_longer_shows_an_app_login_to_staff(
    patient, patient_user, therapist, therapist_api
):
    url = f"/api/v1/patients/{patient.pk}/"
    assert therapist_api.get(url).json()["has_app_login"] is True

    account_closure_confirm(
        request=make_account_closure_request(patient=patient), by=therapist.user
    )

    assert therapist_api.get(url).json()["has_app_login"] is False
    listed = therapist_api.get("/api/v1/patients/").json()["results"]
    assert [row["has_app_login"] for row in listed if row["id"] == patient.pk] == [False]
