"""Remote monitoring counted from what the app recorded, in the patient's own days."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from outcomes import in_clinic
from patients.models import RedFlagScreening
from patients.services import red_flag_screen
from tests.factories import (
    answers_for,
    make_coverage,
    make_payer,
    make_prescription,
    make_questionnaire_response,
    make_rtm_episode,
    make_rtm_time_entry,
    make_session,
)
from visits import rtm_services
from visits.rtm import data_days, period_bounds, rtm_status

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC
START = D(2026, 11, 1)
NOW = datetime.datetime(2026, 12, 5, 17, 0, tzinfo=UTC)


@pytest.fixture
def episode(time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 30, 15, 0, tzinfo=UTC), tick=False)
    patient = make_prescription().patient  # its program starts before the monitoring
    time_machine.move_to(NOW, tick=False)
    return make_rtm_episode(patient=patient, starts_on=START)


def _sessions_on(patient, days: int, first: datetime.date = START) -> None:
    for i in range(days):
        day = first + datetime.timedelta(days=i)
        make_session(
            patient=patient, performed_at=datetime.datetime.combine(day, datetime.time(16), UTC)
        )


def _accepting(patient, accepts: bool) -> None:
    payer = make_payer(clinic=patient.clinic, accepts_2026_rtm_codes=accepts)
    make_coverage(patient=patient, payer=payer)


def test_sixteen_days_with_data_bill_98977(episode):
    _sessions_on(episode.patient, 16)
    period = rtm_status(episode=episode).periods[0]
    assert (period.starts_on, period.ends_on, period.days_with_data) == (START, D(2026, 11, 30), 16)
    assert period.billed is not None
    assert period.billed.code == "98977"


def test_fifteen_days_bill_the_2026_short_code_where_the_payer_takes_it(episode):
    _accepting(episode.patient, True)
    _sessions_on(episode.patient, 15)
    billed = rtm_status(episode=episode).periods[0].billed
    assert billed is not None
    assert billed.code == "98985"


def test_fifteen_days_bill_nothing_where_the_payer_does_not_take_the_2026_codes(episode):
    _accepting(episode.patient, False)
    _sessions_on(episode.patient, 15)
    assert rtm_status(episode=episode).periods[0].billed is None


def test_one_day_bills_nothing(episode):
    _sessions_on(episode.patient, 1)
    assert rtm_status(episode=episode).periods[0].billed is None


def test_days_are_the_patients_own_and_count_once(episode):
    patient = episode.patient
    patient.time_zone = "America/Los_Angeles"
    patient.save(update_fields=["time_zone"])
    # 06:30 UTC on 10 November is 22:30 on the 9th in Los Angeles; both are the 9th.
    make_session(patient=patient, performed_at=datetime.datetime(2026, 11, 10, 6, 30, tzinfo=UTC))
    make_session(patient=patient, performed_at=datetime.datetime(2026, 11, 9, 18, 0, tzinfo=UTC))
    assert data_days(patients=[patient], since=START, until=D(2026, 11, 30)) == {
        patient.pk: {D(2026, 11, 9)}
    }


def test_symptom_reports_and_app_questionnaires_count_but_clinic_entries_do_not(
    episode, time_machine
):
    patient = episode.patient
    time_machine.move_to(datetime.datetime(2026, 11, 20, 15, 0, tzinfo=UTC), tick=False)
    in_clinic.questionnaire_record_in_clinic(
        patient=patient, code="odi", answers=answers_for("odi"), staff=episode.consent_recorded_by
    )
    time_machine.move_to(NOW, tick=False)
    red_flag_screen(
        patient=patient,
        flags={},
        source=RedFlagScreening.Source.PATIENT_REPORT,
        screened_at=datetime.datetime(2026, 11, 3, 15, 0, tzinfo=UTC),
    )
    make_questionnaire_response(patient=patient, code="nprs")  # answered now, 5 December
    assert data_days(patients=[patient], since=START, until=D(2026, 12, 5))[patient.pk] == {
        D(2026, 11, 3),
        D(2026, 12, 5),
    }


def test_periods_run_thirty_days_from_the_start_and_the_current_one_counts_down(episode):
    status = rtm_status(episode=episode)
    assert [(p.starts_on, p.ends_on) for p in status.periods] == [
        (START, D(2026, 11, 30)),
        (D(2026, 12, 1), D(2026, 12, 30)),
    ]
    current = status.current_period
    assert current is not None
    assert current.days_left == 25
    assert period_bounds(starts_on=START, day=D(2026, 12, 31)) == (D(2026, 12, 31), D(2027, 1, 29))


def test_a_period_is_at_risk_once_its_room_to_reach_sixteen_days_runs_out(time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 30, 15, 0, tzinfo=UTC), tick=False)
    patient = make_prescription().patient
    time_machine.move_to(datetime.datetime(2026, 11, 18, 17, 0, tzinfo=UTC), tick=False)
    episode = make_rtm_episode(patient=patient, starts_on=START)
    _sessions_on(patient, 3)
    # 12 days left after the 18th, 13 still needed: at risk.
    assert rtm_status(episode=episode).current_period.at_risk
    _sessions_on(patient, 6, first=D(2026, 11, 10))
    # 9 days with data, 7 needed, 12 left: room to spare.
    assert not rtm_status(episode=episode).current_period.at_risk
    # Three days later, with no more data: 9 left for the 7 needed, two days' room.
    time_machine.move_to(datetime.datetime(2026, 11, 21, 17, 0, tzinfo=UTC), tick=False)
    assert rtm_status(episode=episode).current_period.at_risk


@pytest.mark.parametrize(
    ("entries", "codes"),
    [
        ([(12, True)], [("98979", 1)]),
        ([(25, True)], [("98980", 1)]),
        ([(30, False), (15, True)], [("98980", 1), ("98981", 1)]),
        ([(20, True), (20, False), (20, False)], [("98980", 1), ("98981", 2)]),
        ([(30, False), (20, False)], []),
        ([(9, True)], []),
    ],
)
def test_treatment_management_minutes_bill_only_with_an_interactive_call(episode, entries, codes):
    _accepting(episode.patient, True)
    for minutes, interactive in entries:
        make_rtm_time_entry(
            episode=episode, worked_on=D(2026, 11, 12), minutes=minutes, interactive=interactive
        )
    (month,) = rtm_status(episode=episode).months
    assert month.month == D(2026, 11, 1)
    assert [(b.code, b.units) for b in month.billed] == codes


def test_ten_minutes_bill_nothing_where_the_payer_does_not_take_the_2026_codes(episode):
    _accepting(episode.patient, False)
    make_rtm_time_entry(episode=episode, worked_on=D(2026, 11, 12), minutes=12, interactive=True)
    assert rtm_status(episode=episode).months[0].billed == ()


def test_minutes_are_counted_per_calendar_month(episode):
    make_rtm_time_entry(episode=episode, worked_on=D(2026, 11, 30), minutes=15, interactive=True)
    make_rtm_time_entry(episode=episode, worked_on=D(2026, 12, 1), minutes=15, interactive=True)
    months = rtm_status(episode=episode).months
    assert [(m.month, m.minutes) for m in months] == [(D(2026, 11, 1), 15), (D(2026, 12, 1), 15)]


def test_set_up_bills_once_per_episode(episode):
    assert rtm_status(episode=episode).set_up is None
    episode = rtm_services.rtm_episode_onboard(
        episode=episode, staff_member=episode.consent_recorded_by, onboarded_on=START
    )
    set_up = rtm_status(episode=episode).set_up
    assert set_up is not None
    assert set_up.code == "98975"
    with pytest.raises(ValidationError, match="set-up was recorded"):
        rtm_services.rtm_episode_onboard(
            episode=episode, staff_member=episode.consent_recorded_by, onboarded_on=START
        )


def test_a_patient_has_one_open_episode_at_a_time(episode):
    with pytest.raises(ValidationError, match="already being monitored"):
        make_rtm_episode(patient=episode.patient)
    rtm_services.rtm_episode_end(
        episode=episode, staff_member=episode.consent_recorded_by, ended_on=D(2026, 12, 2)
    )
    assert make_rtm_episode(patient=episode.patient).ended_on is None


def test_time_outside_the_episode_is_refused(episode):
    with pytest.raises(ValidationError) as error:
        make_rtm_time_entry(episode=episode, worked_on=D(2026, 10, 31))
    assert "worked_on" in error.value.message_dict


def test_consent_given_in_the_future_is_refused(episode):
    rtm_services.rtm_episode_end(
        episode=episode, staff_member=episode.consent_recorded_by, ended_on=D(2026, 12, 5)
    )
    with pytest.raises(ValidationError, match="not a plausible time of consent"):
        make_rtm_episode(patient=episode.patient, consent_at=NOW + datetime.timedelta(days=2))


def test_monitoring_starts_neither_before_consent_nor_inside_an_earlier_episode(episode):
    with pytest.raises(ValidationError) as error:
        rtm_services.rtm_episode_end(
            episode=episode, staff_member=episode.consent_recorded_by, ended_on=D(2026, 12, 6)
        )
    assert "ended_on" in error.value.message_dict  # 6 December is after today, the 5th
    rtm_services.rtm_episode_end(
        episode=episode, staff_member=episode.consent_recorded_by, ended_on=D(2026, 11, 20)
    )
    with pytest.raises(ValidationError, match="ended on 2026-11-20"):
        make_rtm_episode(patient=episode.patient, starts_on=D(2026, 11, 15))
    with pytest.raises(ValidationError, match="day of consent"):
        make_rtm_episode(patient=episode.patient, starts_on=D(2026, 11, 25), consent_at=NOW)


def test_an_episode_does_not_end_before_the_time_recorded_in_it(episode):
    make_rtm_time_entry(episode=episode, worked_on=D(2026, 11, 25))
    with pytest.raises(ValidationError, match="from 2026-11-25"):
        rtm_services.rtm_episode_end(
            episode=episode, staff_member=episode.consent_recorded_by, ended_on=D(2026, 11, 24)
        )


def test_time_is_not_recorded_ahead(episode):
    with pytest.raises(ValidationError, match="not ahead"):
        make_rtm_time_entry(episode=episode, worked_on=D(2026, 12, 6))


def test_a_period_that_is_over_is_no_longer_at_risk(episode):
    _sessions_on(episode.patient, 5)
    first, _current = rtm_status(episode=episode).periods
    assert first.is_over
    assert first.days_needed == 11
    assert not first.at_risk  # final: it bills what it gathered
