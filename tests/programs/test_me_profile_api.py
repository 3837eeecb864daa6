"""/me/: the patient's own profile, consent and reminder times (composed in programs)."""

from __future__ import annotations

import datetime

import pytest

from patients.models import Patient
from programs.models import Prescription
from programs.services import prescription_set_status
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
MY_APPOINTMENTS = "/api/v1/me/appointments/"
SYMPTOMS = "/api/v1/me/symptoms/"
NO_FLAGS = {
    "progressive_weakness": False,
    "foot_drop": False,
    "bowel_bladder_dysfunction": False,
    "saddle_numbness": False,
    "bilateral_symptoms": False,
}


@pytest.fixture
def program(diagnosis, therapist):
    return make_prescription(
        diagnosis=diagnosis,
        prescribed_by=therapist,
        weekdays=[0, 2, 4],
        reminder_times=["08:00", "18:00"],
    )


def test_get_me_shows_the_callers_profile(patient_api, patient, program):
    body = patient_api.get(ME).json()
    assert body["id"] == patient.pk
    assert body["mrn"] == patient.mrn
    assert body["date_of_birth"] == "1980-05-17"
    assert body["phone"] == "+12025550123"
    assert body["clinic_name"] == "Demo Spine Clinic"
    assert body["reminder_times"] == ["08:00", "18:00"]
    assert body["on_medical_hold"] is False


def test_each_patient_sees_only_themselves(same_clinic_patient_api, same_clinic_patient, patient):
    body = same_clinic_patient_api.get(ME).json()
    assert body["id"] == same_clinic_patient.pk
    assert body["first_name"] == "Second"


def test_patch_updates_contact_and_consent(patient_api, patient):
    response = patient_api.patch(
        ME,
        {
            "email": "new@example.com",
            "phone": "+14155550100",
            "time_zone": "America/Los_Angeles",
            "consent_sms": True,
            "quiet_hours_start": "22:30",
            "quiet_hours_end": "07:00",
        },
    )
    assert response.status_code == 200, response.json()
    patient.refresh_from_db()
    assert patient.email == "new@example.com"
    assert patient.phone.as_e164 == "+14155550100"
    assert patient.time_zone == "America/Los_Angeles"
    assert patient.consent_sms is True
    assert patient.quiet_hours_start == datetime.time(22, 30)
    assert patient.history.first().history_user.username == "patient.one"


def test_names_mrn_and_birth_date_are_read_only(patient_api, patient):
    response = patient_api.patch(
        ME, {"first_name": "Mallory", "mrn": "X", "date_of_birth": "2000-01-01"}
    )
    assert response.status_code == 200
    patient.refresh_from_db()
    assert patient.first_name == "Alex"
    assert patient.mrn != "X"
    assert patient.date_of_birth == datetime.date(1980, 5, 17)


def test_reminder_times_update_the_open_program_and_keep_its_weekdays(patient_api, program):
    response = patient_api.patch(ME, {"reminder_times": ["19:15", "07:30"]})
    assert response.status_code == 200, response.json()
    assert response.json()["reminder_times"] == ["07:30", "19:15"]
    program.refresh_from_db()
    assert program.reminder_times == ["07:30", "19:15"]
    assert program.weekdays == [0, 2, 4]


def test_reminder_times_without_an_open_program_are_a_clear_400(patient_api, patient, program):
    prescription_set_status(
        prescription=program, status="stopped", actor=program.prescribed_by.user
    )
    response = patient_api.patch(ME, {"reminder_times": ["07:30"], "consent_push": True})
    assert response.status_code == 400
    assert "no open exercise program" in response.json()["errors"]["reminder_times"][0]
    patient.refresh_from_db()
    assert patient.consent_push is False  # nothing half-written


def test_a_bad_reminder_time_refuses_the_whole_patch(patient_api, patient, program):
    response = patient_api.patch(ME, {"reminder_times": ["25:00"], "consent_email": True})
    assert response.status_code == 400
    assert "reminder_times" in response.json()["errors"]
    patient.refresh_from_db()
    program.refresh_from_db()
    assert patient.consent_email is False
    assert program.reminder_times == ["08:00", "18:00"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reminder_times": "08:00"}, "reminder_times"),
        ({"reminder_times": [800]}, "reminder_times"),
        ({"reminder_times": [f"0{n}:00" for n in range(9)]}, "reminder_times"),
        ({"time_zone": "Nowhere/Town"}, "time_zone"),
        ({"phone": "555-0100"}, "phone"),
        ({"email": "x\x00@example.com"}, "email"),
        ({"quiet_hours_end": "late"}, "quiet_hours_end"),
        ({"consent_sms": [True]}, "consent_sms"),
    ],
)
def test_bad_profile_input_is_a_400_naming_the_field(patient_api, patient, program, body, field):
    response = patient_api.patch(ME, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Patient.objects.get(pk=patient.pk).time_zone == "America/New_York"


def test_put_on_me_is_not_allowed(patient_api):
    assert patient_api.put(ME, {"email": "a@example.com"}).status_code == 405


def test_staff_get_403_on_me_endpoints(therapist_api):
    assert therapist_api.get(ME).status_code == 403
    assert therapist_api.get(MY_APPOINTMENTS).status_code == 403
    assert therapist_api.post(SYMPTOMS, NO_FLAGS).status_code == 403


def test_an_archived_patients_login_is_refused(patient_api, patient):
    patient.status = Patient.Status.ARCHIVED
    patient.save()
    assert patient_api.get(ME).status_code == 403


def test_prescription_is_untouched_by_a_profile_only_patch(patient_api, program):
    before = Prescription.objects.get(pk=program.pk).history.count()
    assert patient_api.patch(ME, {"consent_email": True}).status_code == 200
    assert Prescription.objects.get(pk=program.pk).history.count() == before
