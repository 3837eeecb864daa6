"""Red-flag screening: a positive screen is an emergency that holds the program."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from patients.models import ClinicalAlert, Patient, RedFlagScreening
from patients.services import (
    EMERGENCY_GUIDANCE,
    alert_acknowledge,
    medical_hold_clear,
    red_flag_screen,
)
from practice.models import HOLD_CLEARING_ROLES, Role
from tests.factories import LEGACY_PHONE, make_record_invalid, make_staff

pytestmark = pytest.mark.django_db

FLAG_FIELDS = [field for field, _ in RedFlagScreening.FLAGS]
NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def _hold(patient, therapist, flag="foot_drop"):
    return red_flag_screen(patient=patient, flags={flag: True}, screened_by=therapist)


def test_the_screen_asks_the_five_flags():
    assert FLAG_FIELDS == [
        "progressive_weakness",
        "foot_drop",
        "bowel_bladder_dysfunction",
        "saddle_numbness",
        "bilateral_symptoms",
    ]


def test_a_negative_screen_changes_nothing(patient, therapist):
    screening = red_flag_screen(
        patient=patient, flags=dict.fromkeys(FLAG_FIELDS, False), screened_by=therapist
    )
    patient.refresh_from_db()
    assert not screening.is_positive
    assert not patient.on_medical_hold
    assert not ClinicalAlert.objects.exists()
    assert RedFlagScreening.objects.filter(patient=patient).count() == 1


def test_an_empty_screen_is_negative(patient, therapist):
    screening = red_flag_screen(patient=patient, flags={}, screened_by=therapist)
    patient.refresh_from_db()
    assert not screening.is_positive
    assert not patient.on_medical_hold


@pytest.mark.parametrize(("flag", "label"), RedFlagScreening.FLAGS)
def test_positive_screen_puts_patient_on_medical_hold_and_alerts_the_therapist(
    patient, therapist, flag, label
):
    with time_machine.travel(NOON, tick=False):
        screening = red_flag_screen(patient=patient, flags={flag: True}, screened_by=therapist)
    patient.refresh_from_db()
    assert patient.on_medical_hold
    assert patient.medical_hold_since == NOON
    alert = ClinicalAlert.objects.get(patient=patient)
    assert alert.kind == ClinicalAlert.Kind.RED_FLAG
    assert alert.severity == ClinicalAlert.Severity.URGENT
    assert alert.screening == screening
    assert alert.acknowledged_at is None
    assert label.lower() in alert.message
    assert patient.full_name in alert.message
    assert screening.positive_flags == [label]


def test_several_flags_in_one_screen_raise_one_alert_naming_each(patient, therapist):
    red_flag_screen(
        patient=patient,
        flags={"saddle_numbness": True, "bowel_bladder_dysfunction": True},
        screened_by=therapist,
    )
    alert = ClinicalAlert.objects.get(patient=patient)
    assert "saddle (perineal) numbness" in alert.message
    assert "new loss of bowel or bladder control" in alert.message


def test_a_second_positive_screen_keeps_the_original_hold_time_and_alerts_again(patient, therapist):
    with time_machine.travel(NOON, tick=False):
        _hold(patient, therapist, "foot_drop")
    with time_machine.travel(NOON + datetime.timedelta(hours=2), tick=False):
        _hold(patient, therapist, "saddle_numbness")
    patient.refresh_from_db()
    assert patient.medical_hold_since == NOON
    assert ClinicalAlert.objects.filter(patient=patient).count() == 2


def test_a_patient_reported_red_flag_holds_without_a_screener(patient):
    screening = red_flag_screen(
        patient=patient,
        flags={"progressive_weakness": True},
        source=RedFlagScreening.Source.PATIENT_REPORT,
        actor=patient.user,
    )
    patient.refresh_from_db()
    assert screening.screened_by is None
    assert patient.on_medical_hold
    assert ClinicalAlert.objects.filter(patient=patient).count() == 1


def test_an_unknown_flag_is_refused_and_nothing_is_recorded(patient, therapist):
    with pytest.raises(ValidationError, match="tingling"):
        red_flag_screen(patient=patient, flags={"tingling": True}, screened_by=therapist)
    patient.refresh_from_db()
    assert not RedFlagScreening.objects.exists()
    assert not patient.on_medical_hold


def test_a_screener_from_another_clinic_is_refused(patient, other_therapist):
    with pytest.raises(ValidationError) as exc:
        red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=other_therapist)
    assert "screened_by" in exc.value.message_dict
    patient.refresh_from_db()
    assert not patient.on_medical_hold
    assert not ClinicalAlert.objects.exists()


def test_the_emergency_guidance_tells_the_patient_to_seek_care_now():
    assert "emergency" in EMERGENCY_GUIDANCE
    assert "now" in EMERGENCY_GUIDANCE


def test_a_hold_starts_on_a_stored_record_that_no_longer_validates(patient, therapist):
    """A safety write cannot wait for the phone number or time zone to be fixed."""
    broken = make_record_invalid(patient)
    with time_machine.travel(NOON, tick=False):
        red_flag_screen(
            patient=broken,
            flags={"saddle_numbness": True, "history_of_cancer": True},
            screened_by=therapist,
        )
    stored = Patient.objects.get(pk=patient.pk)
    assert (stored.medical_hold_since, stored.referral_hold_since) == (NOON, NOON)
    assert (str(stored.phone), stored.time_zone) == (LEGACY_PHONE, "US/Pacific-New")
    assert ClinicalAlert.objects.filter(patient=patient).count() == 2
    assert stored.history.latest("history_id").history_user == therapist.user


def test_a_hold_is_cleared_on_a_stored_record_that_no_longer_validates(clinic, patient, therapist):
    _hold(patient, therapist)
    broken = make_record_invalid(patient)  # the primary therapist is now front desk
    colleague = make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="md.one")
    medical_hold_clear(patient=broken, cleared_by=colleague, note="ED: MRI negative.")
    stored = Patient.objects.get(pk=patient.pk)
    assert not stored.on_medical_hold
    assert str(stored.phone) == LEGACY_PHONE


def test_clearing_a_hold_needs_a_note(patient, therapist):
    _hold(patient, therapist)
    for note in ["", "   \n"]:
        with pytest.raises(ValidationError) as exc:
            medical_hold_clear(patient=patient, cleared_by=therapist, note=note)
        assert "note" in exc.value.message_dict
    patient.refresh_from_db()
    assert patient.on_medical_hold


@pytest.mark.parametrize("role", sorted(HOLD_CLEARING_ROLES))
def test_licensed_clinicians_may_clear_a_hold(clinic, patient, therapist, role):
    clearer = make_staff(clinic=clinic, role=role)
    screening = _hold(patient, therapist)
    medical_hold_clear(patient=patient, cleared_by=clearer, note="  ED: no cauda equina.  ")
    patient.refresh_from_db()
    screening.refresh_from_db()
    assert not patient.on_medical_hold
    assert screening.cleared_by == clearer
    assert screening.cleared_at is not None
    assert screening.clearance_note == "ED: no cauda equina."
    assert patient.history.first().history_user == clearer.user


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.ATHLETIC_TRAINER, Role.CLINIC_ADMIN])
def test_other_roles_cannot_clear_a_hold(clinic, patient, therapist, role):
    staff = make_staff(clinic=clinic, role=role)
    _hold(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        medical_hold_clear(patient=patient, cleared_by=staff, note="Feels better.")
    assert "cleared_by" in exc.value.message_dict
    patient.refresh_from_db()
    assert patient.on_medical_hold


def test_a_clinician_of_another_clinic_cannot_clear_a_hold(patient, therapist, other_therapist):
    _hold(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        medical_hold_clear(patient=patient, cleared_by=other_therapist, note="Seen.")
    assert exc.value.message_dict == {"cleared_by": ["Not found in this clinic."]}
    patient.refresh_from_db()
    assert patient.on_medical_hold


def test_clearing_a_patient_who_is_not_on_hold_is_refused(patient, therapist):
    with pytest.raises(ValidationError, match="not on medical hold"):
        medical_hold_clear(patient=patient, cleared_by=therapist, note="Routine.")


def test_clearing_clears_every_open_positive_screen_but_not_negative_ones(patient, therapist):
    first = _hold(patient, therapist, "foot_drop")
    second = _hold(patient, therapist, "saddle_numbness")
    negative = red_flag_screen(patient=patient, flags={}, screened_by=therapist)
    medical_hold_clear(patient=patient, cleared_by=therapist, note="MRI clear.")
    for screening in (first, second):
        screening.refresh_from_db()
        assert screening.cleared_by == therapist
    negative.refresh_from_db()
    assert negative.cleared_at is None


def test_a_new_positive_screen_after_clearing_holds_again(patient, therapist):
    _hold(patient, therapist)
    medical_hold_clear(patient=patient, cleared_by=therapist, note="Cleared.")
    _hold(patient, therapist, "bilateral_symptoms")
    patient.refresh_from_db()
    assert patient.on_medical_hold
    assert ClinicalAlert.objects.filter(patient=patient).count() == 2


def test_acknowledging_an_alert_records_who_and_when(patient, therapist):
    _hold(patient, therapist)
    alert = ClinicalAlert.objects.get(patient=patient)
    with time_machine.travel(NOON, tick=False):
        acknowledged = alert_acknowledge(alert=alert, staff_member=therapist)
    alert.refresh_from_db()
    assert acknowledged.acknowledged_by == therapist
    assert alert.acknowledged_by == therapist
    assert alert.acknowledged_at == NOON
    change = alert.history.get(history_type="~")
    assert change.history_user == therapist.user
    assert change.acknowledged_by_id == therapist.pk


def test_a_second_acknowledgement_keeps_the_first_who_and_when(clinic, patient, therapist):
    colleague = make_staff(clinic=clinic, role=Role.PHYSIATRIST)
    _hold(patient, therapist)
    alert = ClinicalAlert.objects.get(patient=patient)
    with time_machine.travel(NOON, tick=False):
        alert_acknowledge(alert=alert, staff_member=therapist)
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        alert_acknowledge(alert=alert, staff_member=colleague)
    alert.refresh_from_db()
    assert alert.acknowledged_by == therapist
    assert alert.acknowledged_at == NOON


def test_staff_of_another_clinic_cannot_acknowledge_an_alert(patient, therapist, other_therapist):
    _hold(patient, therapist)
    alert = ClinicalAlert.objects.get(patient=patient)
    with pytest.raises(ValidationError):
        alert_acknowledge(alert=alert, staff_member=other_therapist)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledging_an_alert_does_not_lift_the_hold(patient, therapist):
    _hold(patient, therapist)
    alert_acknowledge(alert=ClinicalAlert.objects.get(patient=patient), staff_member=therapist)
    assert Patient.objects.get(pk=patient.pk).on_medical_hold
