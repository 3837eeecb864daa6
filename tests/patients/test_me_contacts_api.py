"""/me/contacts/: the clinic and the therapist a patient is told to contact."""

from __future__ import annotations

import pytest

from audit.models import RecordAccess
from practice.models import Clinic, StaffMember, User
from tests.clients import bearer
from tests.factories import make_patient, make_patient_user, make_staff

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/me/contacts/"


@pytest.fixture
def clinic_details(clinic):
    Clinic.objects.filter(pk=clinic.pk).update(
        phone="+12025550100",
        address="1 Main Street, Springfield",
        opening_hours="Mon-Fri 8:00-18:00",
        cancellation_window_hours=12,
    )


CLINIC = {
    "name": "Demo Spine Clinic",
    "phone": "+12025550100",
    "address": "1 Main Street, Springfield",
    "opening_hours": "Mon-Fri 8:00-18:00",
    "cancellation_window_hours": 12,
}


def test_a_patient_reads_their_clinic_and_their_therapists_work_phone(
    clinic_details, patient, patient_api, therapist
):
    User.objects.filter(pk=therapist.user_id).update(first_name="Dana", last_name="Reyes")
    StaffMember.objects.filter(pk=therapist.pk).update(
        credentials="PT, DPT", work_phone="+12025550177"
    )

    response = patient_api.get(CONTACTS)

    assert response.status_code == 200
    assert response.json() == {
        "clinic": CLINIC,
        "therapist": {"name": "Dana Reyes", "credentials": "PT, DPT", "phone": "+12025550177"},
    }
    assert RecordAccess.objects.filter(patient=patient, path=CONTACTS, action="view").exists()


def test_a_therapist_without_a_work_phone_gives_the_clinics(
    clinic_details, patient, patient_api, therapist
):
    therapist_contact = patient_api.get(CONTACTS).json()["therapist"]
    assert therapist_contact["phone"] == "+12025550100"


def test_a_patient_without_a_therapist_gets_null(clinic_details, clinic):
    patient = make_patient_user(make_patient(clinic=clinic), username="patient.alone")

    response = bearer(patient.user).get(CONTACTS)

    assert response.status_code == 200
    assert response.json() == {"clinic": CLINIC, "therapist": None}


def test_a_therapist_who_left_is_no_contact(clinic_details, patient, patient_api, therapist):
    User.objects.filter(pk=therapist.user_id).update(is_active=False)
    assert patient_api.get(CONTACTS).json()["therapist"] is None


def test_another_patients_clinic_and_therapist_are_never_shown(
    clinic_details, patient, patient_api, other_clinic
):
    Clinic.objects.filter(pk=other_clinic.pk).update(phone="+12025550999")
    theirs = make_staff(clinic=other_clinic, username="pt.theirs")
    StaffMember.objects.filter(pk=theirs.pk).update(work_phone="+12025550888")
    make_patient_user(
        make_patient(clinic=other_clinic, primary_therapist=theirs), username="patient.theirs"
    )

    body = patient_api.get(CONTACTS).json()

    assert body["clinic"]["name"] == "Demo Spine Clinic"
    assert "+12025550999" not in str(body)
    assert "+12025550888" not in str(body)


def test_staff_cannot_read_contacts_as_a_patient(therapist_api):
    assert therapist_api.get(CONTACTS).status_code == 403
