"""Registering and updating patients: identity, contact, referral, status, audit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.records import HardDeleteRefused
from patients.models import Patient
from patients.services import patient_register, patient_set_status, patient_update
from practice.models import Role
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db


def test_registering_a_patient_stores_the_phone_in_e164(clinic):
    patient = make_patient(clinic=clinic, phone="+1 (202) 555-0199")
    patient.refresh_from_db()
    assert str(patient.phone) == "+12025550199"
    assert patient.status == Patient.Status.ACTIVE
    assert not patient.on_medical_hold


def test_the_same_mrn_twice_in_one_clinic_is_refused(clinic):
    make_patient(clinic=clinic, mrn="A-1")
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, mrn="A-1", first_name="Other")
    assert "MRN" in str(exc.value)
    assert Patient.objects.filter(clinic=clinic, mrn="A-1").count() == 1


def test_the_same_mrn_is_allowed_in_another_clinic(clinic, other_clinic):
    first = make_patient(clinic=clinic, mrn="A-1")
    second = make_patient(clinic=other_clinic, mrn="A-1")
    assert first.pk != second.pk
    assert Patient.objects.filter(mrn="A-1").count() == 2


def test_changing_an_mrn_to_one_already_used_in_the_clinic_is_refused(clinic):
    make_patient(clinic=clinic, mrn="A-1")
    patient = make_patient(clinic=clinic, mrn="A-2")
    with pytest.raises(ValidationError):
        patient_update(patient=patient, mrn="A-1")
    patient.refresh_from_db()
    assert patient.mrn == "A-2"


@pytest.mark.parametrize("phone", ["12345", "not a phone", "+1555", "+999999999999999999"])
def test_a_phone_number_that_is_not_a_valid_international_number_is_refused(clinic, phone):
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, phone=phone)
    assert "phone" in exc.value.message_dict
    assert not Patient.objects.exists()


def test_the_phone_example_given_in_the_help_text_is_accepted(clinic):
    example = Patient._meta.get_field("phone").help_text.split("e.g. ")[1].rstrip(".")
    assert str(make_patient(clinic=clinic, phone=example).phone) == example


def test_a_blank_phone_is_allowed(clinic):
    patient = make_patient(clinic=clinic, phone="")
    assert patient.phone == ""


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "america/new_york", "GMT+25", ""])
def test_a_time_zone_that_is_not_iana_is_refused(clinic, zone):
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, time_zone=zone)
    assert "time_zone" in exc.value.message_dict
    assert not Patient.objects.exists()


@pytest.mark.parametrize("zone", ["America/Chicago", "Europe/Berlin", "Pacific/Honolulu"])
def test_an_iana_time_zone_is_accepted(clinic, zone):
    assert make_patient(clinic=clinic, time_zone=zone).time_zone == zone


def test_a_physician_referral_without_physician_or_date_is_refused_naming_both(clinic):
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, referral=Patient.Referral.PHYSICIAN)
    assert set(exc.value.message_dict) == {"referring_physician", "referral_date"}
    assert not Patient.objects.exists()


def test_a_physician_referral_without_a_date_is_refused(clinic):
    with pytest.raises(ValidationError) as exc:
        make_patient(
            clinic=clinic,
            referral=Patient.Referral.PHYSICIAN,
            referring_physician="Dr. Jane Okafor",
        )
    assert set(exc.value.message_dict) == {"referral_date"}


def test_a_physician_referral_with_physician_and_date_is_accepted(clinic):
    patient = make_patient(
        clinic=clinic,
        referral=Patient.Referral.PHYSICIAN,
        referring_physician="Dr. Jane Okafor",
        referral_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    patient.refresh_from_db()
    assert patient.referral == Patient.Referral.PHYSICIAN


def test_a_referral_dated_in_the_future_is_refused(clinic):
    with pytest.raises(ValidationError) as exc:
        make_patient(
            clinic=clinic,
            referral=Patient.Referral.PHYSICIAN,
            referring_physician="Dr. Jane Okafor",
            referral_date=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "referral_date" in exc.value.message_dict


def test_switching_to_physician_referral_on_update_needs_physician_and_date(patient):
    with pytest.raises(ValidationError):
        patient_update(patient=patient, referral=Patient.Referral.PHYSICIAN)
    patient.refresh_from_db()
    assert patient.referral == Patient.Referral.DIRECT_ACCESS


def test_direct_access_needs_no_physician(clinic):
    patient = make_patient(clinic=clinic, referral=Patient.Referral.DIRECT_ACCESS)
    assert patient.referring_physician == ""
    assert patient.referral_date is None


def test_a_date_of_birth_in_the_future_is_refused(clinic):
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, date_of_birth=timezone.localdate() + datetime.timedelta(1))
    assert "date_of_birth" in exc.value.message_dict


def test_unknown_fields_are_refused_by_name(clinic):
    with pytest.raises(ValidationError, match="medical_hold_since"):
        make_patient(clinic=clinic, medical_hold_since=timezone.now())
    with pytest.raises(ValidationError, match="status"):
        make_patient(clinic=clinic, status=Patient.Status.ARCHIVED)


def test_primary_therapist_from_another_clinic_is_refused(clinic, other_therapist):
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, primary_therapist=other_therapist)
    assert exc.value.message_dict == {"primary_therapist": ["Not found in this clinic."]}


def test_front_desk_cannot_be_a_primary_therapist(clinic, front_desk):
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, primary_therapist=front_desk)
    assert "not a clinician" in exc.value.message_dict["primary_therapist"][0]


@pytest.mark.parametrize(
    "status", [Patient.Status.DISCHARGED, Patient.Status.ARCHIVED, Patient.Status.ACTIVE]
)
def test_status_changes_are_stored(patient, status):
    patient_set_status(patient=patient, status=Patient.Status.DISCHARGED)
    patient_set_status(patient=patient, status=status)
    patient.refresh_from_db()
    assert patient.status == status


def test_an_unknown_status_is_refused(patient):
    with pytest.raises(ValueError, match="deceased"):
        patient_set_status(patient=patient, status="deceased")
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


def test_deleting_a_patient_is_refused_and_the_row_remains(patient):
    with pytest.raises(HardDeleteRefused):
        patient.delete()
    assert Patient.objects.filter(pk=patient.pk).exists()


def test_deleting_patients_in_bulk_is_refused_and_the_rows_remain(clinic, patient):
    make_patient(clinic=clinic)
    with pytest.raises(HardDeleteRefused):
        Patient.objects.filter(clinic=clinic).delete()
    with pytest.raises(HardDeleteRefused):
        Patient.objects.all().delete()
    with pytest.raises(HardDeleteRefused):
        clinic.patients.all().delete()
    assert Patient.objects.filter(clinic=clinic).count() == 2


def test_history_records_who_changed_what(patient, front_desk):
    patient_update(patient=patient, actor=front_desk.user, last_name="Moreno")
    latest = patient.history.first()
    assert latest.history_user == front_desk.user
    assert latest.last_name == "Moreno"
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    assert [change.field for change in delta.changes] == ["last_name"]
    assert delta.changes[0].old == "Rivera"


def test_history_records_the_registering_user(clinic, front_desk):
    patient = make_patient(clinic=clinic, actor=front_desk.user)
    created = patient.history.get()
    assert created.history_type == "+"
    assert created.history_user == front_desk.user


def test_status_change_history_names_the_actor(clinic, patient):
    admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")
    patient_set_status(patient=patient, status=Patient.Status.ARCHIVED, actor=admin.user)
    latest = patient.history.first()
    assert latest.history_user == admin.user
    assert latest.status == Patient.Status.ARCHIVED


def test_a_registration_refused_by_validation_writes_no_history(clinic):
    with pytest.raises(ValidationError):
        make_patient(clinic=clinic, phone="12345")
    assert Patient.history.count() == 0


def test_patient_register_accepts_patient_register_kwargs_directly(clinic):
    patient = patient_register(
        clinic=clinic,
        mrn="Z-9",
        first_name="Kim",
        last_name="Lee",
        date_of_birth=datetime.date(1990, 1, 2),
        quiet_hours_start=datetime.time(22, 0),
        quiet_hours_end=datetime.time(7, 0),
    )
    patient.refresh_from_db()
    assert patient.clinic == clinic
    assert patient.quiet_hours_start == datetime.time(22, 0)
