"""The planner's urgent clinical alerts to therapists."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from patients import services as patient_services
from patients.models import ClinicalAlert
from practice.models import Role
from reminders.models import Channel, Kind
from reminders.planner import plan, plan_urgent_alerts
from tests.factories import make_patient, make_staff
from tests.reminders.planner_helpers import (
    DAY,
    MONDAY,
    UTC,
    H,
    emailed_therapist,
    new_patient,
    outbox_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_hour_horizon")]


@pytest.fixture
def therapist(clinic):
    return emailed_therapist(clinic)


def _urgent(patient) -> ClinicalAlert:
    return patient_services.alert_raise(
        patient=patient,
        kind=ClinicalAlert.Kind.RED_FLAG,
        severity=ClinicalAlert.Severity.URGENT,
        message="Red flags reported.",
    )


def test_an_urgent_alert_is_emailed_to_the_primary_therapist_at_once(clinic, therapist):
    patient = new_patient(clinic, therapist)
    alert = _urgent(patient)
    now = alert.created_at + datetime.timedelta(seconds=30)

    assert plan_urgent_alerts(now=now) == 1
    assert plan_urgent_alerts(now=now + H) == 0

    (row,) = outbox_rows(Kind.URGENT_ALERT)
    assert (row.staff, row.patient, row.channel) == (therapist, None, Channel.EMAIL)
    assert row.scheduled_for == row.next_attempt_at == alert.created_at
    assert row.source == f"alert:{alert.pk}:{therapist.pk}"


def test_an_urgent_alert_without_a_primary_therapist_goes_to_every_clinician(clinic, therapist):
    second = make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="md.two")
    second.user.email = "md.two@example.com"
    second.user.save(update_fields=["email"])
    make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="dc.noemail")
    desk = make_staff(clinic=clinic, role=Role.FRONT_DESK, username="desk.one")
    desk.user.email = "desk@example.com"
    desk.user.save(update_fields=["email"])
    patient = make_patient(clinic=clinic)
    _urgent(patient)

    plan_urgent_alerts(now=datetime.datetime.now(UTC))

    assert {row.staff for row in outbox_rows(Kind.URGENT_ALERT)} == {therapist, second}


def test_urgent_alerts_ignore_quiet_hours_and_are_planned_by_plan_too(clinic, therapist):
    patient = new_patient(clinic, therapist)
    with time_machine.travel(MONDAY + 13 * H, tick=False):  # 03:00 in New York
        _urgent(patient)

    result = plan(now=MONDAY + 13 * H + datetime.timedelta(minutes=1))

    assert result.created_by_kind[Kind.URGENT_ALERT] == 1


def test_acknowledged_routine_or_old_alerts_are_not_sent(clinic, therapist):
    patient = new_patient(clinic, therapist)
    with time_machine.travel(MONDAY, tick=False):
        acknowledged = _urgent(patient)
        patient_services.alert_acknowledge(alert=acknowledged, staff_member=therapist)
        patient_services.alert_raise(
            patient=patient,
            kind=ClinicalAlert.Kind.PAIN_INCREASE,
            severity=ClinicalAlert.Severity.ROUTINE,
            message="Pain went up.",
        )
    with time_machine.travel(MONDAY - 2 * DAY, tick=False):
        _urgent(patient)

    assert plan_urgent_alerts(now=MONDAY + H) == 0
