"""`record_save` with `update_fields` validates what it writes, and only that."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.records import record_save
from patients.models import Patient
from tests.factories import LEGACY_PHONE, make_patient, make_record_invalid

pytestmark = pytest.mark.django_db


def test_a_partial_save_is_not_blocked_by_an_old_value_elsewhere_in_the_row(patient):
    stored = make_record_invalid(patient)
    stored.first_name = "Alexis"
    record_save(stored, update_fields=["first_name"])
    again = Patient.objects.get(pk=patient.pk)
    assert (again.first_name, str(again.phone)) == ("Alexis", LEGACY_PHONE)


def test_a_partial_save_still_validates_the_fields_it_writes(patient):
    stored = make_record_invalid(patient)
    stored.first_name = "x" * 101
    with pytest.raises(ValidationError) as refused:
        record_save(stored, update_fields=["first_name"])
    assert set(refused.value.message_dict) == {"first_name"}


def test_a_full_save_validates_the_whole_row(patient):
    stored = make_record_invalid(patient)
    with pytest.raises(ValidationError) as refused:
        record_save(stored)
    assert {"phone", "time_zone"} <= set(refused.value.message_dict)


def test_a_partial_save_checks_a_unique_pair_it_touches_as_a_whole(clinic, patient):
    """The MRN is unique within its clinic: writing the MRN alone still meets the pair."""
    other = make_patient(clinic=clinic, first_name="Sam")
    other.mrn = patient.mrn
    with pytest.raises(ValidationError) as refused:
        record_save(other, update_fields=["mrn"])
    assert "already exists" in " ".join(refused.value.messages)
    assert Patient.objects.get(pk=other.pk).mrn != patient.mrn


def test_a_partial_save_checks_a_constraint_spanning_unwritten_fields(patient):
    """A physician referral names the physician and the date: refused with its message,
    not left for the database to fail on."""
    patient.referral = Patient.Referral.PHYSICIAN
    with pytest.raises(ValidationError) as refused:
        record_save(patient, update_fields=["referral"])
    assert "patient_physician_referral_has_physician_and_date" in " ".join(refused.value.messages)
    assert Patient.objects.get(pk=patient.pk).referral == Patient.Referral.DIRECT_ACCESS
