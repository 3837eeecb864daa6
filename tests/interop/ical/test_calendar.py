"""The feed's events, parsed back with icalendar: stable UID, growing SEQUENCE,
cancellations kept as CANCELLED, local times in the clinic's zone across DST, the
place, and no health detail anywhere."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from appointments import services as appointment_services
from appointments.cancel import appointment_cancel
from interop.ical.calendar import event_uid
from tests.factories import (
    issue_calendar_feed,
    make_appointment,
    make_diagnosis,
    make_patient,
    make_staff,
)

from .conftest import event_of, events, read_feed

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# Before both visits below; 2027's change to daylight time is on 14 March.
JANUARY = datetime.datetime(2027, 1, 4, 15, 0, tzinfo=datetime.UTC)


def make_start(days: int) -> datetime.datetime:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return now + datetime.timedelta(days=days)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=NEW_YORK)


def test_a_rescheduled_visit_keeps_its_uid_with_a_higher_sequence(feed_client, patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist)
    token = issue_calendar_feed(patient=patient).token
    _, before = read_feed(feed_client, token)
    first = event_of(before, event_uid(appointment.pk))

    appointment_services.appointment_reschedule(
        appointment=appointment,
        starts_at=appointment.starts_at + datetime.timedelta(hours=3),
        actor=therapist.user,
    )
    _, after = read_feed(feed_client, token)
    moved = event_of(after, event_uid(appointment.pk))

    assert str(moved["UID"]) == str(first["UID"]) == f"appointment-{appointment.pk}@127.0.0.1"
    assert moved["SEQUENCE"] > first["SEQUENCE"]
    assert moved.decoded("DTSTART") == first.decoded("DTSTART") + datetime.timedelta(hours=3)
    assert len(events(after)) == 1


def test_a_cancelled_visit_stays_in_the_feed_as_cancelled(feed_client, patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist)
    token = issue_calendar_feed(patient=patient).token
    _, before = read_feed(feed_client, token)

    appointment_cancel(appointment=appointment, reason="Therapist ill.", actor=therapist.user)
    _, after = read_feed(feed_client, token)

    was, now = (event_of(c, event_uid(appointment.pk)) for c in (before, after))
    assert (str(was["STATUS"]), str(now["STATUS"])) == ("TENTATIVE", "CANCELLED")
    assert now["SEQUENCE"] > was["SEQUENCE"]


def test_a_spanish_speaking_patients_calendar_says_cita(feed_client, patient, therapist):
    patient.language = "es"
    patient.save(update_fields=["language"])
    appointment = make_appointment(patient=patient, therapist=therapist)

    _, calendar = read_feed(feed_client, issue_calendar_feed(patient=patient).token)

    event = event_of(calendar, event_uid(appointment.pk))
    assert str(event["SUMMARY"]) == f"Cita - {patient.clinic.name}"
    assert str(calendar["X-WR-CALNAME"]) == f"Citas - {patient.clinic.name}"


def test_a_confirmed_visit_is_confirmed(feed_client, patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist)
    appointment_services.appointment_set_status(
        appointment=appointment, status="confirmed", actor=therapist.user
    )
    _, calendar = read_feed(feed_client, issue_calendar_feed(patient=patient).token)

    assert str(event_of(calendar, event_uid(appointment.pk))["STATUS"]) == "CONFIRMED"


def test_nine_in_new_york_stays_nine_on_both_sides_of_the_change_to_daylight_time(
    feed_client, patient, therapist
):
    with time_machine.travel(JANUARY, tick=False):
        winter = make_appointment(
            patient=patient, therapist=therapist, starts_at=_at(datetime.date(2027, 1, 20), 9)
        )
        spring = make_appointment(
            patient=patient, therapist=therapist, starts_at=_at(datetime.date(2027, 3, 17), 9)
        )
        body, calendar = read_feed(feed_client, issue_calendar_feed(patient=patient).token)

    for appointment in (winter, spring):
        start = event_of(calendar, event_uid(appointment.pk))["DTSTART"]
        assert start.params["TZID"] == "America/New_York"
        assert (start.dt.hour, start.dt.minute) == (9, 0)
        assert start.dt.utcoffset() == appointment.starts_at.astimezone(NEW_YORK).utcoffset()
    assert b"DTSTART;TZID=America/New_York:20270120T090000" in body
    assert b"DTSTART;TZID=America/New_York:20270317T090000" in body
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/New_York"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    # The UTC hour moved with the clocks: 14:00 in winter, 13:00 in daylight time.
    utc_hours = [a.starts_at.astimezone(datetime.UTC).hour for a in (winter, spring)]
    assert utc_hours == [14, 13]


def test_no_name_diagnosis_notes_kind_or_therapist_in_any_byte(feed_client, clinic):
    therapist = make_staff(clinic=clinic, username="pt.zwolinski")
    patient = make_patient(clinic=clinic, first_name="Wilhelmina", last_name="Quixote")
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    make_appointment(
        patient=patient,
        therapist=therapist,
        kind="re_evaluation",
        notes="Reassess the L5 radiculopathy; disc herniation on MRI.",
    )
    body, calendar = read_feed(feed_client, issue_calendar_feed(patient=patient).token)
    text = body.decode().replace("\r\n ", "")  # unfolded, so no word hides across a fold

    (event,) = events(calendar)
    assert str(event["SUMMARY"]) == f"Appointment - {patient.clinic.name}"
    for secret in (
        patient.first_name,
        patient.last_name,
        patient.full_name,
        patient.mrn,
        diagnosis.icd10_code,
        diagnosis.get_cause_display(),
        "radiculopathy",
        "herniation",
        "evaluation",
        therapist.user.last_name,
        str(therapist),
    ):
        assert secret.lower() not in text.lower(), secret


@pytest.mark.parametrize(
    ("visit", "expected"),
    [
        ({"location": "Room 2, second floor"}, "Room 2, second floor"),
        ({"telehealth_url": "https://video.example.com/r/abc"}, "https://video.example.com/r/abc"),
        ({}, "12 Main Street, Springfield"),
    ],
    ids=["set by staff", "video visit", "the clinic's address"],
)
def test_the_location_is_where_to_go(feed_client, patient, therapist, visit, expected):
    patient.clinic.address = "12 Main Street, Springfield"
    patient.clinic.save(update_fields=["address"])
    appointment = make_appointment(patient=patient, therapist=therapist, **visit)

    _, calendar = read_feed(feed_client, issue_calendar_feed(patient=patient).token)

    assert str(event_of(calendar, event_uid(appointment.pk))["LOCATION"]) == expected


VIDEO_ROOM = "https://video.example.com/r/jane-doe-follow-up"


def test_a_clinicians_feed_says_video_visit_without_the_rooms_url(feed_client, patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist, telehealth_url=VIDEO_ROOM)

    body, calendar = read_feed(feed_client, issue_calendar_feed(staff=therapist).token)

    event = event_of(calendar, event_uid(appointment.pk))
    assert str(event["LOCATION"]) == "Video visit"
    assert "URL" not in event
    assert b"video.example.com" not in body


def test_the_patients_own_feed_keeps_the_video_rooms_url(feed_client, patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist, telehealth_url=VIDEO_ROOM)

    _, calendar = read_feed(feed_client, issue_calendar_feed(patient=patient).token)

    event = event_of(calendar, event_uid(appointment.pk))
    assert (str(event["LOCATION"]), str(event["URL"])) == (VIDEO_ROOM, VIDEO_ROOM)


def test_a_clinicians_feed_is_their_schedule_without_the_patients_names(
    feed_client, patient, same_clinic_patient, therapist
):
    mine = [
        make_appointment(patient=p, therapist=therapist, starts_at=make_start(days))
        for p, days in ((patient, 2), (same_clinic_patient, 3))
    ]
    make_appointment(patient=patient, starts_at=make_start(4))  # another clinician's

    body, calendar = read_feed(feed_client, issue_calendar_feed(staff=therapist).token)

    assert {str(e["UID"]) for e in events(calendar)} == {event_uid(a.pk) for a in mine}
    assert patient.last_name.encode() not in body
    assert same_clinic_patient.first_name.encode() not in body


def test_visits_outside_the_window_are_left_out(feed_client, patient, therapist):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=120), tick=False):
        old = make_appointment(patient=patient, therapist=therapist)
    near = make_appointment(patient=patient, therapist=therapist)
    far = make_appointment(patient=patient, therapist=therapist, starts_at=make_start(days=400))

    _, calendar = read_feed(feed_client, issue_calendar_feed(patient=patient).token)

    uids = {str(e["UID"]) for e in events(calendar)}
    assert uids == {event_uid(near.pk)}
    assert event_uid(old.pk) not in uids
    assert event_uid(far.pk) not in uids
