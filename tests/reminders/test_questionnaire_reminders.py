"""Questionnaire-due reminders: planned once per due questionnaire, at most one a day per
patient, honouring consent and quiet hours, and cancelled once answered."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outcomes import schedule, services
from patients import services as patient_services
from practice.models import Role
from reminders import cancel_rules, rules
from reminders.delivery_facts import delivery_facts_load
from reminders.models import Channel, Device, Kind, Notification
from reminders.planner import plan
from tests.factories import answers_for, make_diagnosis, make_patient, make_staff

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
H = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# A Monday, 10:00 in New York: awake, and nowhere near a DST change.
MONDAY = datetime.datetime(2027, 1, 11, 15, 0, tzinfo=UTC)
EVALUATED = datetime.date(2027, 1, 11)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def therapist(clinic):
    return make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.one")


def _patient(clinic, therapist, *, evaluated=True, **fields):
    fields.setdefault("consent_email", True)
    patient = make_patient(clinic=clinic, primary_therapist=therapist, **fields)
    if evaluated:
        make_diagnosis(patient=patient, diagnosed_by=therapist)
    return patient


def _rows(**filters) -> list[Notification]:
    return list(
        Notification.objects.filter(kind=Kind.QUESTIONNAIRE, **filters).order_by(
            "scheduled_for", "id"
        )
    )


def _plan():
    return plan(now=timezone.now())


def _answer(patient, *codes):
    for code in codes:
        services.questionnaire_submit(patient=patient, code=code, answers=answers_for(code))


# --- planning --------------------------------------------------------------------------


def test_one_reminder_covers_the_questionnaires_due_together(clinic, therapist, clock):
    patient = _patient(clinic, therapist)

    result = _plan()

    (row,) = _rows()
    assert result.created_by_kind[Kind.QUESTIONNAIRE] == 1
    assert row.source == f"questionnaire:{patient.pk}:odi:{EVALUATED.isoformat()}"
    assert (row.patient, row.clinic, row.channel) == (patient, clinic, Channel.EMAIL)
    assert row.scheduled_for == MONDAY
    assert row.status == Notification.Status.PENDING


def test_planning_again_adds_nothing(clinic, therapist, clock):
    _patient(clinic, therapist)
    _plan()

    clock.shift(H)
    again = _plan()

    assert again.created_by_kind[Kind.QUESTIONNAIRE] == 0
    assert len(_rows()) == 1


def test_each_due_questionnaire_is_reminded_once_at_most_one_a_day(clinic, therapist, clock):
    patient = _patient(clinic, therapist)

    for _ in range(6):
        _plan()
        clock.shift(12 * H)
        _plan()
        clock.shift(12 * H)

    codes = [rules.parse_source(row.source).code for row in _rows()]
    assert codes == ["odi", "nprs", "rmdq", "startback"]
    gaps = {b.scheduled_for - a.scheduled_for for a, b in zip(_rows(), _rows()[1:], strict=False)}
    assert gaps == {DAY}
    assert {rules.parse_source(row.source).day for row in _rows()} == {EVALUATED}
    assert all(row.patient == patient for row in _rows())


def test_answered_questionnaires_are_not_reminded(clinic, therapist, clock):
    patient = _patient(clinic, therapist)
    _answer(patient, "odi", "nprs")

    _plan()

    assert [rules.parse_source(row.source).code for row in _rows()] == ["rmdq"]

    _answer(patient, "rmdq", "startback")
    clock.shift(DAY)
    _plan()
    assert len(_rows()) == 1


def test_a_follow_up_gets_a_reminder_of_its_own(clinic, therapist, clock):
    patient = _patient(clinic, therapist)
    _answer(patient, "odi", "nprs", "rmdq", "startback")
    _plan()
    assert _rows() == []

    clock.shift(14 * DAY)
    _plan()

    (row,) = _rows()
    assert row.source == f"questionnaire:{patient.pk}:odi:{(EVALUATED + 14 * DAY).isoformat()}"


def test_no_questionnaire_reminders_before_an_evaluation_or_after_discharge(
    clinic, therapist, clock
):
    _patient(clinic, therapist, evaluated=False)
    discharged = _patient(clinic, therapist)
    patient_services.patient_set_status(patient=discharged, status="discharged")

    _plan()

    assert _rows() == []


# --- consent and quiet hours -----------------------------------------------------------


def test_no_consented_channel_means_no_reminder(clinic, therapist, clock):
    _patient(clinic, therapist, consent_email=False)
    _patient(clinic, therapist, consent_email=True, email="")  # consent, but no address

    _plan()

    assert _rows() == []


def test_push_first_then_sms(clinic, therapist, clock):
    pushed = _patient(clinic, therapist, consent_sms=True, consent_push=True)
    texted = _patient(clinic, therapist, consent_email=False, consent_sms=True, consent_push=True)
    Device.objects.create(patient=pushed, token="token-1", platform=Device.Platform.IOS)

    _plan()

    assert {row.patient_id: row.channel for row in _rows()} == {
        pushed.pk: Channel.PUSH,
        texted.pk: Channel.SMS,  # push consent, but no device
    }


@pytest.mark.parametrize(
    ("consents", "channel"),
    [({"consent_email": False, "consent_sms": True}, Channel.SMS), ({}, Channel.EMAIL)],
)
def test_at_night_the_reminder_waits_for_the_end_of_quiet_hours(
    clinic, therapist, clock, consents, channel
):
    clock.move_to(MONDAY - 13 * H)  # 21:00 on Sunday in New York
    patient = _patient(clinic, therapist, **consents)

    _plan()
    clock.shift(4 * H)  # 01:00: nothing new
    _plan()

    (row,) = _rows()
    assert f"{row.scheduled_for.astimezone(NEW_YORK):%Y-%m-%d %H:%M}" == "2027-01-11 08:00"
    assert row.channel == channel
    assert row.patient == patient


def test_the_patients_own_quiet_hours_count(clinic, therapist, clock):
    _patient(
        clinic,
        therapist,
        consent_email=False,
        consent_sms=True,
        quiet_hours_start=datetime.time(9, 0),
        quiet_hours_end=datetime.time(11, 30),
    )

    _plan()  # 10:00 in New York: inside this patient's quiet hours

    (row,) = _rows()
    assert f"{row.scheduled_for.astimezone(NEW_YORK):%H:%M}" == "11:30"


def test_query_count_does_not_grow_with_the_number_of_patients(clinic, therapist, clock):
    _patient(clinic, therapist)
    with CaptureQueriesContext(connection) as one:
        _plan()
    Notification.objects.all().delete()
    for _ in range(5):
        _patient(clinic, therapist)
    with CaptureQueriesContext(connection) as six:
        _plan()

    assert len(_rows()) == 6
    assert len(six) == len(one)


# --- cancelling at delivery ------------------------------------------------------------


def _planned(patient) -> Notification:
    _plan()
    row = _rows(patient=patient)[0]
    return Notification.objects.select_related("clinic", "patient", "staff__user").get(pk=row.pk)


def _reason_now(row: Notification) -> str | None:
    return cancel_rules.cancel_reason(
        row, facts=delivery_facts_load(notifications=[row], now=timezone.now())
    )


def test_a_reminder_still_wanted_is_sent(clinic, therapist, clock):
    row = _planned(_patient(clinic, therapist))

    assert _reason_now(row) is None


def test_a_reminder_answered_since_it_was_due_is_cancelled(clinic, therapist, clock):
    patient = _patient(clinic, therapist)
    row = _planned(patient)
    _answer(patient, "odi")

    assert _reason_now(row) == "The questionnaire has been answered since it was due."


def test_an_answer_to_another_questionnaire_or_an_earlier_one_does_not_cancel(
    clinic, therapist, clock
):
    patient = _patient(clinic, therapist)
    _answer(patient, "odi", "nprs", "rmdq", "startback")  # the baseline
    clock.shift(14 * DAY)
    row = _planned(patient)  # the ODI follow-up
    _answer(patient, "nprs")

    assert rules.parse_source(row.source).day == EVALUATED + 14 * DAY
    assert _reason_now(row) is None


def test_a_reminder_for_a_patient_no_longer_active_is_cancelled(clinic, therapist, clock):
    patient = _patient(clinic, therapist)
    row = _planned(patient)
    patient_services.patient_set_status(patient=patient, status="discharged")
    row.patient.refresh_from_db()

    assert _reason_now(row) == "The patient is discharged."


def test_a_questionnaire_source_reads_back():
    source = rules.questionnaire_source(7, "rmdq", EVALUATED)

    assert source == "questionnaire:7:rmdq:2027-01-11"
    assert rules.parse_source(source) == rules.Source(
        "questionnaire", 7, day=EVALUATED, code="rmdq"
    )
    assert rules.parse_source("questionnaire:7::2027-01-11") is None
    assert rules.parse_source("questionnaire:7:odi:2027-13-01") is None


def test_the_schedule_and_the_planner_agree_on_the_due_date(clinic, therapist, clock):
    patient = _patient(clinic, therapist, time_zone="Pacific/Auckland")

    _plan()

    (row,) = _rows()
    first = schedule.due_for(patient)[0]
    assert rules.parse_source(row.source).day == first.due_on
    assert row.source == rules.questionnaire_source(patient.pk, first.code, first.due_on)
