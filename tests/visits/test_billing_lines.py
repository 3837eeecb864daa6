"""The month's billable lines: what signed visits and remote monitoring bill, with the
claim's patient, payer, modifiers, ICD-10 codes, clinician and charge."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_patient, make_prescription, make_rtm_time_entry, make_session
from tests.factories.visits import make_rtm_episode
from visits import rtm_services
from visits.billing import billable_lines, parse_month
from visits.billing_models import Fee
from visits.units import Rule

from .billing_world import (
    CLINIC_NPI,
    NOW,
    THERAPIST_NPI,
    WORKED_EXAMPLE,
    billed_patient,
    billing_clinic,
    certified,
    covered,
    diagnosed,
    fees,
    signed_visit,
    with_npi,
)

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC
MARCH = D(2026, 3, 1)
TEA = datetime.time(16)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def clinic(clinic):
    return billing_clinic(clinic)


@pytest.fixture
def therapist(therapist):
    return with_npi(therapist)


def _codes(lines) -> list[tuple[str, int]]:
    return [(line.cpt, line.units) for line in lines]


def test_the_worked_example_bills_three_units_for_a_cms_payer_and_four_for_an_ama_payer(
    clinic, therapist
):
    cms = billed_patient(clinic, therapist, last_name="Adams", rule=Rule.CMS)
    ama = billed_patient(clinic, therapist, last_name="Baker", rule=Rule.AMA)
    signed_visit(cms, therapist, D(2026, 3, 3), WORKED_EXAMPLE)
    signed_visit(ama, therapist, D(2026, 3, 4), WORKED_EXAMPLE)

    lines = billable_lines(clinic=clinic, month=MARCH).lines

    by_patient = {p.pk: [line for line in lines if line.patient_id == p.pk] for p in (cms, ama)}
    # CMS: 50 timed minutes are 3 units, none left for 97140's 10 minutes.
    assert _codes(by_patient[cms.pk]) == [("97110", 2), ("97112", 1)]
    assert _codes(by_patient[ama.pk]) == [("97110", 2), ("97112", 1), ("97140", 1)]
    assert sum(line.units for line in by_patient[cms.pk]) == 3
    assert sum(line.units for line in by_patient[ama.pk]) == 4


def test_a_line_names_the_patient_payer_date_codes_clinician_and_charge(clinic, therapist):
    patient = billed_patient(clinic, therapist, rule=Rule.CMS, name="Blue Shield")
    certified(patient, therapist)
    fees(clinic, **{"97110": "45.50"})
    note = signed_visit(patient, therapist, D(2026, 3, 3), {"97110": 38})

    [line] = billable_lines(clinic=clinic, month=D(2026, 3, 17)).lines

    assert line.kind == "visit"
    assert (line.patient_name, line.mrn, line.date_of_birth) == (
        patient.full_name,
        patient.mrn,
        patient.date_of_birth,
    )
    assert (line.payer, line.member_id) == ("Blue Shield", f"MEM-{patient.mrn}")
    assert line.date_of_service == D(2026, 3, 3)
    assert (line.cpt, line.units, line.modifiers) == ("97110", 3, ("GP",))
    assert line.description == "Therapeutic exercise"
    assert line.icd10_codes == ("M54.32", "M54.31")  # primary first, as recorded
    assert (line.rendering_clinician, line.rendering_npi) == (str(therapist), THERAPIST_NPI)
    assert line.clinic_npi == CLINIC_NPI
    assert (line.fee, line.charge) == (Decimal("45.50"), Decimal("136.50"))
    assert line.certification_problem == ""
    assert (line.appointment_id, line.note_id) == (note.appointment_id, note.pk)


def test_only_signed_notes_of_the_month_bill(clinic, therapist):
    patient = billed_patient(clinic, therapist)
    signed_visit(patient, therapist, D(2026, 2, 27), {"97110": 23})
    signed_visit(patient, therapist, D(2026, 3, 2), {"97112": 23})
    signed_visit(patient, therapist, D(2026, 3, 5), {"97140": 23}, signed=False)
    signed_visit(patient, therapist, D(2026, 3, 9), {"97530": 7})  # 7 minutes: no unit
    signed_visit(patient, therapist, D(2026, 4, 1), {"97116": 23})

    assert _codes(billable_lines(clinic=clinic, month=MARCH).lines) == [("97112", 2)]


def test_a_medicare_visit_without_a_certified_plan_is_flagged(clinic, therapist):
    patient = billed_patient(clinic, therapist, medicare=True)
    signed_visit(patient, therapist, D(2026, 1, 2), {"97110": 23})
    certified(patient, therapist, starts_on=D(2026, 1, 5))  # 12 weeks: to 30 March
    signed_visit(patient, therapist, D(2026, 1, 6), {"97110": 23})
    signed_visit(patient, therapist, D(2026, 3, 31), {"97110": 23})

    january = billable_lines(clinic=clinic, month=D(2026, 1, 1)).lines
    march = billable_lines(clinic=clinic, month=MARCH).lines

    assert [line.certification_problem for line in january] == [
        "No plan of care covers this visit.",
        "",
    ]
    [late] = march
    assert late.certification_problem.startswith("The plan's certification lapsed")


def test_a_commercial_payers_visit_is_not_held_to_medicares_plan_of_care(clinic, therapist):
    patient = billed_patient(clinic, therapist, rule="ama")
    signed_visit(patient, therapist, D(2026, 3, 2), {"97110": 23})
    [line] = billable_lines(clinic=clinic, month=MARCH).lines
    assert line.certification_problem == ""


@pytest.fixture
def medicare_patient(clinic, therapist):
    """Fees that pass the 2026 threshold ($2,480) within March."""
    fees(clinic, **{"97110": "400.00", "97140": "300.00"})
    return billed_patient(clinic, therapist, medicare=True)


def _kx(lines) -> list[tuple[datetime.date, str, bool]]:
    return [(line.date_of_service, line.cpt, "KX" in line.modifiers) for line in lines]


def test_kx_starts_at_the_line_that_takes_the_year_past_the_threshold(
    clinic, therapist, medicare_patient, settings
):
    settings.THERAPY_KX_THRESHOLDS = {2026: 2480}
    patient = medicare_patient
    signed_visit(patient, therapist, D(2026, 1, 12), {"97110": 38})  # 3 units: $1,200
    signed_visit(patient, therapist, D(2026, 2, 9), {"97110": 23})  # 2 units: $2,000
    # $2,000 + 97110 $400 = $2,400, then + 97140 $300 = $2,700: 97140 crosses.
    signed_visit(patient, therapist, D(2026, 3, 2), {"97110": 15, "97140": 15}, hour=14)
    signed_visit(patient, therapist, D(2026, 3, 16), {"97110": 15})

    months = [billable_lines(clinic=clinic, month=D(2026, m, 1)).lines for m in (1, 2, 3)]

    assert _kx(months[0]) == [(D(2026, 1, 12), "97110", False)]
    assert _kx(months[1]) == [(D(2026, 2, 9), "97110", False)]
    assert _kx(months[2]) == [
        (D(2026, 3, 2), "97110", False),
        (D(2026, 3, 2), "97140", True),
        (D(2026, 3, 16), "97110", True),
    ]
    assert months[2][1].modifiers == ("GP", "KX")


def test_medicares_allowed_amount_counts_toward_the_threshold_where_it_is_set(
    clinic, therapist, medicare_patient, settings
):
    settings.THERAPY_KX_THRESHOLDS = {2026: 2480}
    Fee.objects.filter(clinic=clinic, code="97110").update(medicare_allowed=Decimal("100.00"))
    # $400 a unit charged, $100 allowed: 21 units are $2,100 allowed, under the threshold,
    # though their $8,400 of charges are far past it.
    for day in (D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 9), D(2026, 3, 11), D(2026, 3, 16)):
        signed_visit(medicare_patient, therapist, day, {"97110": 60})  # 4 units
    signed_visit(medicare_patient, therapist, D(2026, 3, 18), {"97110": 15})  # $2,100
    # 97140 has no allowed amount: its $600 charge counts, and takes the year past.
    signed_visit(medicare_patient, therapist, D(2026, 3, 23), {"97140": 30})  # 2 units

    lines = billable_lines(clinic=clinic, month=MARCH).lines

    assert [kx for _, _, kx in _kx(lines)] == [False] * 6 + [True]
    assert lines[0].charge == Decimal("1600.00")
    assert lines[0].threshold_amount == Decimal("400.00")


def test_a_payer_that_is_not_medicare_never_takes_kx(clinic, therapist, settings):
    settings.THERAPY_KX_THRESHOLDS = {2026: 2480}
    fees(clinic, **{"97110": "400.00"})
    patient = billed_patient(clinic, therapist, medicare=False)
    for day in (D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16)):
        signed_visit(patient, therapist, day, {"97110": 38})

    lines = billable_lines(clinic=clinic, month=MARCH).lines

    assert sum(line.charge for line in lines) == Decimal("3600.00")
    assert all(line.modifiers == ("GP",) for line in lines)


def _monitored(clinic, therapist, *, starts_on: D, days: int):
    """A patient with a program since January and an RTM episode from `starts_on`, with
    a session on each of its first `days` days."""
    patient = make_patient(clinic=clinic, last_name="Monitored")
    program = make_prescription(
        diagnosis=diagnosed(patient, therapist), prescribed_by=therapist, start_date=D(2026, 1, 5)
    )
    covered(patient)
    episode = make_rtm_episode(patient=program.patient, therapist=therapist, starts_on=starts_on)
    for i in range(days):
        moment = datetime.datetime.combine(starts_on + datetime.timedelta(days=i), TEA, UTC)
        make_session(patient=patient, performed_at=moment)
    return episode


def test_sixteen_days_bill_98977_on_the_periods_last_day_once_it_is_over(
    clinic, therapist, time_machine
):
    episode = _monitored(clinic, therapist, starts_on=D(2026, 3, 1), days=16)  # to 30 March

    time_machine.move_to(datetime.datetime(2026, 3, 30, 20, 0, tzinfo=UTC), tick=False)
    assert billable_lines(clinic=clinic, month=MARCH).lines == ()  # its last day: not over
    time_machine.move_to(NOW, tick=False)
    [line] = billable_lines(clinic=clinic, month=MARCH).lines

    assert (line.kind, line.cpt, line.units, line.modifiers) == ("rtm", "98977", 1, ("GP",))
    assert line.date_of_service == D(2026, 3, 30)
    assert line.patient_id == episode.patient_id
    assert line.icd10_codes == ("M54.32", "M54.31")
    assert (line.rendering_clinician, line.rendering_npi) == (str(therapist), THERAPIST_NPI)
    assert line.appointment_id is None


def test_monitoring_bills_its_set_up_and_the_months_management_time(clinic, therapist):
    episode = _monitored(clinic, therapist, starts_on=D(2026, 3, 1), days=0)
    rtm_services.rtm_episode_onboard(
        episode=episode, staff_member=therapist, onboarded_on=D(2026, 3, 2)
    )
    make_rtm_time_entry(episode=episode, worked_on=D(2026, 3, 10), minutes=15, interactive=True)
    make_rtm_time_entry(episode=episode, worked_on=D(2026, 3, 24), minutes=30, interactive=False)

    lines = billable_lines(clinic=clinic, month=MARCH).lines

    assert [(line.date_of_service, line.cpt, line.units) for line in lines] == [
        (D(2026, 3, 2), "98975", 1),
        (D(2026, 3, 24), "98980", 1),  # 45 minutes: the first 20 and one further 20
        (D(2026, 3, 24), "98981", 1),
    ]
    assert all(line.modifiers == ("GP",) for line in lines)


def test_another_clinics_lines_never_appear(clinic, therapist, other_clinic, other_therapist):
    mine = billed_patient(clinic, therapist)
    theirs = billed_patient(other_clinic, other_therapist, last_name="Other")
    signed_visit(mine, therapist, D(2026, 3, 3), {"97110": 23})
    signed_visit(theirs, other_therapist, D(2026, 3, 3), {"97110": 23})

    assert [line.patient_id for line in billable_lines(clinic=clinic, month=MARCH).lines] == [
        mine.pk
    ]


def _queries(clinic) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        lines = billable_lines(clinic=clinic, month=MARCH).lines
    return len(queries), len(lines)


def test_the_lines_take_as_many_queries_for_fifty_notes_as_for_one(clinic, therapist):
    fees(clinic, **{"97110": "40.00", "97112": "42.00"})
    _monitored(clinic, therapist, starts_on=D(2026, 2, 1), days=16)
    patients = [billed_patient(clinic, therapist, last_name=f"P{i}") for i in range(10)]
    for patient in patients:
        certified(patient, therapist)
    signed_visit(patients[0], therapist, D(2026, 3, 1), {"97110": 23, "97112": 15})
    one, one_lines = _queries(clinic)
    for n in range(1, 50):
        day, hour = D(2026, 3, 2 + (n - 1) // 2), 13 + 2 * (n % 2)
        signed_visit(patients[n % 10], therapist, day, {"97110": 23, "97112": 15}, hour=hour)
    fifty, fifty_lines = _queries(clinic)

    assert (one_lines, fifty_lines) == (2 + 1, 100 + 1)  # and the monitoring's 98977
    assert fifty == one


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "Give the month as YYYY-MM, e.g. 2026-03."),
        ("March", "Give the month as YYYY-MM, e.g. 2026-03."),
        ("2026-3", "Give the month as YYYY-MM, e.g. 2026-03."),
        ("2026-13", "2026-13 has no month 13. Give the month as YYYY-MM, e.g. 2026-03."),
        ("1999-12", "1999-12 is outside the records kept (2000 to 2099)."),
    ],
)
def test_a_month_that_is_not_one_is_refused_with_why(value, message):
    with pytest.raises(ValidationError) as refused:
        parse_month(value)
    assert refused.value.message_dict == {"month": [message]}


def test_a_month_is_read_as_its_first_day():
    assert parse_month("2026-02") == D(2026, 2, 1)
