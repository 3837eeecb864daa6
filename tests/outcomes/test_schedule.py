"""What is due when: baseline at evaluation, every 2 weeks after, and at discharge."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from core.localtime import local_today, patient_zone
from outcomes import schedule, services
from outcomes.models import Occasion, QuestionnaireResponse
from outcomes.schedule import Due, Facts, due
from patients import services as patient_services
from patients.models import Patient
from tests.factories import answers_for, make_diagnosis, make_patient

DAY = datetime.timedelta(days=1)
EVALUATED = datetime.date(2027, 1, 11)  # a Monday
ACTIVE = Patient.Status.ACTIVE


def _codes(items: list[Due]) -> list[tuple[str, str, datetime.date]]:
    return [(d.code, d.occasion, d.due_on) for d in items]


# --- the rules (pure) ------------------------------------------------------------------


def test_nothing_is_due_before_an_evaluation():
    assert due(Facts(status=ACTIVE, evaluated_on=None), EVALUATED) == []
    assert due(Facts(status=ACTIVE, evaluated_on=EVALUATED), EVALUATED - DAY) == []


def test_the_baseline_is_all_four_questionnaires_dated_the_evaluation():
    result = due(Facts(status=ACTIVE, evaluated_on=EVALUATED), EVALUATED + 3 * DAY)

    assert _codes(result) == [
        ("odi", Occasion.BASELINE, EVALUATED),
        ("nprs", Occasion.BASELINE, EVALUATED),
        ("rmdq", Occasion.BASELINE, EVALUATED),
        ("startback", Occasion.BASELINE, EVALUATED),
    ]


def _answered(first: datetime.date, last: datetime.date | None = None, codes=None) -> Facts:
    codes = codes or ("odi", "nprs", "rmdq", "startback")
    return Facts(
        status=ACTIVE,
        evaluated_on=EVALUATED,
        first_answered=dict.fromkeys(codes, first),
        last_answered=dict.fromkeys(codes, last or first),
    )


def test_follow_ups_are_due_every_two_weeks_from_the_baseline():
    facts = _answered(EVALUATED)

    assert due(facts, EVALUATED + 13 * DAY) == []
    assert _codes(due(facts, EVALUATED + 14 * DAY)) == [
        ("odi", Occasion.FOLLOW_UP, EVALUATED + 14 * DAY),
        ("nprs", Occasion.FOLLOW_UP, EVALUATED + 14 * DAY),
        ("rmdq", Occasion.FOLLOW_UP, EVALUATED + 14 * DAY),
    ]  # STarT Back is a baseline screen only


def test_a_follow_up_answered_late_still_keeps_the_two_week_rhythm():
    facts = _answered(EVALUATED, last=EVALUATED + 17 * DAY)

    assert due(facts, EVALUATED + 27 * DAY) == []
    assert {d.due_on for d in due(facts, EVALUATED + 28 * DAY)} == {EVALUATED + 28 * DAY}


def test_missed_follow_ups_fold_into_the_latest():
    facts = _answered(EVALUATED)

    result = due(facts, EVALUATED + 45 * DAY)

    assert {(d.occasion, d.due_on) for d in result} == {(Occasion.FOLLOW_UP, EVALUATED + 42 * DAY)}


def test_each_questionnaire_keeps_its_own_baseline():
    facts = Facts(
        status=ACTIVE,
        evaluated_on=EVALUATED,
        first_answered={"odi": EVALUATED, "nprs": EVALUATED + 2 * DAY},
        last_answered={"odi": EVALUATED, "nprs": EVALUATED + 2 * DAY},
    )

    assert _codes(due(facts, EVALUATED + 14 * DAY)) == [
        ("odi", Occasion.FOLLOW_UP, EVALUATED + 14 * DAY),
        ("rmdq", Occasion.BASELINE, EVALUATED),
        ("startback", Occasion.BASELINE, EVALUATED),
    ]


def test_discharge_asks_for_odi_nprs_and_rmdq_once():
    discharged_on = EVALUATED + 40 * DAY
    facts = Facts(
        status=Patient.Status.DISCHARGED,
        evaluated_on=EVALUATED,
        discharged_on=discharged_on,
        first_answered={"odi": EVALUATED, "nprs": EVALUATED},
        last_answered={"odi": EVALUATED + 28 * DAY, "nprs": discharged_on},
    )

    assert _codes(due(facts, discharged_on + DAY)) == [
        ("odi", Occasion.DISCHARGE, discharged_on),
        ("rmdq", Occasion.DISCHARGE, discharged_on),
    ]  # NPRS was answered on the day of the discharge


def test_no_discharge_questionnaires_without_an_evaluation_and_none_when_archived():
    never_seen = Facts(status=Patient.Status.DISCHARGED, evaluated_on=None, discharged_on=EVALUATED)
    archived = Facts(status=Patient.Status.ARCHIVED, evaluated_on=EVALUATED)

    assert due(never_seen, EVALUATED) == []
    assert due(archived, EVALUATED + 30 * DAY) == []


# --- against the database --------------------------------------------------------------


def _at(day: datetime.date, hour: int = 15) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _answer_all(patient, codes=None):
    for item in schedule.due_for(patient):
        if codes is None or item.code in codes:
            services.questionnaire_submit(
                patient=patient, code=item.code, answers=answers_for(item.code)
            )


@pytest.mark.django_db
def test_baseline_then_follow_up_then_discharge(clinic, therapist):
    with time_machine.travel(_at(EVALUATED), tick=False) as clock:
        patient = make_patient(clinic=clinic, primary_therapist=therapist)
        assert schedule.due_for(patient) == []

        make_diagnosis(patient=patient, diagnosed_by=therapist)
        assert [d.code for d in schedule.due_for(patient)] == ["odi", "nprs", "rmdq", "startback"]

        _answer_all(patient)
        assert schedule.due_for(patient) == []
        assert set(QuestionnaireResponse.objects.values_list("occasion", flat=True)) == {
            Occasion.BASELINE
        }

        clock.move_to(_at(EVALUATED + 13 * DAY))
        assert schedule.due_for(patient) == []

        clock.move_to(_at(EVALUATED + 14 * DAY))
        follow_ups = schedule.due_for(patient)
        assert _codes(follow_ups) == [
            (code, Occasion.FOLLOW_UP, EVALUATED + 14 * DAY) for code in ("odi", "nprs", "rmdq")
        ]
        _answer_all(patient, codes={"odi"})
        assert [d.code for d in schedule.due_for(patient)] == ["nprs", "rmdq"]

        clock.move_to(_at(EVALUATED + 20 * DAY))
        patient_services.patient_set_status(patient=patient, status="discharged")
        patient.refresh_from_db()
        assert _codes(schedule.due_for(patient)) == [
            (code, Occasion.DISCHARGE, EVALUATED + 20 * DAY) for code in ("odi", "nprs", "rmdq")
        ]

        clock.move_to(_at(EVALUATED + 22 * DAY))
        _answer_all(patient, codes={"nprs"})
        assert [d.code for d in schedule.due_for(patient)] == ["odi", "rmdq"]
        stored = QuestionnaireResponse.objects.filter(occasion=Occasion.DISCHARGE).get()
        assert (stored.code, stored.due_on) == ("nprs", EVALUATED + 20 * DAY)


@pytest.mark.django_db
def test_the_discharge_date_is_when_the_current_discharge_began(clinic, therapist):
    with time_machine.travel(_at(EVALUATED), tick=False) as clock:
        patient = make_patient(clinic=clinic, primary_therapist=therapist)
        make_diagnosis(patient=patient, diagnosed_by=therapist)
        clock.move_to(_at(EVALUATED + 5 * DAY))
        patient_services.patient_set_status(patient=patient, status="discharged")
        clock.move_to(_at(EVALUATED + 6 * DAY))
        patient_services.patient_set_status(patient=patient, status="active")
        clock.move_to(_at(EVALUATED + 9 * DAY))
        patient_services.patient_set_status(patient=patient, status="discharged")
        clock.move_to(_at(EVALUATED + 10 * DAY))
        patient_services.patient_update(patient=patient, first_name="Alexis")  # still discharged
        patient.refresh_from_db()

        assert {d.due_on for d in schedule.due_for(patient)} == {EVALUATED + 9 * DAY}


@pytest.mark.django_db
def test_dates_are_the_patients_own(clinic, therapist):
    # 2027-01-11 20:00 UTC is already 2027-01-12 in Auckland (UTC+13 in summer).
    with time_machine.travel(_at(EVALUATED - 14 * DAY, hour=20), tick=False) as clock:
        patient = make_patient(
            clinic=clinic, primary_therapist=therapist, time_zone="Pacific/Auckland"
        )
        make_diagnosis(patient=patient, diagnosed_by=therapist)
        _answer_all(patient)
        baseline = QuestionnaireResponse.objects.filter(patient=patient).first()
        assert local_today(patient_zone(patient)) == EVALUATED - 13 * DAY

        clock.move_to(_at(EVALUATED, hour=10))  # 23:00 on the 11th in Auckland
        assert schedule.due_for(patient) == []
        clock.move_to(_at(EVALUATED, hour=11))  # midnight: the 12th begins there
        assert {d.due_on for d in schedule.due_for(patient)} == {EVALUATED + DAY}
    assert baseline.occasion == Occasion.BASELINE
