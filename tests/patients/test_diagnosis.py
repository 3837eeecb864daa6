"""Diagnoses: who may record one, and chronicity derived from the onset date."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.records import HardDeleteRefused
from patients.models import Cause, Chronicity, Diagnosis, Side
from patients.services import diagnosis_record, diagnosis_update_notes
from practice.models import Role
from tests.factories import make_diagnosis, make_staff

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def _record(patient, diagnosed_by, *, onset_date, **kwargs):
    return diagnosis_record(
        patient=patient,
        cause=kwargs.pop("cause", Cause.HERNIATED_DISC),
        side=kwargs.pop("side", Side.LEFT),
        icd10_code=kwargs.pop("icd10_code", "M51.16"),
        onset_date=onset_date,
        diagnosed_by=diagnosed_by,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("days_since_onset", "expected"),
    [
        (0, Chronicity.ACUTE),
        (1, Chronicity.ACUTE),
        (41, Chronicity.ACUTE),  # 5 weeks 6 days
        (42, Chronicity.SUBACUTE),  # exactly 6 weeks
        (84, Chronicity.SUBACUTE),  # exactly 12 weeks
        (85, Chronicity.CHRONIC),
        (400, Chronicity.CHRONIC),
    ],
)
def test_chronicity_is_derived_from_days_since_onset(
    patient, therapist, days_since_onset, expected
):
    with time_machine.travel(NOON, tick=False):
        diagnosis = _record(
            patient, therapist, onset_date=TODAY - datetime.timedelta(days=days_since_onset)
        )
        assert diagnosis.chronicity() == expected


def test_chronicity_moves_on_as_time_passes(patient, therapist):
    onset = TODAY - datetime.timedelta(days=41)
    with time_machine.travel(NOON, tick=False):
        diagnosis = _record(patient, therapist, onset_date=onset)
        assert diagnosis.chronicity() == Chronicity.ACUTE
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        assert Diagnosis.objects.get(pk=diagnosis.pk).chronicity() == Chronicity.SUBACUTE
    with time_machine.travel(NOON + datetime.timedelta(days=44), tick=False):
        assert Diagnosis.objects.get(pk=diagnosis.pk).chronicity() == Chronicity.CHRONIC


def test_chronicity_for_an_explicit_day(patient, therapist):
    with time_machine.travel(NOON, tick=False):
        diagnosis = _record(patient, therapist, onset_date=TODAY)
    assert diagnosis.chronicity(today=TODAY + datetime.timedelta(days=41)) == Chronicity.ACUTE
    assert diagnosis.chronicity(today=TODAY + datetime.timedelta(days=42)) == Chronicity.SUBACUTE
    assert diagnosis.chronicity(today=TODAY + datetime.timedelta(days=85)) == Chronicity.CHRONIC


def test_diagnosed_on_defaults_to_today(patient, therapist):
    with time_machine.travel(NOON, tick=False):
        diagnosis = _record(patient, therapist, onset_date=TODAY - datetime.timedelta(days=3))
    diagnosis.refresh_from_db()
    assert diagnosis.diagnosed_on == TODAY


def test_onset_after_the_diagnosis_date_is_refused(patient, therapist):
    with time_machine.travel(NOON, tick=False), pytest.raises(ValidationError) as exc:
        _record(patient, therapist, onset_date=TODAY + datetime.timedelta(days=1))
    assert "onset_date" in exc.value.message_dict
    assert not Diagnosis.objects.exists()


def test_onset_on_the_day_of_diagnosis_is_accepted(patient, therapist):
    diagnosis = _record(
        patient,
        therapist,
        onset_date=datetime.date(2025, 6, 1),
        diagnosed_on=datetime.date(2025, 6, 1),
    )
    assert diagnosis.diagnosed_on == diagnosis.onset_date


@pytest.mark.parametrize(
    "role",
    [Role.PHYSICAL_THERAPIST, Role.PHYSIATRIST, Role.CHIROPRACTOR, Role.ATHLETIC_TRAINER],
)
def test_a_clinician_of_the_clinic_may_diagnose(clinic, patient, role):
    clinician = make_staff(clinic=clinic, role=role)
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=clinician)
    assert diagnosis.diagnosed_by == clinician


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINIC_ADMIN])
def test_staff_who_are_not_clinicians_cannot_diagnose(clinic, patient, role):
    staff = make_staff(clinic=clinic, role=role)
    with pytest.raises(ValidationError) as exc:
        make_diagnosis(patient=patient, diagnosed_by=staff)
    assert "not a clinician" in exc.value.message_dict["diagnosed_by"][0]
    assert not Diagnosis.objects.exists()


def test_a_clinician_of_another_clinic_cannot_diagnose(patient, other_therapist):
    with pytest.raises(ValidationError) as exc:
        make_diagnosis(patient=patient, diagnosed_by=other_therapist)
    assert exc.value.message_dict == {"diagnosed_by": ["Not found in this clinic."]}
    assert not Diagnosis.objects.exists()


def test_diagnosis_history_names_the_diagnosing_clinician(diagnosis, therapist):
    created = diagnosis.history.get()
    assert created.history_user == therapist.user


def test_diagnosis_records_cause_side_and_code(patient, therapist):
    diagnosis = make_diagnosis(
        patient=patient,
        diagnosed_by=therapist,
        cause=Cause.SPINAL_STENOSIS,
        side=Side.BILATERAL,
        icd10_code="M48.062",
    )
    diagnosis.refresh_from_db()
    assert (diagnosis.cause, diagnosis.side, diagnosis.icd10_code) == (
        Cause.SPINAL_STENOSIS,
        Side.BILATERAL,
        "M48.062",
    )
    assert list(patient.diagnoses.all()) == [diagnosis]


def test_a_diagnosis_is_never_deleted(diagnosis):
    with pytest.raises(HardDeleteRefused):
        diagnosis.delete()
    with pytest.raises(HardDeleteRefused):
        Diagnosis.objects.all().delete()
    assert Diagnosis.objects.filter(pk=diagnosis.pk).exists()


# Secondary codes


def test_a_diagnosis_stores_its_secondary_codes_normalized(patient, therapist):
    diagnosis = _record(
        patient,
        therapist,
        onset_date=datetime.date(2025, 6, 1),
        cause=Cause.SPINAL_STENOSIS,
        side=Side.BILATERAL,
        icd10_code="m48062",
        secondary_icd10_codes=["m5441", "M54.42"],
    )
    diagnosis.refresh_from_db()
    assert (diagnosis.icd10_code, diagnosis.secondary_icd10_codes) == (
        "M48.062",
        ["M54.41", "M54.42"],
    )
    assert diagnosis.history.get().secondary_icd10_codes == ["M54.41", "M54.42"]


def test_a_diagnosis_without_secondary_codes_stores_an_empty_list(patient, therapist):
    diagnosis = _record(patient, therapist, onset_date=datetime.date(2025, 6, 1))
    diagnosis.refresh_from_db()
    assert diagnosis.secondary_icd10_codes == []


def test_an_excludes1_pair_is_refused_and_nothing_is_written(patient, therapist):
    with pytest.raises(ValidationError) as exc:
        _record(
            patient,
            therapist,
            onset_date=datetime.date(2025, 6, 1),
            side=Side.RIGHT,
            icd10_code="M54.41",
            secondary_icd10_codes=["M51.16"],
        )
    assert exc.value.message_dict == {
        "secondary_icd10_codes": [
            "M54.41 is not coded with M51.16 (Excludes1): the disc disorder with radiculopathy "
            "already includes the sciatica; code M51.16 alone."
        ]
    }
    assert not Diagnosis.objects.exists()


def test_bilateral_sciatica_with_one_side_coded_is_refused(patient, therapist):
    with pytest.raises(ValidationError) as exc:
        _record(
            patient,
            therapist,
            onset_date=datetime.date(2025, 6, 1),
            cause=Cause.OTHER,
            side=Side.BILATERAL,
            icd10_code="M54.31",
        )
    assert exc.value.message_dict == {
        "secondary_icd10_codes": ["Bilateral sciatica is coded as M54.31 with M54.32; add M54.32."]
    }
    assert not Diagnosis.objects.exists()


def test_more_than_three_secondary_codes_are_refused(patient, therapist):
    with pytest.raises(ValidationError) as exc:
        _record(
            patient,
            therapist,
            onset_date=datetime.date(2025, 6, 1),
            cause=Cause.SPONDYLOLISTHESIS,
            side=Side.BILATERAL,
            icd10_code="M43.16",
            secondary_icd10_codes=["M54.31", "M54.32", "M54.17", "M54.16"],
        )
    assert "at most 3 secondary codes" in exc.value.message_dict["secondary_icd10_codes"][0]
    assert not Diagnosis.objects.exists()


def test_a_string_of_secondary_codes_is_refused_not_split_into_letters(patient, therapist):
    with pytest.raises(ValidationError) as exc:
        _record(
            patient,
            therapist,
            onset_date=datetime.date(2025, 6, 1),
            cause=Cause.OTHER,
            side=Side.BILATERAL,
            icd10_code="M54.31",
            secondary_icd10_codes="M54.32",
        )
    assert "as a list of codes" in exc.value.message_dict["secondary_icd10_codes"][0]
    assert not Diagnosis.objects.exists()


def test_the_clinician_rule_is_checked_before_the_codes(patient, front_desk):
    with pytest.raises(ValidationError) as exc:
        make_diagnosis(patient=patient, diagnosed_by=front_desk, secondary_icd10_codes=["M54.32"])
    assert list(exc.value.message_dict) == ["diagnosed_by"]


# Notes


def test_notes_are_added_to_a_diagnosis_stored_under_retired_choices(diagnosis, therapist):
    Diagnosis.objects.filter(pk=diagnosis.pk).update(cause="sciatica_nos")
    stored = Diagnosis.objects.get(pk=diagnosis.pk)

    diagnosis_update_notes(diagnosis=stored, notes="Imaging booked.", actor=therapist.user)

    stored.refresh_from_db()
    assert (stored.notes, stored.cause) == ("Imaging booked.", "sciatica_nos")
    assert stored.history.first().history_user == therapist.user


def test_updating_the_notes_writes_nothing_else(diagnosis, therapist):
    diagnosis.icd10_code = "M51.17"  # an unsaved change elsewhere on the instance

    diagnosis_update_notes(diagnosis=diagnosis, notes="Seen again.", actor=therapist.user)

    diagnosis.refresh_from_db()
    assert (diagnosis.notes, diagnosis.icd10_code) == ("Seen again.", "M51.16")
