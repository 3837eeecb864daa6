"""Each pass reads the patients whose next due instant falls in its window; a change to
a schedule moves that instant."""

from __future__ import annotations

import datetime
import itertools

import pytest
import time_machine

from core.localtime import local_midnight
from outcomes import schedule as questionnaire_schedule
from patients import services as patient_services
from patients.models import Patient, ScheduleChange
from programs import services as program_services
from programs.models import Prescription
from reminders.clinics import ClinicConfig
from reminders.models import Kind, Notification, PlannerDue
from reminders.planner import base, due, plan, questionnaires
from reminders.planner.base import Zones
from reminders.planner.exercise import due_programs
from tests.factories import make_diagnosis, make_questionnaire_response, make_session
from tests.reminders.planner_helpers import (
    DAY,
    MONDAY,
    NEW_YORK,
    UTC,
    H,
    emailed_therapist,
    new_patient,
    prescribe,
)

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
BASELINE = [str(code) for code in questionnaire_schedule.BASELINE_CODES]


@pytest.fixture
def therapist(clinic):
    return emailed_therapist(clinic)


def refresh(now: datetime.datetime = MONDAY) -> None:
    due.refresh(now=now, zones=Zones())


def instants(patient: Patient) -> PlannerDue:
    return PlannerDue.objects.get(patient=patient)


def questionnaire_reads(now: datetime.datetime) -> set[int]:
    return {row[0] for batch in questionnaires.due_batches(now=now) for row in batch}


# --- what a pass reads -----------------------------------------------------------------


@time_machine.travel(MONDAY, tick=False)
@pytest.mark.parametrize("portable", [False, True], ids=["postgresql", "portable"])
def test_the_questionnaire_pass_reads_only_the_patients_with_one_due(
    clinic, therapist, monkeypatch, portable
):
    unanswered = new_patient(clinic, therapist)
    make_diagnosis(patient=unanswered, diagnosed_by=therapist)
    answered = new_patient(clinic, therapist)
    make_diagnosis(patient=answered, diagnosed_by=therapist)
    for code in BASELINE:
        make_questionnaire_response(patient=answered, code=code)
    new_patient(clinic, therapist)  # not evaluated: nothing due
    if portable:
        monkeypatch.setattr(base, "on_postgresql", lambda: False)

    refresh()

    assert questionnaire_reads(MONDAY) == {unanswered.pk}
    # Two weeks on, the follow-up is due for the one who answered.
    assert questionnaire_reads(MONDAY + 14 * DAY) == {unanswered.pk, answered.pk}


def test_the_exercise_pass_reads_only_the_programs_that_remind_in_its_window(clinic, therapist):
    due_soon = prescribe(new_patient(clinic, therapist), therapist, reminder_times=["10:30"])
    later = prescribe(new_patient(clinic, therapist), therapist, reminder_times=["18:00"])
    zones = Zones()
    due.refresh(now=MONDAY, zones=zones)

    def read(end: datetime.datetime) -> set[Prescription]:
        programs = due_programs(end=end, config=ClinicConfig.load(), zones=zones)
        return {prescription for prescription, _, _ in programs}

    assert read(MONDAY + 2 * H) == {due_soon}
    assert read(MONDAY + 9 * H) == {due_soon, later}


def test_a_held_patient_is_not_read_until_the_hold_is_cleared(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescription = prescribe(patient, therapist, reminder_times=["10:30"])
    zones = Zones()
    due.refresh(now=MONDAY, zones=zones)
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=MONDAY - H)

    read = due_programs(end=MONDAY + 2 * H, config=ClinicConfig.load(), zones=zones)
    assert list(read) == []

    # Holds are not in the instants: the pass filters on them, so clearing one needs
    # no change of instant to be read again.
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=None)
    read = due_programs(end=MONDAY + 2 * H, config=ClinicConfig.load(), zones=zones)
    assert [rx for rx, _, _ in read] == [prescription]


def test_patients_whose_schedule_did_not_change_are_not_worked_out_again(
    clinic, therapist, django_assert_num_queries
):
    for _ in range(3):
        prescribe(new_patient(clinic, therapist), therapist, reminder_times=["10:30"])
    refresh()
    assert ScheduleChange.objects.count() == 0

    # Nothing queued, no reminder time passed: two reads, nothing worked out.
    with django_assert_num_queries(2):
        refresh(MONDAY + 5 * MINUTE)


# --- what moves an instant -------------------------------------------------------------


def test_a_program_sets_the_next_exercise_instant_and_pausing_it_clears_it(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescription = prescribe(patient, therapist, reminder_times=["10:30", "18:00"])
    refresh()
    assert instants(patient).exercise_at == datetime.datetime(2027, 1, 11, 15, 30, tzinfo=UTC)

    program_services.prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )
    refresh()
    assert instants(patient).exercise_at is None


def test_new_reminder_times_move_the_exercise_instant(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescription = prescribe(patient, therapist, reminder_times=["10:30"])
    refresh()

    program_services.prescription_set_schedule(
        prescription=prescription, weekdays=[1], reminder_times=["09:00"], actor=therapist.user
    )
    refresh()

    # Tuesday 09:00 in New York.
    assert instants(patient).exercise_at == datetime.datetime(2027, 1, 12, 14, 0, tzinfo=UTC)


def test_once_a_reminder_time_passes_the_next_pass_works_out_the_next(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescribe(patient, therapist, reminder_times=["10:30", "18:00"])
    refresh()

    refresh(MONDAY + H)  # 11:00 in New York: 10:30 has passed

    assert instants(patient).exercise_at == datetime.datetime(2027, 1, 11, 23, 0, tzinfo=UTC)


def test_a_zone_change_moves_the_exercise_instant(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescribe(patient, therapist, reminder_times=["10:30"])
    refresh()

    patient_services.patient_update(patient=patient, time_zone="Europe/London")
    refresh()

    # 15:00 in London already: Tuesday's 10:30 there.
    assert instants(patient).exercise_at == datetime.datetime(2027, 1, 12, 10, 30, tzinfo=UTC)


@time_machine.travel(MONDAY, tick=False)
def test_a_diagnosis_dates_the_baseline_questionnaires(clinic, therapist):
    patient = new_patient(clinic, therapist)
    refresh()
    assert instants(patient).questionnaire_at is None

    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    refresh()

    assert instants(patient).questionnaire_at == local_midnight(diagnosis.diagnosed_on, NEW_YORK)


@time_machine.travel(MONDAY, tick=False)
def test_answering_the_baseline_moves_the_questionnaire_instant_to_the_follow_up(clinic, therapist):
    patient = new_patient(clinic, therapist)
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    evaluated = local_midnight(diagnosis.diagnosed_on, NEW_YORK)
    for code in BASELINE[:-1]:
        make_questionnaire_response(patient=patient, code=code)
    refresh()
    assert instants(patient).questionnaire_at == evaluated  # one baseline still due

    make_questionnaire_response(patient=patient, code=BASELINE[-1])
    refresh()

    follow_up = local_midnight(datetime.date(2027, 1, 11) + 14 * DAY, NEW_YORK)
    assert instants(patient).questionnaire_at == follow_up


@time_machine.travel(MONDAY, tick=False)
def test_a_discharge_clears_the_instants(clinic, therapist):
    patient = new_patient(clinic, therapist)
    prescribe(patient, therapist, reminder_times=["10:30"])
    refresh()

    patient_services.patient_set_status(patient=patient, status=Patient.Status.DISCHARGED)
    refresh()

    row = instants(patient)
    assert (row.exercise_at, row.questionnaire_at, row.idle_from) == (None, None, None)


def test_a_session_logged_since_moves_the_idle_instant_when_the_inactivity_pass_reads_it(
    clinic, therapist
):
    patient = new_patient(clinic, therapist)
    with time_machine.travel(MONDAY - 5 * DAY, tick=False):
        # Tuesdays only: no exercise instant passes by Monday to have it worked out.
        prescribe(patient, therapist, weekdays=[1], reminder_times=["10:30"])
        refresh(MONDAY - 5 * DAY)
    started = instants(patient).idle_from
    assert started == local_midnight(datetime.date(2027, 1, 6), NEW_YORK)
    with time_machine.travel(MONDAY - DAY, tick=False):
        session = make_session(patient=patient)
    assert instants(patient).idle_from == started  # a lower bound: sessions queue nothing

    plan(now=MONDAY)

    assert not Notification.objects.filter(kind=Kind.NUDGE).exists()
    assert instants(patient).idle_from == session.performed_at


# --- the rule behind the questionnaire instant ------------------------------------------


def _facts(answers: dict[str, tuple[int, int]]) -> questionnaire_schedule.Facts:
    start = datetime.date(2027, 1, 4)
    return questionnaire_schedule.Facts(
        status=Patient.Status.ACTIVE,
        evaluated_on=start,
        first_answered={code: start + first * DAY for code, (first, _) in answers.items()},
        last_answered={code: start + last * DAY for code, (_, last) in answers.items()},
    )


ANSWER_DAYS = [(0, 0), (0, 13), (0, 14), (0, 20), (3, 40)]


@pytest.mark.parametrize(
    "answers",
    [{}, {code: (0, 0) for code in BASELINE[:2]}]
    + [
        dict(zip(BASELINE, combo, strict=True))
        for combo in itertools.islice(itertools.product(ANSWER_DAYS, repeat=4), 0, None, 37)
    ],
)
def test_the_first_due_day_is_the_first_day_the_schedule_lists_something(answers):
    facts = _facts(answers)

    day = due.first_due_day(facts)

    assert day is not None
    assert questionnaire_schedule.due(facts, day)
    assert not questionnaire_schedule.due(facts, day - DAY)
