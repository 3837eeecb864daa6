"""Serious-pathology flags: refer to a physician before treatment, not an emergency."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.records import HardDeleteRefused
from patients.models import ClinicalAlert, Patient, RedFlagScreening, ReferralOutcome
from patients.screening import is_over_referral_age
from patients.services import (
    medical_hold_clear,
    red_flag_screen,
    referral_outcome_record,
)
from practice.models import HOLD_CLEARING_ROLES, Role
from tests.factories import (
    LEGACY_PHONE,
    make_patient,
    make_prescription,
    make_record_invalid,
    make_staff,
)

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
CLEARED = ReferralOutcome.Outcome.CLEARED_TO_TREAT


def refer(patient, screener, *flags: str) -> RedFlagScreening:
    flags = flags or ("history_of_cancer",)
    return red_flag_screen(patient=patient, flags=dict.fromkeys(flags, True), screened_by=screener)


def record(patient, clinician, outcome=CLEARED, **overrides) -> ReferralOutcome:
    fields = {"physician_name": "Dr. Priya Shah", "note": "MRI clear; treat as planned."}
    return referral_outcome_record(
        patient=patient, recorded_by=clinician, outcome=outcome, **{**fields, **overrides}
    )


def fresh(patient) -> Patient:
    return Patient.objects.get(pk=patient.pk)


# The screen


def test_the_screen_asks_the_eight_serious_pathology_flags():
    assert [field for field, _ in RedFlagScreening.SERIOUS_FLAGS] == [
        "history_of_cancer",
        "unexplained_weight_loss",
        "fever_or_recent_infection",
        "significant_trauma",
        "immunosuppression_or_steroids",
        "intravenous_drug_use",
        "over_50_with_new_episode",
        "constant_night_pain",
    ]


@pytest.mark.parametrize(("flag", "label"), RedFlagScreening.SERIOUS_FLAGS)
def test_a_serious_flag_starts_the_referral_hold_with_one_routine_alert(
    patient, therapist, flag, label
):
    with time_machine.travel(NOON, tick=False):
        screening = refer(patient, therapist, flag)
    patient = fresh(patient)
    assert patient.referral_hold_since == NOON
    assert not patient.on_medical_hold
    alert = ClinicalAlert.objects.get(patient=patient)
    assert alert.kind == ClinicalAlert.Kind.REFERRAL_NEEDED
    assert alert.severity == ClinicalAlert.Severity.ROUTINE
    assert alert.screening == screening
    assert label.lower() in alert.message
    assert patient.full_name in alert.message
    assert "records the referral outcome" in alert.message
    assert screening.positive_serious_flags == [label]
    assert not screening.is_positive


def test_several_serious_flags_raise_one_alert_naming_each(patient, therapist):
    refer(patient, therapist, "unexplained_weight_loss", "constant_night_pain")
    alert = ClinicalAlert.objects.get(patient=patient)
    assert "unexplained weight loss" in alert.message
    assert "constant night pain not eased by any position" in alert.message


def test_a_serious_flag_is_not_an_emergency(patient, therapist):
    refer(patient, therapist, "significant_trauma")
    assert not ClinicalAlert.objects.filter(severity=ClinicalAlert.Severity.URGENT).exists()
    assert not ClinicalAlert.objects.filter(kind=ClinicalAlert.Kind.RED_FLAG).exists()


def test_an_emergency_and_a_serious_flag_start_both_holds_and_alert_for_each(patient, therapist):
    red_flag_screen(
        patient=patient,
        flags={"saddle_numbness": True, "history_of_cancer": True},
        screened_by=therapist,
    )
    patient = fresh(patient)
    assert patient.on_medical_hold
    assert patient.on_referral_hold
    urgent = ClinicalAlert.objects.get(kind=ClinicalAlert.Kind.RED_FLAG)
    routine = ClinicalAlert.objects.get(kind=ClinicalAlert.Kind.REFERRAL_NEEDED)
    assert urgent.severity == ClinicalAlert.Severity.URGENT
    assert "history of cancer" not in urgent.message
    assert "history of cancer" in routine.message
    assert "saddle" not in routine.message


def test_an_emergency_flag_alone_starts_no_referral_hold(patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    assert not fresh(patient).on_referral_hold
    assert not ClinicalAlert.objects.filter(kind=ClinicalAlert.Kind.REFERRAL_NEEDED).exists()


def test_a_second_serious_screen_keeps_the_hold_time_and_alerts_again(patient, therapist):
    with time_machine.travel(NOON, tick=False):
        refer(patient, therapist, "history_of_cancer")
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        refer(patient, therapist, "fever_or_recent_infection")
    assert fresh(patient).referral_hold_since == NOON
    assert ClinicalAlert.objects.filter(kind=ClinicalAlert.Kind.REFERRAL_NEEDED).count() == 2


def test_a_negative_screen_starts_no_hold(patient, therapist):
    red_flag_screen(
        patient=patient,
        flags=dict.fromkeys([f for f, _ in RedFlagScreening.SERIOUS_FLAGS], False),
        screened_by=therapist,
    )
    assert not fresh(patient).on_referral_hold
    assert not ClinicalAlert.objects.exists()


@pytest.mark.parametrize(
    ("born", "over"),
    [
        (datetime.date(1976, 3, 3), False),  # turns 50 tomorrow
        (datetime.date(1976, 3, 2), False),  # exactly 50 today
        (datetime.date(1976, 3, 1), True),  # 50 and a day
        (datetime.date(1950, 1, 1), True),
    ],
)
def test_over_50_means_past_the_fiftieth_birthday(born, over):
    patient = Patient(date_of_birth=born)
    assert is_over_referral_age(patient, on=datetime.date(2026, 3, 2)) is over


# What the hold stops


def test_clearing_the_medical_hold_leaves_the_referral_hold(patient, therapist, diagnosis):
    red_flag_screen(
        patient=patient, flags={"foot_drop": True, "history_of_cancer": True}, screened_by=therapist
    )
    medical_hold_clear(patient=patient, cleared_by=therapist, note="ED: no cauda equina.")
    patient = fresh(patient)
    assert not patient.on_medical_hold
    assert patient.on_referral_hold
    with pytest.raises(ValidationError, match="on a referral hold"):
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    referral = ClinicalAlert.objects.get(kind=ClinicalAlert.Kind.REFERRAL_NEEDED)
    assert referral.resolved_at is None


# The referral outcome


def test_cleared_to_treat_lifts_the_hold_and_resolves_the_alert_with_the_note(
    patient, therapist, diagnosis
):
    screening = refer(patient, therapist)
    with time_machine.travel(NOON, tick=False):
        outcome = record(patient, therapist, physician_name=" Dr. Priya Shah ", note=" MRI clear. ")
    patient = fresh(patient)
    assert not patient.on_referral_hold
    assert outcome.patient == patient
    assert outcome.screening == screening
    assert outcome.outcome == CLEARED
    assert outcome.physician_name == "Dr. Priya Shah"
    assert outcome.note == "MRI clear."
    assert outcome.recorded_by == therapist
    assert outcome.recorded_at == NOON
    alert = ClinicalAlert.objects.get(kind=ClinicalAlert.Kind.REFERRAL_NEEDED)
    assert alert.resolved_at == NOON
    assert alert.resolved_by == therapist
    assert alert.resolution_note == "MRI clear."
    assert not alert.is_open
    assert make_prescription(diagnosis=diagnosis, prescribed_by=therapist).pk


def test_the_outcome_names_the_latest_serious_flag_screen(patient, therapist):
    with time_machine.travel(NOON, tick=False):
        refer(patient, therapist, "history_of_cancer")
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        latest = refer(patient, therapist, "unexplained_weight_loss")
    with time_machine.travel(NOON + datetime.timedelta(hours=2), tick=False):
        red_flag_screen(patient=patient, flags={}, screened_by=therapist)
        outcome = record(patient, therapist)
    assert outcome.screening == latest
    assert ClinicalAlert.objects.filter(resolved_at__isnull=True).count() == 0


@pytest.mark.parametrize(
    "outcome", [ReferralOutcome.Outcome.NOT_CLEARED, ReferralOutcome.Outcome.REFERRED_ELSEWHERE]
)
def test_other_outcomes_are_recorded_and_keep_the_hold(patient, therapist, diagnosis, outcome):
    with time_machine.travel(NOON, tick=False):
        refer(patient, therapist)
    saved = record(patient, therapist, outcome=outcome, note="Awaiting oncology review.")
    assert saved.outcome == outcome
    assert fresh(patient).referral_hold_since == NOON
    assert ClinicalAlert.objects.get(kind=ClinicalAlert.Kind.REFERRAL_NEEDED).resolved_at is None
    with pytest.raises(ValidationError, match="on a referral hold"):
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


def test_not_cleared_then_cleared_to_treat_lifts_the_hold(patient, therapist):
    refer(patient, therapist)
    record(patient, therapist, outcome=ReferralOutcome.Outcome.NOT_CLEARED)
    record(patient, therapist, outcome=CLEARED)
    assert not fresh(patient).on_referral_hold
    assert ReferralOutcome.objects.filter(patient=patient).count() == 2


def test_cleared_to_treat_leaves_the_medical_hold_and_its_alert(patient, therapist):
    red_flag_screen(
        patient=patient, flags={"foot_drop": True, "history_of_cancer": True}, screened_by=therapist
    )
    record(patient, therapist)
    patient = fresh(patient)
    assert patient.on_medical_hold
    assert not patient.on_referral_hold
    assert ClinicalAlert.objects.get(kind=ClinicalAlert.Kind.RED_FLAG).resolved_at is None


def test_the_outcome_keeps_a_history_of_who_recorded_it(patient, therapist):
    refer(patient, therapist)
    outcome = record(patient, therapist)
    assert outcome.history.get().history_user == therapist.user
    assert fresh(patient).history.first().history_user == therapist.user


def test_an_outcome_is_never_deleted(patient, therapist):
    refer(patient, therapist)
    outcome = record(patient, therapist)
    with pytest.raises(HardDeleteRefused):
        outcome.delete()
    with pytest.raises(HardDeleteRefused):
        ReferralOutcome.objects.all().delete()
    assert ReferralOutcome.objects.count() == 1


@pytest.mark.parametrize("role", sorted(HOLD_CLEARING_ROLES))
def test_licensed_clinicians_record_the_outcome(clinic, patient, therapist, role):
    refer(patient, therapist)
    record(patient, make_staff(clinic=clinic, role=role))
    assert not fresh(patient).on_referral_hold


@pytest.mark.parametrize("role", [Role.ATHLETIC_TRAINER, Role.FRONT_DESK, Role.CLINIC_ADMIN])
def test_other_roles_may_not_record_the_outcome(clinic, patient, therapist, role):
    refer(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        record(patient, make_staff(clinic=clinic, role=role))
    assert exc.value.message_dict == {
        "recorded_by": [
            "Only a physical therapist, physiatrist, chiropractor or osteopathic physician may "
            "record a referral outcome."
        ]
    }
    assert fresh(patient).on_referral_hold
    assert not ReferralOutcome.objects.exists()


def test_a_clinician_of_another_clinic_may_not_record_the_outcome(
    patient, therapist, other_therapist
):
    refer(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        record(patient, other_therapist)
    assert exc.value.message_dict == {"recorded_by": ["Not found in this clinic."]}
    assert fresh(patient).on_referral_hold


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"note": "  \n"}, "note", "Say what the physician found or advised (a note)."),
        ({"physician_name": " "}, "physician_name", "Name the physician who assessed the patient."),
        ({"outcome": "maybe"}, "outcome", "'maybe' is not one of: cleared_to_treat, not_cleared, "),
    ],
)
def test_an_incomplete_outcome_is_refused_and_nothing_changes(
    patient, therapist, overrides, field, message
):
    refer(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        record(patient, therapist, **overrides)
    assert list(exc.value.message_dict) == [field]
    assert exc.value.message_dict[field][0].startswith(message)
    assert fresh(patient).on_referral_hold
    assert not ReferralOutcome.objects.exists()
    assert ClinicalAlert.objects.get().resolved_at is None


def test_an_outcome_for_a_patient_not_on_referral_hold_is_refused(patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    with pytest.raises(ValidationError) as exc:
        record(patient, therapist)
    assert exc.value.messages == [
        "Alex Rivera is not on a referral hold, so there is no referral outcome to record."
    ]
    assert not ReferralOutcome.objects.exists()


def test_a_second_outcome_after_clearance_is_refused(patient, therapist):
    refer(patient, therapist)
    record(patient, therapist)
    with pytest.raises(ValidationError) as exc:
        record(patient, therapist, outcome=ReferralOutcome.Outcome.NOT_CLEARED)
    assert exc.value.messages == [
        "Alex Rivera is not on a referral hold, so there is no referral outcome to record."
    ]
    assert ReferralOutcome.objects.count() == 1


def test_cleared_to_treat_saves_on_a_stored_record_that_no_longer_validates(
    clinic, patient, therapist
):
    refer(patient, therapist)
    broken = make_record_invalid(patient)  # the primary therapist is now front desk
    physiatrist = make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="md.one")
    record(broken, physiatrist)
    stored = fresh(patient)
    assert not stored.on_referral_hold
    assert str(stored.phone) == LEGACY_PHONE


def test_a_new_serious_flag_after_clearance_holds_again(clinic, therapist):
    patient = make_patient(clinic=clinic, first_name="Jo")
    refer(patient, therapist)
    record(patient, therapist)
    refer(patient, therapist, "intravenous_drug_use")
    assert fresh(patient).on_referral_hold
    open_alerts = ClinicalAlert.objects.filter(patient=patient, resolved_at__isnull=True)
    assert [a.kind for a in open_alerts] == [ClinicalAlert.Kind.REFERRAL_NEEDED]
