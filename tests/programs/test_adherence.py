"""Adherence: scheduled days against days with a session, per ISO week and overall, in
the patient's local dates."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine

from programs import adherence as a
from programs.models import ProgramTemplate
from programs.services import ExerciseDone, prescription_set_status, program_prescribe, session_log

UTC = datetime.UTC
MON = datetime.date(2025, 3, 3)  # a Monday; ISO week 2025-W10
MWF = frozenset({0, 2, 4})


def _days(*offsets: int) -> list[datetime.date]:
    return [MON + datetime.timedelta(days=n) for n in offsets]


def _active(weekdays=MWF, since=datetime.date.min) -> a.ProgramState:
    return a.ProgramState(since=since, active=True, weekdays=frozenset(weekdays))


# ---------------------------------------------------------------- pure functions


def test_a_monday_wednesday_friday_program_over_two_weeks_with_four_sessions_is_67_percent():
    end = MON + datetime.timedelta(days=13)
    scheduled = a.scheduled_days(states=[_active()], start=MON, end=end)
    result = a.adherence(scheduled=scheduled, session_days=_days(0, 2, 4, 9), start=MON, end=end)

    assert scheduled == _days(0, 2, 4, 7, 9, 11)
    assert [(w.week, w.scheduled, w.done, w.percent) for w in result.weeks] == [
        ("2025-W10", 3, 3, 100),
        ("2025-W11", 3, 1, 33),
    ]
    assert (result.scheduled, result.credited, result.percent) == (6, 4, 67)
    assert result.ratio == pytest.approx(4 / 6)


def test_extra_sessions_in_one_week_do_not_make_up_for_a_missed_week():
    end = MON + datetime.timedelta(days=13)
    scheduled = a.scheduled_days(states=[_active()], start=MON, end=end)
    result = a.adherence(
        scheduled=scheduled, session_days=_days(0, 1, 2, 3, 4, 5, 6), start=MON, end=end
    )

    assert [(w.done, w.credited, w.percent) for w in result.weeks] == [(7, 3, 100), (0, 0, 0)]
    assert result.percent == 50


def test_a_day_with_several_sessions_counts_once_and_a_session_on_another_day_counts():
    end = MON + datetime.timedelta(days=6)
    scheduled = a.scheduled_days(states=[_active()], start=MON, end=end)
    result = a.adherence(scheduled=scheduled, session_days=_days(0, 0, 0, 1), start=MON, end=end)

    assert (result.weeks[0].done, result.percent) == (2, 67)


def test_the_schedule_runs_from_the_start_date_to_today_mid_week():
    wednesday = MON + datetime.timedelta(days=2)
    end = MON + datetime.timedelta(days=8)  # Tuesday of the next week
    scheduled = a.scheduled_days(states=[_active()], start=wednesday, end=end)
    result = a.adherence(scheduled=scheduled, session_days=[], start=wednesday, end=end)

    assert scheduled == _days(2, 4, 7)
    assert [(w.week_start, w.scheduled) for w in result.weeks] == [(MON, 2), (_days(7)[0], 1)]


def test_a_paused_stretch_schedules_nothing_and_a_new_weekday_plan_applies_from_its_day():
    states = [
        _active(since=MON),
        a.ProgramState(since=_days(3)[0], active=False, weekdays=MWF),  # paused Thursday
        _active(weekdays={1, 3}, since=_days(7)[0]),  # resumed next Monday, Tue/Thu now
    ]
    scheduled = a.scheduled_days(states=states, start=MON, end=_days(13)[0])

    assert scheduled == _days(0, 2, 8, 10)


def test_nothing_scheduled_is_no_percentage():
    assert a.adherence(scheduled=[], session_days=[MON], start=MON, end=MON).percent is None
    before = MON - datetime.timedelta(days=1)
    assert a.adherence(scheduled=[], session_days=[], start=MON, end=before).weeks == ()
    assert a.percent(0, 0) is None
    assert a.percent(5, 3) == 100


def test_programs_combine_week_by_week():
    first = a.adherence(scheduled=_days(0, 2), session_days=_days(0), start=MON, end=_days(2)[0])
    second = a.adherence(
        scheduled=_days(4, 7), session_days=_days(4, 7), start=_days(4)[0], end=_days(7)[0]
    )
    combined = a.combine([first, second])

    assert [(w.scheduled, w.credited) for w in combined.weeks] == [(3, 2), (1, 1)]
    assert combined.percent == 75


# ---------------------------------------------------------------- the selector


def _prescribe(diagnosis, therapist, *, start=MON, weekdays=(0, 2, 4)):
    return program_prescribe(
        patient=diagnosis.patient,
        diagnosis=diagnosis,
        prescribed_by=therapist,
        template=ProgramTemplate.objects.get(slug="mckenzie-extension"),
        start_date=start,
        weekdays=list(weekdays),
        reminder_times=["08:00"],
    )


def _session(patient, program, at: datetime.datetime):
    item = program.exercises.first()
    with time_machine.travel(at, tick=False):
        session_log(
            patient=patient,
            client_id=uuid.uuid4(),
            performed_at=at,
            pain_before=4,
            pain_after=3,
            pain_extent="thigh",
            exercises=[ExerciseDone(prescribed_exercise_id=item.pk)],
        )


@pytest.mark.django_db
def test_the_selector_reads_a_hand_built_history_in_three_queries(
    patient, diagnosis, therapist, django_assert_num_queries
):
    with time_machine.travel(datetime.datetime(2025, 3, 3, 13, 0, tzinfo=UTC), tick=False):
        program = _prescribe(diagnosis, therapist)
    # Mon, Wed, Fri of the first week; Wednesday of the second, 12:00 New York time.
    for day in _days(0, 2, 4, 9):
        _session(patient, program, datetime.datetime.combine(day, datetime.time(17), UTC))

    sunday = _days(13)[0]
    with django_assert_num_queries(3):
        (result,) = a.patient_adherence(patient=patient, today=sunday)

    assert result.prescription == program
    assert (result.start, result.end) == (MON, sunday)
    assert [(w.week, w.scheduled, w.credited, w.percent) for w in result.adherence.weeks] == [
        ("2025-W10", 3, 3, 100),
        ("2025-W11", 3, 1, 33),
    ]
    assert result.adherence.percent == 67


@pytest.mark.django_db
def test_sessions_count_on_the_patients_local_date(patient, diagnosis, therapist):
    assert patient.time_zone == "America/New_York"
    with time_machine.travel(datetime.datetime(2025, 3, 3, 13, 0, tzinfo=UTC), tick=False):
        program = _prescribe(diagnosis, therapist, weekdays=[0])
    # 02:30 UTC on Tuesday is still Monday evening in New York.
    _session(patient, program, datetime.datetime(2025, 3, 4, 2, 30, tzinfo=UTC))

    (result,) = a.patient_adherence(patient=patient, today=_days(6)[0])

    assert result.session_days == (MON,)
    assert result.adherence.percent == 100


@pytest.mark.django_db
def test_a_paused_week_and_a_stopped_program_are_not_counted_against_the_patient(
    patient, diagnosis, therapist
):
    with time_machine.travel(datetime.datetime(2025, 3, 3, 13, 0, tzinfo=UTC), tick=False):
        program = _prescribe(diagnosis, therapist)
    _session(patient, program, datetime.datetime(2025, 3, 3, 17, 0, tzinfo=UTC))
    _session(patient, program, datetime.datetime(2025, 3, 5, 17, 0, tzinfo=UTC))
    # Paused on Thursday of the first week, resumed on the Monday after, stopped that
    # Wednesday morning: only Mon and Wed of week 1 and Mon of week 2 were scheduled.
    for at, status in [
        (datetime.datetime(2025, 3, 6, 15, 0, tzinfo=UTC), "paused"),
        (datetime.datetime(2025, 3, 10, 14, 0, tzinfo=UTC), "active"),
        (datetime.datetime(2025, 3, 12, 14, 0, tzinfo=UTC), "stopped"),
    ]:
        with time_machine.travel(at, tick=False):
            program = prescription_set_status(
                prescription=program, status=status, actor=therapist.user
            )
    _session_days = [MON, _days(2)[0]]

    (result,) = a.patient_adherence(patient=patient, today=datetime.date(2025, 4, 1))

    assert result.end == _days(9)[0]  # the day it was stopped, not today
    assert result.scheduled_days == tuple(_days(0, 2, 7))
    assert list(result.session_days) == _session_days
    assert result.adherence.percent == 67
    assert len(result.adherence.weeks) == 2


@pytest.mark.django_db
def test_a_program_that_starts_in_the_future_has_no_adherence_yet(patient, diagnosis, therapist):
    with time_machine.travel(datetime.datetime(2025, 3, 3, 13, 0, tzinfo=UTC), tick=False):
        _prescribe(diagnosis, therapist, start=_days(7)[0])

    (result,) = a.patient_adherence(patient=patient, today=MON)

    assert result.adherence.weeks == ()
    assert result.adherence.percent is None
