"""KX in a month counts what the year billed Medicare before it: the earlier months'
visits under Medicare (not those under another payer) and their remote monitoring."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import make_patient, make_prescription, make_rtm_time_entry
from tests.factories.visits import make_coverage, make_payer, make_rtm_episode
from visits.billing import billable_lines

from .billing_world import NOW, billed_patient, billing_clinic, covered, diagnosed, fees
from .billing_world import signed_visit as visit

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH = D(2026, 3, 1)


@pytest.fixture(autouse=True)
def _clock(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.THERAPY_KX_THRESHOLDS = {2026: 2480}


@pytest.fixture
def clinic(clinic):
    billing_clinic(clinic)
    fees(clinic, **{"97110": "400.00", "98980": "1500.00"})
    return clinic


def _kx(lines) -> list[tuple[D, str, bool]]:
    return [(line.date_of_service, line.cpt, "KX" in line.modifiers) for line in lines]


def test_februarys_monitoring_counts_toward_the_threshold_in_march(clinic, therapist):
    patient = make_patient(clinic=clinic)
    make_prescription(
        diagnosis=diagnosed(patient, therapist), prescribed_by=therapist, start_date=D(2026, 1, 5)
    )
    covered(patient, medicare=True)
    episode = make_rtm_episode(patient=patient, therapist=therapist, starts_on=D(2026, 2, 2))
    # 20 minutes in February bill 98980: $1,500 toward the year's $2,480.
    make_rtm_time_entry(episode=episode, worked_on=D(2026, 2, 10), minutes=20)
    visit(patient, therapist, D(2026, 3, 2), {"97110": 23})  # 2 units: $2,300
    visit(patient, therapist, D(2026, 3, 9), {"97110": 15})  # 1 unit: $2,700, past it

    lines = billable_lines(clinic=clinic, month=MARCH).lines

    assert _kx(lines) == [(D(2026, 3, 2), "97110", False), (D(2026, 3, 9), "97110", True)]


def test_earlier_visits_under_another_payer_do_not_count(clinic, therapist):
    patient = billed_patient(clinic, therapist, medicare=False)  # Acme, since 2020
    medicare = make_payer(clinic=clinic, name="Medicare Part B", medicare=True)
    make_coverage(patient=patient, payer=medicare, starts_on=D(2026, 2, 1))
    visit(patient, therapist, D(2026, 1, 12), {"97110": 38})  # Acme: 3 units, not counted
    visit(patient, therapist, D(2026, 2, 9), {"97110": 23})  # Medicare: $800
    visit(patient, therapist, D(2026, 3, 2), {"97110": 23})  # $1,600
    visit(patient, therapist, D(2026, 3, 9), {"97110": 38})  # $2,800, past it

    lines = billable_lines(clinic=clinic, month=MARCH).lines

    assert _kx(lines) == [(D(2026, 3, 2), "97110", False), (D(2026, 3, 9), "97110", True)]
    assert [line.payer for line in lines] == ["Medicare Part B"] * 2
