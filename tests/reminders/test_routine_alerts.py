"""Routine clinical alerts reach the therapist in the clinic's working hours, and a
morning digest lists what is still open."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from patients import services as patient_services
from patients.models import ClinicalAlert
from practice.models import Role
from reminders import planner
from reminders.clinics import WorkingHours
from reminders.models import Channel, ClinicReminderSettings, Kind, Notification
from tests.factories import make_patient
from tests.reminders.fakes import RecordingTransport
from tests.reminders.staff_helpers import health_words, make_tick, staff, who

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)


def ny(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """January 2027 in New York: the 11th is a Monday, the 15th a Friday."""
    return datetime.datetime(2027, 1, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


@pytest.fixture(autouse=True)
def two_hour_horizon(settings):
    settings.REMINDERS_PLAN_HORIZON = 2 * HOUR


@pytest.fixture
def recording(settings):
    path = "tests.reminders.fakes.RecordingTransport"
    settings.REMINDERS_TRANSPORTS = {"email": path, "sms": path, "push": path}
    settings.REMINDERS_OUTBOX_FILE = ""
    RecordingTransport.sent = []
    return RecordingTransport


@pytest.fixture
def tick(recording, django_capture_on_commit_callbacks, monkeypatch):
    """Plan (as the 5-minute beat does) and then tick, at one instant."""
    run_tick = make_tick(recording, django_capture_on_commit_callbacks, monkeypatch)

    def plan_and_tick(at):
        planner.plan(now=at)
        return run_tick(at)

    return plan_and_tick


@pytest.fixture
def therapist(clinic):
    return staff(clinic, Role.PHYSICAL_THERAPIST, "pt.one")


@pytest.fixture
def colleague(clinic):
    return staff(clinic, Role.PHYSIATRIST, "md.two")


@pytest.fixture
def patient(clinic, therapist, colleague):
    return make_patient(clinic=clinic, primary_therapist=therapist)


def _raise(patient, at, kind=ClinicalAlert.Kind.PAIN_INCREASE) -> ClinicalAlert:
    with time_machine.travel(at, tick=False):
        return patient_services.alert_raise(
            patient=patient,
            kind=kind,
            severity=ClinicalAlert.Severity.ROUTINE,
            message="Leg pain rose from 3 to 6 during the prone press-up.",
        )


def _routine(messages):
    return [m for m in messages if m.kind == Kind.ROUTINE_ALERT]


@pytest.mark.parametrize(
    "kind",
    [
        ClinicalAlert.Kind.PAIN_INCREASE,
        ClinicalAlert.Kind.PERIPHERALIZATION,
        ClinicalAlert.Kind.NO_IMPROVEMENT,
        ClinicalAlert.Kind.EXERCISED_DURING_HOLD,
        ClinicalAlert.Kind.REFERRAL_NEEDED,
    ],
)
def test_an_alert_raised_in_working_hours_reaches_the_therapist_at_once(patient, tick, kind):
    alert = _raise(patient, ny(11, 10), kind)

    sent = _routine(tick(ny(11, 10, 5)))

    assert who(sent) == {("pt.one", "email")}
    assert f"/admin/patients/clinicalalert/{alert.pk}/change/" in sent[0].body
    assert health_words(sent) == []
    row = Notification.objects.get(kind=Kind.ROUTINE_ALERT)
    assert row.scheduled_for == alert.created_at
    assert _routine(tick(ny(11, 10, 10))) == []
    assert Notification.objects.filter(kind=Kind.ROUTINE_ALERT).count() == 1


def test_an_inactivity_alert_is_not_announced_again(patient, tick):
    _raise(patient, ny(11, 10), ClinicalAlert.Kind.INACTIVITY)

    assert _routine(tick(ny(11, 10, 5))) == []


def test_a_therapist_with_a_device_who_agreed_to_push_gets_a_push_instead(clinic, tick):
    pushed = staff(
        clinic, Role.PHYSICAL_THERAPIST, "pt.push", consent_push=True, device="pt-push-phone"
    )
    patient = make_patient(clinic=clinic, primary_therapist=pushed)
    _raise(patient, ny(11, 10))

    sent = _routine(tick(ny(11, 10, 5)))

    assert [(m.channel, m.to) for m in sent] == [(Channel.PUSH, "pt-push-phone")]
    assert health_words(sent) == []


def test_an_alert_raised_after_hours_waits_for_the_next_opening(patient, tick):
    _raise(patient, ny(11, 19))

    assert _routine(tick(ny(11, 19, 5))) == []
    assert _routine(tick(ny(12, 7, 59))) == []
    assert who(_routine(tick(ny(12, 8)))) == {("pt.one", "email")}


def test_an_alert_raised_on_friday_evening_waits_for_monday(patient, tick):
    _raise(patient, ny(15, 18, 30))
    tick(ny(15, 18, 35))

    row = Notification.objects.get(kind=Kind.ROUTINE_ALERT)
    assert row.scheduled_for == ny(18, 8)


def test_the_clinics_own_days_and_hours_decide(patient, tick, clinic):
    ClinicReminderSettings.objects.create(
        clinic=clinic,
        working_days=[0, 1, 2, 3, 4, 5],
        opens_at=datetime.time(9, 30),
        closes_at=datetime.time(13, 0),
    )
    _raise(patient, ny(15, 14))
    tick(ny(15, 14, 5))

    row = Notification.objects.get(kind=Kind.ROUTINE_ALERT)
    assert row.scheduled_for == ny(16, 9, 30)  # Saturday morning


def test_changing_the_clinics_hours_does_not_announce_an_alert_twice(patient, tick, clinic):
    _raise(patient, ny(11, 19))
    tick(ny(11, 19, 5))
    ClinicReminderSettings.objects.create(clinic=clinic, opens_at=datetime.time(7, 0))

    tick(ny(11, 19, 10))
    sent = _routine(tick(ny(12, 7)) + tick(ny(12, 8)))

    assert len(sent) == 1
    assert Notification.objects.filter(kind=Kind.ROUTINE_ALERT).count() == 1


def test_an_alert_acknowledged_before_the_opening_is_not_sent(patient, therapist, tick):
    alert = _raise(patient, ny(11, 19))
    tick(ny(11, 19, 5))
    with time_machine.travel(ny(11, 21), tick=False):
        patient_services.alert_acknowledge(alert=alert, staff_member=therapist)

    assert _routine(tick(ny(12, 8))) == []
    row = Notification.objects.get(kind=Kind.ROUTINE_ALERT)
    assert (row.status, row.last_error) == (
        Notification.Status.CANCELLED,
        "The alert has been acknowledged.",
    )


def test_without_a_primary_therapist_every_clinician_hears(clinic, therapist, colleague, tick):
    staff(clinic, Role.FRONT_DESK, "desk.one")
    staff(clinic, Role.CLINIC_ADMIN, "admin.one")
    _raise(make_patient(clinic=clinic), ny(11, 10))

    assert who(_routine(tick(ny(11, 10, 5)))) == {("pt.one", "email"), ("md.two", "email")}


# --- the morning digest ---------------------------------------------------------------


def _digests(messages):
    return [m for m in messages if m.kind == Kind.DIGEST]


def test_the_morning_digest_lists_what_is_open_once_at_the_opening(
    patient, therapist, colleague, tick
):
    first = _raise(patient, ny(10, 12))  # Sunday
    second = _raise(patient, ny(11, 7), ClinicalAlert.Kind.PERIPHERALIZATION)
    acknowledged = _raise(patient, ny(10, 13))
    patient_services.alert_acknowledge(alert=acknowledged, staff_member=therapist)

    assert _digests(tick(ny(11, 6, 30))) == []  # planned ahead, not sent early
    digest = Notification.objects.get(kind=Kind.DIGEST)
    assert (digest.staff, digest.scheduled_for) == (therapist, ny(11, 8))

    sent = _digests(tick(ny(11, 8)))
    later = _digests(tick(ny(11, 8, 5)) + tick(ny(11, 9)) + tick(ny(11, 12)))

    assert who(sent) == {("pt.one", "email")}
    body = sent[0].body
    assert f"clinicalalert/{first.pk}/change/" in body
    assert f"clinicalalert/{second.pk}/change/" in body
    assert f"clinicalalert/{acknowledged.pk}/change/" not in body
    assert "Sun 10 Jan 12:00" in body  # clinic time
    assert health_words(sent) == []
    assert later == []
    assert Notification.objects.filter(kind=Kind.DIGEST).count() == 1


def test_every_clinicians_digest_lists_the_alerts_of_patients_without_a_therapist(
    clinic, therapist, colleague, tick
):
    staff(clinic, Role.CLINIC_ADMIN, "admin.one")
    alert = _raise(make_patient(clinic=clinic), ny(11, 7))

    sent = _digests(tick(ny(11, 8)))

    assert who(sent) == {("pt.one", "email"), ("md.two", "email")}
    assert all(f"clinicalalert/{alert.pk}/change/" in m.body for m in sent)


def test_the_next_working_day_has_its_own_digest(patient, therapist, tick):
    alert = _raise(patient, ny(11, 7))
    tick(ny(11, 8))
    alert_two = _raise(patient, ny(11, 9))
    patient_services.alert_acknowledge(alert=alert, staff_member=therapist)

    sent = _digests(tick(ny(12, 8)))

    assert len(sent) == 1
    assert f"clinicalalert/{alert_two.pk}/change/" in sent[0].body
    assert f"clinicalalert/{alert.pk}/change/" not in sent[0].body


def test_no_digest_when_nothing_is_open_or_on_a_day_off(patient, therapist, tick):
    alert = _raise(patient, ny(11, 6))
    tick(ny(11, 6, 30))
    patient_services.alert_acknowledge(alert=alert, staff_member=therapist)

    assert _digests(tick(ny(11, 8))) == []
    digest = Notification.objects.get(kind=Kind.DIGEST)
    assert digest.last_error == "No alert is open any more."

    _raise(patient, ny(15, 20))  # Friday night; the weekend is off
    assert _digests(tick(ny(16, 8)) + tick(ny(17, 8))) == []
    assert len(_digests(tick(ny(18, 8)))) == 1


# --- working hours ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (ny(11, 10), ny(11, 10)),  # open: at once
        (ny(11, 7, 59), ny(11, 8)),
        (ny(11, 18), ny(12, 8)),  # closing time is closed
        (ny(15, 23), ny(18, 8)),
        (ny(16, 10), ny(18, 8)),  # Saturday
    ],
)
def test_next_opening(instant, expected):
    hours = WorkingHours(ClinicReminderSettings(), NEW_YORK)
    assert hours.next_opening(instant) == expected


def test_the_opening_follows_the_clinics_daylight_saving_time():
    hours = WorkingHours(ClinicReminderSettings(), NEW_YORK)
    saturday = datetime.datetime(2027, 3, 13, 12, 0, tzinfo=NEW_YORK)
    # Clocks go forward on Sunday 14 March 2027: 08:00 on Monday is 12:00 UTC, not 13:00.
    assert hours.next_opening(saturday) == datetime.datetime(2027, 3, 15, 12, 0, tzinfo=UTC)


def test_a_clinic_without_working_days_has_no_opening():
    assert (
        WorkingHours(ClinicReminderSettings(working_days=[]), NEW_YORK).next_opening(ny(11, 10))
        is None
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"opens_at": datetime.time(18, 0), "closes_at": datetime.time(8, 0)},
            "The clinic must open before it closes.",
        ),
        ({"working_days": [0, 7]}, "List the working days as numbers, 0 = Monday ... 6 = Sunday."),
        ({"working_days": "weekdays"}, "List the working days as numbers"),
        ({"working_days": [1, 1]}, "A working day is listed twice."),
        ({"escalation_minutes": 0}, "Ensure this value is greater than or equal to 1."),
    ],
)
def test_implausible_clinic_settings_are_refused(clinic, fields, message):
    settings = ClinicReminderSettings(clinic=clinic, **fields)
    with pytest.raises(ValidationError) as refused:
        settings.full_clean()
    assert message in " ".join(refused.value.messages)
