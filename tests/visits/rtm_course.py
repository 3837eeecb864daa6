"""A monitored patient's December 2026, as the RTM watch and nudge tests build it: a
program begun on 30 November, monitoring from 1 December (its first period ends on
30 December), and the days the app sent a session."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine

from patients.models import Patient
from practice.models import StaffMember
from tests.factories import make_diagnosis, make_prescription, make_rtm_episode, make_session
from visits.rtm_models import RtmEpisode

D = datetime.date
MONITORED_FROM = D(2026, 12, 1)
PERIOD_ENDS = D(2026, 12, 30)


def at(day: datetime.date, hour: int, minute: int = 0, *, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZoneInfo(zone))


def monitored(patient: Patient, therapist: StaffMember) -> RtmEpisode:
    """A program from 30 November and monitoring from 1 December, in the patient's days."""
    zone = patient.time_zone
    with time_machine.travel(at(D(2026, 11, 30), 9, zone=zone), tick=False):
        diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    with time_machine.travel(at(MONITORED_FROM, 9, zone=zone), tick=False):
        return make_rtm_episode(patient=patient, therapist=therapist, starts_on=MONITORED_FROM)


def sessions_on(patient: Patient, days: list[datetime.date]) -> None:
    """A session at 18:00 of the patient's own day on each of `days`."""
    for day in days:
        moment = at(day, 18, zone=patient.time_zone)
        with time_machine.travel(moment + datetime.timedelta(minutes=30), tick=False):
            make_session(patient=patient, performed_at=moment)
