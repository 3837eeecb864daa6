"""Implausible dates are refused where staff write them: a patient's birth and referral,
a diagnosis's onset and date, the time of a red-flag screen. Each bound is tried on the
day inside it and the day outside it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from patients.models import Diagnosis, Patient, RedFlagScreening
from patients.services import diagnosis_record, patient_update, red_flag_screen
from practice.models import Clinic
from tests.factories import ClinicFactory, make_patient, make_staff

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)  # 07:00 in New York
TODAY = datetime.date(2026, 3, 2)
TOMORROW = datetime.date(2026, 3, 3)
YEAR_1 = datetime.date(1, 1, 1)
YEAR_9999 = datetime.date(9999, 12, 31)
PHYSICIAN = {"referral": Patient.Referral.PHYSICIAN, "referring_physician": "Dr. Jane Okafor"}


IN_2100 = datetime.datetime(2100, 1, 5, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _message(exc: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return exc.value.message_dict[field]


# Date of birth: from 1900 to today.


@pytest.mark.parametrize("born", [datetime.date(1900, 1, 1), TODAY])
def test_a_date_of_birth_from_1900_to_today_is_accepted(clinic, born):
    assert make_patient(clinic=clinic, date_of_birth=born).date_of_birth == born


@pytest.mark.parametrize(
    ("born", "reason"),
    [
        (datetime.date(1899, 12, 31), "it is before 1900"),
        (YEAR_1, "it is before 1900"),
        (TOMORROW, "it is in the future"),
        (YEAR_9999, "it is in the future"),
    ],
)
def test_an_implausible_date_of_birth_is_refused_naming_the_field(clinic, born, reason):
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, date_of_birth=born)
    assert _message(exc, "date_of_birth") == [
        f"{born.isoformat()} is not a plausible date of birth: {reason}."
    ]
    assert not Patient.objects.exists()


def test_changing_the_date_of_birth_to_the_future_keeps_the_stored_one(patient):
    with pytest.raises(ValidationError) as exc:
        patient_update(patient=patient, date_of_birth=TOMORROW)
    assert "date_of_birth" in exc.value.message_dict
    assert Patient.objects.get(pk=patient.pk).date_of_birth == datetime.date(1980, 5, 17)


# Referral date: from 2000 (and the date of birth) to today.


@pytest.mark.parametrize("referred", [datetime.date(2000, 1, 1), TODAY])
def test_a_referral_dated_from_2000_to_today_is_accepted(clinic, referred):
    patient = make_patient(clinic=clinic, referral_date=referred, **PHYSICIAN)
    assert Patient.objects.get(pk=patient.pk).referral_date == referred


@pytest.mark.parametrize(
    ("referred", "reason"),
    [
        (datetime.date(1999, 12, 31), "it is before 2000"),
        (YEAR_1, "it is before 2000"),
        (TOMORROW, "it is in the future"),
        (YEAR_9999, "it is in the future"),
    ],
)
def test_an_implausible_referral_date_is_refused_naming_the_field(clinic, referred, reason):
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, referral_date=referred, **PHYSICIAN)
    assert _message(exc, "referral_date") == [
        f"{referred.isoformat()} is not a plausible referral date: {reason}."
    ]
    assert not Patient.objects.exists()


def test_a_referral_before_the_patient_was_born_is_refused(clinic):
    born = datetime.date(2005, 6, 10)
    with pytest.raises(ValidationError) as exc:
        make_patient(
            clinic=clinic, date_of_birth=born, referral_date=datetime.date(2005, 6, 9), **PHYSICIAN
        )
    assert exc.value.message_dict == {
        "referral_date": [
            "2005-06-09 is not a plausible referral date: it is before the date of birth "
            "(2005-06-10)."
        ]
    }
    on_the_day = make_patient(clinic=clinic, date_of_birth=born, referral_date=born, **PHYSICIAN)
    assert on_the_day.referral_date == born


def test_a_referral_is_not_measured_against_an_implausible_date_of_birth(clinic):
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, date_of_birth=YEAR_9999, referral_date=TODAY, **PHYSICIAN)
    assert set(exc.value.message_dict) == {"date_of_birth"}


def test_a_later_referral_date_is_checked_against_the_stored_date_of_birth(patient):
    young = _born(patient, datetime.date(2001, 1, 1))
    with pytest.raises(ValidationError) as exc:
        patient_update(patient=young, referral_date=datetime.date(2000, 12, 31), **PHYSICIAN)
    assert _message(exc, "referral_date") == [
        "2000-12-31 is not a plausible referral date: it is before the date of birth (2001-01-01)."
    ]


def test_a_date_of_birth_moved_after_the_referral_is_refused_on_the_date_of_birth(clinic):
    patient = make_patient(clinic=clinic, referral_date=datetime.date(2020, 1, 1), **PHYSICIAN)
    with pytest.raises(ValidationError) as exc:
        patient_update(patient=patient, date_of_birth=datetime.date(2020, 1, 2))
    assert exc.value.message_dict == {
        "date_of_birth": [
            "2020-01-02 is not a plausible date of birth: it is after the referral date "
            "(2020-01-01)."
        ]
    }
    assert Patient.objects.get(pk=patient.pk).date_of_birth == datetime.date(1980, 5, 17)
    patient_update(patient=patient, date_of_birth=datetime.date(2020, 1, 1))
    assert Patient.objects.get(pk=patient.pk).date_of_birth == datetime.date(2020, 1, 1)


def test_dates_stored_before_the_rule_do_not_block_an_unrelated_change(patient):
    Patient.objects.filter(pk=patient.pk).update(
        date_of_birth=datetime.date(1850, 1, 1),
        referral=Patient.Referral.PHYSICIAN,
        referring_physician="Dr. Jane Okafor",
        referral_date=datetime.date(1990, 1, 1),
    )
    stored = Patient.objects.get(pk=patient.pk)
    patient_update(patient=stored, first_name="Alexis")
    assert Patient.objects.get(pk=patient.pk).first_name == "Alexis"


def test_today_is_the_clinics_date_not_the_servers(patient):
    auckland = ClinicFactory(time_zone="Pacific/Auckland")  # already 3 March, 01:00
    ahead = make_patient(clinic=auckland, referral_date=TOMORROW, **PHYSICIAN)
    assert ahead.referral_date == TOMORROW
    honolulu = ClinicFactory(time_zone="Pacific/Honolulu")
    evening = time_machine.travel(NOW - datetime.timedelta(hours=7), tick=False)  # 1 March
    with evening, pytest.raises(ValidationError) as exc:
        make_patient(clinic=honolulu, referral_date=TODAY, **PHYSICIAN)
    assert "it is in the future" in _message(exc, "referral_date")[0]


@pytest.mark.parametrize("zone", ["US/Pacific-New", ""])
def test_a_clinic_zone_stored_under_older_rules_counts_its_days_in_utc(zone):
    clinic = ClinicFactory()
    Clinic.objects.filter(pk=clinic.pk).update(time_zone=zone)
    clinic = Clinic.objects.get(pk=clinic.pk)
    with pytest.raises(ValidationError) as exc:
        make_patient(clinic=clinic, date_of_birth=TOMORROW)
    assert "it is in the future" in _message(exc, "date_of_birth")[0]
    assert make_patient(clinic=clinic, date_of_birth=TODAY).date_of_birth == TODAY


def test_after_2099_a_date_is_refused_even_when_it_is_past(clinic):
    with time_machine.travel(IN_2100, tick=False):
        with pytest.raises(ValidationError) as exc:
            make_patient(clinic=clinic, referral_date=datetime.date(2100, 1, 1), **PHYSICIAN)
        assert _message(exc, "referral_date") == [
            "2100-01-01 is not a plausible referral date: it is after 2099."
        ]
        last = datetime.date(2099, 12, 31)
        assert make_patient(clinic=clinic, referral_date=last, **PHYSICIAN).referral_date == last


# Diagnoses: onset from 1900 and the birth; the diagnosis from 2000 and the birth; both
# up to today.


def _diagnose(patient, therapist, **dates):
    return diagnosis_record(
        patient=patient,
        cause="herniated_disc",
        side="left",
        icd10_code="M51.16",
        diagnosed_by=therapist,
        **dates,
    )


def _born(patient, born: datetime.date) -> Patient:
    Patient.objects.filter(pk=patient.pk).update(date_of_birth=born)  # as stored long ago
    return Patient.objects.get(pk=patient.pk)


def test_an_onset_from_1900_is_accepted_for_a_patient_born_before(patient, therapist):
    patient = _born(patient, datetime.date(1890, 1, 1))
    onset = datetime.date(1900, 1, 1)
    assert _diagnose(patient, therapist, onset_date=onset).onset_date == onset


@pytest.mark.parametrize(
    ("onset", "reason"),
    [
        (datetime.date(1899, 12, 31), "it is before 1900"),
        (YEAR_1, "it is before 1900"),
        (TOMORROW, "it is in the future"),
        (YEAR_9999, "it is in the future"),
    ],
)
def test_an_implausible_onset_date_is_refused_naming_the_field(patient, therapist, onset, reason):
    patient = _born(patient, datetime.date(1890, 1, 1))
    with pytest.raises(ValidationError) as exc:
        _diagnose(patient, therapist, onset_date=onset)
    assert exc.value.message_dict == {
        "onset_date": [f"{onset.isoformat()} is not a plausible onset date: {reason}."]
    }
    assert not Diagnosis.objects.exists()


def test_an_onset_before_the_patient_was_born_is_refused(patient, therapist):
    with pytest.raises(ValidationError) as exc:
        _diagnose(patient, therapist, onset_date=datetime.date(1980, 5, 16))
    assert _message(exc, "onset_date") == [
        "1980-05-16 is not a plausible onset date: it is before the date of birth (1980-05-17)."
    ]
    born = datetime.date(1980, 5, 17)
    assert _diagnose(patient, therapist, onset_date=born).onset_date == born


@pytest.mark.parametrize("diagnosed_on", [datetime.date(2000, 1, 1), TODAY])
def test_a_diagnosis_dated_from_2000_to_today_is_accepted(patient, therapist, diagnosed_on):
    diagnosis = _diagnose(
        patient, therapist, onset_date=datetime.date(1999, 1, 1), diagnosed_on=diagnosed_on
    )
    assert Diagnosis.objects.get(pk=diagnosis.pk).diagnosed_on == diagnosed_on


@pytest.mark.parametrize(
    ("diagnosed_on", "reason"),
    [
        (datetime.date(1999, 12, 31), "it is before 2000"),
        (YEAR_1, "it is before 2000"),
        (TOMORROW, "it is in the future"),
        (YEAR_9999, "it is in the future"),
    ],
)
def test_an_implausible_diagnosis_date_is_refused_naming_the_field(
    patient, therapist, diagnosed_on, reason
):
    with pytest.raises(ValidationError) as exc:
        _diagnose(
            patient, therapist, onset_date=datetime.date(1999, 1, 1), diagnosed_on=diagnosed_on
        )
    assert exc.value.message_dict == {
        "diagnosed_on": [f"{diagnosed_on.isoformat()} is not a plausible diagnosis date: {reason}."]
    }
    assert not Diagnosis.objects.exists()


def test_a_diagnosis_before_the_patient_was_born_is_refused(patient, therapist):
    patient = _born(patient, datetime.date(2010, 4, 1))
    with pytest.raises(ValidationError) as exc:
        _diagnose(
            patient,
            therapist,
            onset_date=datetime.date(2010, 4, 1),
            diagnosed_on=datetime.date(2010, 3, 31),
        )
    assert exc.value.message_dict == {
        "diagnosed_on": [
            "2010-03-31 is not a plausible diagnosis date: it is before the date of birth "
            "(2010-04-01)."
        ]
    }
    day = datetime.date(2010, 4, 1)
    assert _diagnose(patient, therapist, onset_date=day, diagnosed_on=day).diagnosed_on == day


def test_a_diagnosis_after_2099_is_refused(patient, therapist):
    in_2100 = time_machine.travel(IN_2100, tick=False)
    with in_2100, pytest.raises(ValidationError) as exc:
        _diagnose(patient, therapist, onset_date=TODAY)
    assert _message(exc, "diagnosed_on") == [
        "2100-01-05 is not a plausible diagnosis date: it is after 2099."
    ]


def test_a_diagnosis_made_in_the_evening_is_dated_on_the_clinics_calendar():
    honolulu = ClinicFactory(time_zone="Pacific/Honolulu")
    therapist = make_staff(clinic=honolulu)
    patient = make_patient(clinic=honolulu)
    with time_machine.travel(datetime.datetime(2026, 3, 3, 5, tzinfo=datetime.UTC), tick=False):
        diagnosis = _diagnose(patient, therapist, onset_date=datetime.date(2026, 3, 1))
    assert diagnosis.diagnosed_on == TODAY  # 19:00 on 2 March in Honolulu


# Red-flag screens: the time staff give, from 2000 to now (5 minutes of clock skew).

UTC = datetime.UTC
PLUS_14 = datetime.timezone(datetime.timedelta(hours=14))
MINUS_12 = datetime.timezone(datetime.timedelta(hours=-12))


def _screen(patient, therapist, screened_at, **flags):
    return red_flag_screen(
        patient=patient, flags=flags, screened_by=therapist, screened_at=screened_at
    )


@pytest.mark.parametrize(
    "screened_at",
    [
        datetime.datetime(2000, 1, 1, tzinfo=UTC),
        NOW + datetime.timedelta(minutes=5),
        datetime.datetime(2026, 2, 27, 15, 30, tzinfo=UTC),
    ],
)
def test_a_screen_time_staff_give_from_2000_to_now_is_kept(patient, therapist, screened_at):
    screening = _screen(patient, therapist, screened_at, foot_drop=True)
    assert RedFlagScreening.objects.get(pk=screening.pk).screened_at == screened_at
    assert Patient.objects.get(pk=patient.pk).on_medical_hold


def test_a_screen_without_a_time_is_stamped_now(patient, therapist):
    screening = red_flag_screen(patient=patient, flags={}, screened_by=therapist)
    assert screening.screened_at == NOW


@pytest.mark.parametrize(
    ("screened_at", "shown", "reason"),
    [
        (
            datetime.datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
            "1999-12-31T23:59+00:00",
            "before 2000",
        ),
        (datetime.datetime(1, 1, 1, tzinfo=PLUS_14), "0001-01-01T00:00+14:00", "before 2000"),
        (
            NOW + datetime.timedelta(minutes=5, seconds=1),
            "2026-03-02T12:05+00:00",
            "in the future",
        ),
        (
            datetime.datetime(9999, 12, 31, 23, 59, tzinfo=MINUS_12),
            "9999-12-31T23:59-12:00",
            "in the future",
        ),
    ],
)
def test_an_implausible_screen_time_is_refused_and_holds_nobody(
    patient, therapist, screened_at, shown, reason
):
    with pytest.raises(ValidationError) as exc:
        _screen(patient, therapist, screened_at, foot_drop=True)
    assert exc.value.message_dict == {
        "screened_at": [f"{shown} is not a plausible screening time: it is {reason}."]
    }
    assert not RedFlagScreening.objects.exists()
    assert not Patient.objects.get(pk=patient.pk).on_medical_hold


def test_a_screen_time_without_a_time_zone_is_refused(patient, therapist):
    with pytest.raises(ValidationError) as exc:
        _screen(patient, therapist, datetime.datetime(2026, 3, 1, 9, 0))  # noqa: DTZ001  (naive on purpose: the case under test)
    assert _message(exc, "screened_at") == [
        "Give the screening time with its time zone or UTC offset."
    ]
