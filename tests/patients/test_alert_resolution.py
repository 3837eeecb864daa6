"""Clearing a medical hold closes its red-flag alerts, so no stale emergency stays open."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from patients.models import ClinicalAlert
from patients.services import (
    alert_acknowledge,
    alert_raise,
    medical_hold_clear,
    red_flag_screen,
)
from practice.models import Role
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def hold(patient, therapist, flag="foot_drop"):
    return red_flag_screen(patient=patient, flags={flag: True}, screened_by=therapist)


def test_clearing_resolves_every_red_flag_alert_with_the_note(clinic, patient, therapist):
    colleague = make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="md.one")
    hold(patient, therapist, "foot_drop")
    hold(patient, therapist, "saddle_numbness")
    seen = ClinicalAlert.objects.filter(kind=ClinicalAlert.Kind.RED_FLAG).first()
    alert_acknowledge(alert=seen, staff_member=therapist)

    with time_machine.travel(NOON, tick=False):
        medical_hold_clear(patient=patient, cleared_by=colleague, note="  ED: MRI negative. ")

    alerts = ClinicalAlert.objects.filter(kind=ClinicalAlert.Kind.RED_FLAG)
    assert alerts.count() == 2
    for alert in alerts:
        assert alert.resolved_at == NOON
        assert alert.resolved_by == colleague
        assert alert.resolution_note == "ED: MRI negative."
        assert not alert.is_open
        assert alert.history.order_by("history_id").last().history_user == colleague.user


def test_clearing_leaves_other_alerts_and_other_patients_alone(clinic, patient, therapist):
    other = make_patient(clinic=clinic, first_name="Sam")
    hold(patient, therapist)
    hold(other, therapist)
    pain = alert_raise(
        patient=patient,
        kind=ClinicalAlert.Kind.PAIN_INCREASE,
        severity=ClinicalAlert.Severity.ROUTINE,
        message="Pain rose.",
    )
    medical_hold_clear(patient=patient, cleared_by=therapist, note="Cleared.")
    pain.refresh_from_db()
    assert pain.resolved_at is None
    assert ClinicalAlert.objects.get(patient=other).resolved_at is None


def test_a_refused_clearance_resolves_nothing(clinic, patient, therapist):
    hold(patient, therapist)
    trainer = make_staff(clinic=clinic, role=Role.ATHLETIC_TRAINER)
    with pytest.raises(Exception, match="clear a medical hold"):
        medical_hold_clear(patient=patient, cleared_by=trainer, note="Fine.")
    assert ClinicalAlert.objects.get().resolved_at is None


def test_a_new_red_flag_after_clearing_raises_an_open_alert(patient, therapist):
    hold(patient, therapist)
    medical_hold_clear(patient=patient, cleared_by=therapist, note="Cleared.")
    hold(patient, therapist, "bilateral_symptoms")
    assert [a.is_open for a in ClinicalAlert.objects.order_by("pk")] == [False, True]


def test_acknowledging_a_resolved_alert_is_harmless(clinic, patient, therapist):
    hold(patient, therapist)
    with time_machine.travel(NOON, tick=False):
        medical_hold_clear(patient=patient, cleared_by=therapist, note="Cleared.")
    late = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.late")
    alert = alert_acknowledge(alert=ClinicalAlert.objects.get(), staff_member=late)
    alert.refresh_from_db()
    assert alert.acknowledged_by == late
    assert alert.resolved_at == NOON
    assert alert.resolved_by == therapist
    assert alert.resolution_note == "Cleared."
    assert not alert.is_open


def test_a_later_clearance_leaves_an_earlier_resolution_as_it_was(patient, therapist):
    hold(patient, therapist)
    with time_machine.travel(NOON, tick=False):
        medical_hold_clear(patient=patient, cleared_by=therapist, note="First episode cleared.")
    hold(patient, therapist, "saddle_numbness")
    medical_hold_clear(patient=patient, cleared_by=therapist, note="Second episode cleared.")
    first, second = ClinicalAlert.objects.order_by("pk")
    assert first.resolved_at == NOON
    assert first.resolution_note == "First episode cleared."
    assert second.resolution_note == "Second episode cleared."
