"""The nudge to a monitored patient whose 30-day period risks too few days with data:
planned from the therapist's alert, once per period, on a channel the patient agreed
to and outside their quiet hours, with nothing about their health in the text."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients.models import ClinicalAlert, Patient
from patients.services import alert_acknowledge
from reminders import planner, rules
from reminders.models import Channel, Kind, Notification
from reminders.planner import rtm
from reminders.planner.base import Zones
from reminders.planner.writer import PlanResult, Writer
from tests.factories import make_rtm_episode, make_staff
from tests.reminders.fakes import RecordingTransport
from tests.reminders.planner_helpers import emailed_therapist, new_patient
from tests.reminders.staff_helpers import health_words, make_tick
from tests.visits.rtm_course import at, monitored, sessions_on
from visits.rtm_services import rtm_episode_end
from visits.tasks import watch_rtm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_hour_horizon")]

D = datetime.date
NY = "America/New_York"
# Five days with data by the 21st, the last the day before: not idle, but 11 still
# needed with 9 left.
DAYS = [D(2026, 12, 2), D(2026, 12, 3), D(2026, 12, 4), D(2026, 12, 19), D(2026, 12, 20)]
MORNING = at(D(2026, 12, 21), 9, zone=NY)
# What the message may not say about why it was sent.
MONITORING_WORDS = ("monitor", "data", "16", "period", "short", "risk", "rtm")


@pytest.fixture
def therapist(clinic):
    return emailed_therapist(clinic)


def at_risk(clinic, therapist, *, watched_at=MORNING, **fields) -> Patient:
    """A monitored patient short of days, and the watch's alert about them."""
    patient = new_patient(clinic, therapist, **fields)
    monitored(patient, therapist)
    sessions_on(patient, DAYS)
    with time_machine.travel(watched_at, tick=False):
        assert watch_rtm() == 1
    return patient


def plan(now: datetime.datetime) -> None:
    """A planning pass at `now`, the clock there too (rows are created then)."""
    with time_machine.travel(now, tick=False):
        planner.plan(now=now)


def nudges(patient) -> list[Notification]:
    return list(Notification.objects.filter(patient=patient, kind=Kind.NUDGE).order_by("pk"))


def test_a_patient_at_risk_is_nudged_once_per_period(clinic, therapist):
    patient = at_risk(clinic, therapist)

    plan(MORNING)
    alert = ClinicalAlert.objects.get(patient=patient, kind=ClinicalAlert.Kind.RTM_DATA_SHORT)
    with time_machine.travel(MORNING, tick=False):
        alert_acknowledge(alert=alert, staff_member=therapist)  # the nudge is the patient's
    for later in (datetime.timedelta(minutes=5), datetime.timedelta(hours=6)):
        plan(MORNING + later)

    (nudge,) = nudges(patient)
    assert nudge.source == f"rtm:{patient.pk}:2026-12-01"
    assert rules.parse_source(nudge.source).day == D(2026, 12, 1)
    assert (nudge.channel, nudge.scheduled_for) == (Channel.EMAIL, MORNING)
    assert nudge.staff is None


def test_a_nudge_planned_at_night_waits_for_the_end_of_the_quiet_hours(clinic, therapist):
    night = at(D(2026, 12, 21), 0, 30, zone=NY)
    patient = at_risk(clinic, therapist, watched_at=night, consent_email=False, consent_sms=True)

    plan(night)

    (nudge,) = nudges(patient)
    assert (nudge.channel, nudge.scheduled_for) == (Channel.SMS, at(D(2026, 12, 21), 8, zone=NY))


def test_a_patient_who_agreed_to_no_channel_is_not_nudged(clinic, therapist):
    patient = at_risk(clinic, therapist, consent_email=False)

    plan(MORNING)

    assert nudges(patient) == []


def test_a_patient_with_no_program_running_is_not_nudged(clinic, therapist):
    # The nudge points at the next session; monitored from questionnaires alone, there
    # is none to point at.
    patient = new_patient(clinic, therapist)
    with time_machine.travel(at(D(2026, 12, 1), 9, zone=NY), tick=False):
        make_rtm_episode(patient=patient, therapist=therapist, starts_on=D(2026, 12, 1))
    with time_machine.travel(MORNING, tick=False):
        assert watch_rtm() == 1

    plan(MORNING)

    assert nudges(patient) == []


def test_a_hold_or_the_end_of_monitoring_since_the_alert_stops_the_nudge(clinic, therapist):
    held = at_risk(clinic, therapist)
    ended = at_risk(clinic, therapist, email="other@example.com")
    Patient.objects.filter(pk=held.pk).update(medical_hold_since=MORNING)
    with time_machine.travel(MORNING, tick=False):
        rtm_episode_end(
            episode=ended.rtm_episodes.get(), staff_member=therapist, ended_on=D(2026, 12, 21)
        )

    plan(MORNING)

    assert nudges(held) == []
    assert nudges(ended) == []


def test_a_patient_nudged_for_inactivity_that_day_is_not_nudged_again(clinic, therapist):
    patient = new_patient(clinic, therapist)
    monitored(patient, therapist)
    sessions_on(patient, DAYS[:3])  # nothing since the 4th: idle as well
    with time_machine.travel(MORNING, tick=False):
        watch_rtm()

    plan(MORNING)

    (nudge,) = nudges(patient)
    assert nudge.source == f"nudge:{patient.pk}:2026-12-04"


@pytest.fixture
def recording(settings):
    path = "tests.reminders.fakes.RecordingTransport"
    settings.REMINDERS_TRANSPORTS = {"email": path, "sms": path, "push": path}
    settings.REMINDERS_OUTBOX_FILE = ""
    RecordingTransport.sent = []
    return RecordingTransport


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "Your next session is waiting; a little movement each day helps."),
        ("es", "Su próxima sesión le espera; moverse un poco cada día ayuda."),
    ],
)
def test_the_nudge_says_nothing_about_the_patients_health_in_their_language(
    clinic, therapist, recording, django_capture_on_commit_callbacks, monkeypatch, language, line
):
    patient = at_risk(clinic, therapist, language=language)
    plan(MORNING)
    tick = make_tick(recording, django_capture_on_commit_callbacks, monkeypatch)

    sent = [m for m in tick(MORNING) if m.kind == Kind.NUDGE]

    (message,) = sent
    assert message.to == patient.email
    assert message.body.startswith(line)
    assert health_words(sent) == []
    text = f"{message.subject} {message.body}".lower()
    assert [word for word in MONITORING_WORDS if word in text] == []


def test_planning_the_nudges_costs_the_same_queries_for_one_alert_as_for_many(clinic):
    def plan_nudges() -> CaptureQueriesContext:
        writer = Writer(PlanResult(), now=MORNING)
        with CaptureQueriesContext(connection) as queries:
            rtm.plan_rtm_nudges(now=MORNING, zones=Zones(), writer=writer)
        writer.flush()
        return queries

    therapist = make_staff(clinic=clinic)
    at_risk(clinic, therapist)
    one = plan_nudges()
    for n in range(4):
        at_risk(clinic, therapist, email=f"p{n}@example.com")
    many = plan_nudges()

    assert len(many) == len(one) == 3
    assert Notification.objects.filter(kind=Kind.NUDGE).count() == 5
