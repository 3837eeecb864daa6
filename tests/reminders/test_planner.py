"""The reminder planner: outbox rows for the coming window, in each patient's own zone."""

from __future__ import annotations

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine

from patients import services as patient_services
from patients.models import ClinicalAlert, Patient
from practice import services as practice_services
from practice.models import Role
from programs import services as program_services
from programs.models import PainExtent, Prescription
from reminders.models import Channel, ClinicReminderSettings, Device, Kind, Notification
from reminders.planner import plan, plan_urgent_alerts
from reminders.rules import local_instant
from tests.factories import make_diagnosis, make_patient, make_prescription, make_staff

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
H = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# A Monday, 10:00 in New York: awake, and nowhere near a DST change.
MONDAY = datetime.datetime(2027, 1, 11, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def two_hour_horizon(settings):
    settings.REMINDERS_PLAN_HORIZON = 2 * H


@pytest.fixture
def therapist(clinic):
    staff = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.one")
    staff.user.email = "pt.one@example.com"
    staff.user.save(update_fields=["email"])
    return staff


def _patient(clinic, therapist, **fields) -> Patient:
    fields.setdefault("consent_email", True)
    return make_patient(clinic=clinic, primary_therapist=therapist, **fields)


def _prescribe(patient, therapist, **kwargs) -> Prescription:
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist, **kwargs)


def _rows(kind=Kind.EXERCISE, **filters):
    return list(Notification.objects.filter(kind=kind, **filters).order_by("scheduled_for"))


def _local(rows, tz: ZoneInfo) -> list[str]:
    return [f"{row.scheduled_for.astimezone(tz):%Y-%m-%d %H:%M%z}" for row in rows]


def _local_at(tz: ZoneInfo, day: datetime.date, hhmm: str) -> datetime.datetime:
    instant = local_instant(tz, day, datetime.time.fromisoformat(hhmm))
    assert instant is not None
    return instant


# --- exactly one reminder per intended local time, across DST --------------------------

# (zone, transition day, reminder times, local instants expected that day)
DST_CASES = [
    pytest.param(
        "America/New_York",
        datetime.date(2027, 3, 14),
        ["01:30", "02:30", "08:00"],
        ["01:30-0500", "03:00-0400", "08:00-0400"],  # 02:30 does not exist: 03:00
        id="new-york-spring-forward",
    ),
    pytest.param(
        "America/New_York",
        datetime.date(2027, 11, 7),
        ["01:30", "02:30", "08:00"],
        ["01:30-0400", "02:30-0500", "08:00-0500"],  # 01:30 happens twice: the first
        id="new-york-fall-back",
    ),
    pytest.param(
        "Europe/London",
        datetime.date(2027, 3, 28),
        ["01:30", "02:30", "08:00"],
        ["02:00+0100", "02:30+0100", "08:00+0100"],  # 01:30 does not exist: 02:00
        id="london-spring-forward",
    ),
    pytest.param(
        "Europe/London",
        datetime.date(2027, 10, 31),
        ["01:30", "02:30", "08:00"],
        ["01:30+0100", "02:30+0000", "08:00+0000"],
        id="london-fall-back",
    ),
    pytest.param(
        "Australia/Lord_Howe",
        datetime.date(2027, 10, 3),
        ["01:45", "02:15", "08:00"],
        ["01:45+1030", "02:30+1100", "08:00+1100"],  # a 30-minute gap: 02:15 -> 02:30
        id="lord-howe-spring-forward",
    ),
    pytest.param(
        "Australia/Lord_Howe",
        datetime.date(2027, 4, 4),
        ["01:45", "02:15", "08:00"],
        ["01:45+1100", "02:15+1030", "08:00+1030"],  # 01:30-02:00 twice: the first
        id="lord-howe-fall-back",
    ),
]


def _expected_days(tz, day, times, transition_day):
    before = [f"{_local_at(tz, day - DAY, t).astimezone(tz):%Y-%m-%d %H:%M%z}" for t in times]
    during = [f"{day:%Y-%m-%d} {local}" for local in transition_day]
    after = [f"{_local_at(tz, day + DAY, t).astimezone(tz):%Y-%m-%d %H:%M%z}" for t in times]
    return before + during + after


def test_the_dst_transition_dates_are_the_ones_the_cases_assume():
    def offsets(zone, day):
        tz = ZoneInfo(zone)
        start = datetime.datetime.combine(day, datetime.time(), tzinfo=tz)
        return {(start + H * n).astimezone(tz).utcoffset() for n in range(0, 24)}

    for case in DST_CASES:
        zone, day = case.values[0], case.values[1]
        assert len(offsets(zone, day)) == 2, case.id
        assert len(offsets(zone, day - DAY)) == 1, case.id


@pytest.mark.parametrize(("zone", "day", "times", "transition_day"), DST_CASES)
def test_one_reminder_per_local_time_across_a_dst_change(
    clinic, therapist, zone, day, times, transition_day
):
    tz = ZoneInfo(zone)
    patient = _patient(clinic, therapist, time_zone=zone)
    _prescribe(patient, therapist, reminder_times=times)
    start = _local_at(tz, day - DAY, "00:00")

    # Every two hours for three days, as beat would: contiguous windows, each one
    # narrowed in SQL to the wall times that occur in it.
    now = start
    while now < start + 3 * DAY:
        plan(now=now, horizon=2 * H)
        now += 2 * H

    rows = _rows()
    assert _local(rows, tz) == _expected_days(tz, day, times, transition_day)
    assert {row.channel for row in rows} == {Channel.EMAIL}


@pytest.mark.parametrize(("zone", "day", "times", "transition_day"), DST_CASES)
def test_one_long_window_over_a_dst_change_plans_the_same_reminders(
    clinic, therapist, zone, day, times, transition_day
):
    tz = ZoneInfo(zone)
    patient = _patient(clinic, therapist, time_zone=zone)
    _prescribe(patient, therapist, reminder_times=times)

    plan(now=_local_at(tz, day - DAY, "00:00"), horizon=3 * DAY)

    assert _local(_rows(), tz) == _expected_days(tz, day, times, transition_day)


def test_reminders_follow_the_prescribed_weekdays(clinic, therapist):
    patient = _patient(clinic, therapist)
    _prescribe(patient, therapist, weekdays=[0, 2], reminder_times=["10:30"])  # Mon, Wed

    plan(now=MONDAY, horizon=7 * DAY)

    assert _local(_rows(), NEW_YORK) == ["2027-01-11 10:30-0500", "2027-01-13 10:30-0500"]


def test_rows_are_pending_and_due_at_their_time(clinic, therapist):
    patient = _patient(clinic, therapist)
    prescription = _prescribe(patient, therapist, reminder_times=["11:00"])

    plan(now=MONDAY, horizon=2 * H)

    (row,) = _rows()
    assert row.scheduled_for == datetime.datetime(2027, 1, 11, 16, 0, tzinfo=UTC)
    assert row.next_attempt_at == row.scheduled_for
    assert row.status == Notification.Status.PENDING
    assert (row.clinic, row.patient, row.staff) == (clinic, patient, None)
    assert row.source == f"prescription:{prescription.pk}"


def test_the_window_includes_its_start_and_excludes_its_end(clinic, therapist):
    patient = _patient(clinic, therapist)
    _prescribe(patient, therapist, reminder_times=["10:00", "12:00"])

    plan(now=MONDAY, horizon=2 * H)  # 10:00 to 12:00 New York time

    assert _local(_rows(), NEW_YORK) == ["2027-01-11 10:00-0500"]


def test_planning_twice_creates_nothing_new(clinic, therapist):
    patient = _patient(clinic, therapist)
    _prescribe(patient, therapist, reminder_times=["10:30", "11:30"])
    practice_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=MONDAY + 25 * H
    )

    first = plan(now=MONDAY)
    count = Notification.objects.count()
    second = plan(now=MONDAY)

    assert first.created_by_kind[Kind.EXERCISE] == 2
    assert first.created_by_kind[Kind.APPOINTMENT] == 1
    assert second.created == 0
    assert Notification.objects.count() == count


def test_a_later_overlapping_window_adds_only_the_new_reminders(clinic, therapist):
    patient = _patient(clinic, therapist)
    _prescribe(patient, therapist, reminder_times=["10:30", "11:30", "12:30"])

    plan(now=MONDAY, horizon=2 * H)
    later = plan(now=MONDAY + H, horizon=2 * H)

    assert later.created_by_kind[Kind.EXERCISE] == 1
    assert len(_rows()) == 3


# --- consent, channels and quiet hours -------------------------------------------------


def test_no_consented_channel_means_no_reminder(clinic, therapist):
    patient = _patient(clinic, therapist, consent_email=False)
    _prescribe(patient, therapist, reminder_times=["10:30"])

    plan(now=MONDAY)

    assert _rows() == []


def test_sms_only_consent_reminds_by_sms(clinic, therapist):
    patient = _patient(clinic, therapist, consent_email=False, consent_sms=True)
    _prescribe(patient, therapist, reminder_times=["10:30"])

    plan(now=MONDAY)

    assert [row.channel for row in _rows()] == [Channel.SMS]


def test_push_is_preferred_when_consented_and_a_device_is_registered(clinic, therapist):
    patient = _patient(clinic, therapist, consent_sms=True, consent_push=True)
    _prescribe(patient, therapist, reminder_times=["10:30"])
    other = _patient(clinic, therapist, consent_sms=True, consent_push=True)
    _prescribe(other, therapist, reminder_times=["10:30"])
    Device.objects.create(patient=patient, token="token-1", platform=Device.Platform.IOS)

    plan(now=MONDAY)

    channels = {row.patient_id: row.channel for row in _rows()}
    assert channels == {patient.pk: Channel.PUSH, other.pk: Channel.SMS}  # no device: SMS


def test_a_reminder_inside_quiet_hours_is_not_texted(clinic, therapist):
    patient = _patient(clinic, therapist, consent_email=False, consent_sms=True)
    _prescribe(patient, therapist, reminder_times=["07:00"])

    plan(now=MONDAY - 10 * H, horizon=12 * H)  # covers 07:00 New York

    assert _rows() == []


def test_a_reminder_inside_quiet_hours_falls_back_to_email(clinic, therapist):
    patient = _patient(clinic, therapist, consent_email=True, consent_sms=True)
    _prescribe(patient, therapist, reminder_times=["07:00", "09:00"])

    plan(now=MONDAY - 10 * H, horizon=12 * H)

    assert [(f"{r.scheduled_for.astimezone(NEW_YORK):%H:%M}", r.channel) for r in _rows()] == [
        ("07:00", Channel.EMAIL),
        ("09:00", Channel.SMS),
    ]


def test_the_patients_own_quiet_hours_count(clinic, therapist):
    patient = _patient(
        clinic,
        therapist,
        consent_email=False,
        consent_sms=True,
        quiet_hours_start=datetime.time(22, 0),
        quiet_hours_end=datetime.time(6, 30),
    )
    _prescribe(patient, therapist, reminder_times=["06:00", "07:00"])

    plan(now=MONDAY - 10 * H, horizon=12 * H)

    assert _local(_rows(), NEW_YORK) == ["2027-01-11 07:00-0500"]


# --- program state, hold, discharge, clinic settings -----------------------------------


def test_a_paused_program_gets_no_reminders_or_nudges(clinic, therapist):
    patient = _patient(clinic, therapist)
    prescription = _prescribe(patient, therapist, reminder_times=["10:30"])
    program_services.prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )

    plan(now=MONDAY + 30 * DAY)

    assert _rows() == []
    assert _rows(Kind.NUDGE) == []
    assert _rows(Kind.INACTIVITY_ALERT) == []


def test_a_patient_on_medical_hold_gets_appointment_reminders_only(clinic, therapist):
    patient = _patient(clinic, therapist)
    _prescribe(patient, therapist, reminder_times=["10:30"])
    practice_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=MONDAY + 30 * DAY + 25 * H
    )
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=MONDAY)

    plan(now=MONDAY + 30 * DAY)

    assert _rows() == []
    assert _rows(Kind.NUDGE) == []
    assert _rows(Kind.INACTIVITY_ALERT) == []
    assert len(_rows(Kind.APPOINTMENT)) == 1


@pytest.mark.parametrize("status", [Patient.Status.DISCHARGED, Patient.Status.ARCHIVED])
def test_a_discharged_or_archived_patient_gets_nothing(clinic, therapist, status):
    patient = _patient(clinic, therapist)
    _prescribe(patient, therapist, reminder_times=["10:30"])
    practice_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=MONDAY + 30 * DAY + 25 * H
    )
    patient_services.patient_set_status(patient=patient, status=status)

    result = plan(now=MONDAY + 30 * DAY, horizon=2 * DAY)

    assert result.created == 0
    assert Notification.objects.count() == 0


def test_a_clinic_can_turn_exercise_reminders_off(clinic, therapist):
    patient = _patient(clinic, therapist)
    _prescribe(patient, therapist, reminder_times=["10:30"])
    ClinicReminderSettings.objects.create(clinic=clinic, exercise_reminders=False)

    plan(now=MONDAY)

    assert _rows() == []


# --- appointments ----------------------------------------------------------------------


def _book(patient, therapist, starts_at):
    return practice_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=starts_at
    )


def test_an_appointment_is_reminded_24_and_2_hours_before(clinic, therapist):
    patient = _patient(clinic, therapist)
    appointment = _book(patient, therapist, MONDAY + 2 * DAY)

    plan(now=MONDAY + DAY - H)  # window holds the 24 h reminder only
    plan(now=MONDAY + 2 * DAY - 3 * H)  # and now the 2 h one

    rows = _rows(Kind.APPOINTMENT)
    assert [(row.source, row.scheduled_for) for row in rows] == [
        (f"appointment:{appointment.pk}:24h", appointment.starts_at - 24 * H),
        (f"appointment:{appointment.pk}:2h", appointment.starts_at - 2 * H),
    ]
    assert {row.channel for row in rows} == {Channel.EMAIL}


def test_appointment_lead_times_come_from_the_clinic(clinic, therapist):
    ClinicReminderSettings.objects.create(clinic=clinic, appointment_lead_hours=[48])
    patient = _patient(clinic, therapist)
    appointment = _book(patient, therapist, MONDAY + 3 * DAY)

    plan(now=MONDAY, horizon=3 * DAY)

    assert [row.source for row in _rows(Kind.APPOINTMENT)] == [f"appointment:{appointment.pk}:48h"]


def test_an_attended_appointment_is_not_reminded(clinic, therapist):
    patient = _patient(clinic, therapist)
    appointment = _book(patient, therapist, MONDAY + 25 * H)
    # Attendance is recorded once the visit has begun; a pass planning an earlier window
    # (a late or replayed run) must still leave it alone.
    with time_machine.travel(MONDAY + 25 * H + datetime.timedelta(minutes=5), tick=False):
        practice_services.appointment_set_status(
            appointment=appointment, status="attended", actor=therapist.user
        )

    plan(now=MONDAY)

    assert _rows(Kind.APPOINTMENT) == []


def test_cancelling_an_appointment_cancels_its_pending_reminders(clinic, therapist):
    patient = _patient(clinic, therapist)
    appointment = _book(patient, therapist, MONDAY + 25 * H)
    plan(now=MONDAY)
    practice_services.appointment_set_status(
        appointment=appointment, status="cancelled", actor=therapist.user
    )

    result = plan(now=MONDAY + datetime.timedelta(minutes=10))

    (row,) = _rows(Kind.APPOINTMENT)
    assert row.status == Notification.Status.CANCELLED
    assert row.last_error == "The appointment is cancelled."
    assert result.cancelled_by_kind[Kind.APPOINTMENT] == 1


def test_rescheduling_moves_the_reminders(clinic, therapist):
    patient = _patient(clinic, therapist)
    appointment = _book(patient, therapist, MONDAY + 25 * H)
    plan(now=MONDAY)
    practice_services.appointment_reschedule(
        appointment=appointment, starts_at=MONDAY + 25 * H + datetime.timedelta(minutes=30)
    )

    result = plan(now=MONDAY)

    old, new = _rows(Kind.APPOINTMENT)
    assert old.status == Notification.Status.CANCELLED
    assert old.last_error.startswith("The appointment was moved")
    assert new.status == Notification.Status.PENDING
    assert new.scheduled_for == MONDAY + H + datetime.timedelta(minutes=30)
    assert (
        result.cancelled_by_kind[Kind.APPOINTMENT],
        result.created_by_kind[Kind.APPOINTMENT],
    ) == (1, 1)


def test_an_appointment_moved_back_gets_its_reminder_back(clinic, therapist):
    patient = _patient(clinic, therapist)
    appointment = _book(patient, therapist, MONDAY + 25 * H)
    plan(now=MONDAY)
    moved = MONDAY + 25 * H + datetime.timedelta(minutes=30)
    practice_services.appointment_reschedule(appointment=appointment, starts_at=moved)
    plan(now=MONDAY)
    practice_services.appointment_reschedule(appointment=appointment, starts_at=MONDAY + 25 * H)

    result = plan(now=MONDAY)

    statuses = [(row.scheduled_for - MONDAY, row.status) for row in _rows(Kind.APPOINTMENT)]
    assert statuses == [
        (H, Notification.Status.PENDING),
        (H + datetime.timedelta(minutes=30), Notification.Status.CANCELLED),
    ]
    assert result.revived_by_kind[Kind.APPOINTMENT] == 1


def test_a_claimed_appointment_reminder_is_left_to_the_delivery_task(clinic, therapist):
    patient = _patient(clinic, therapist)
    appointment = _book(patient, therapist, MONDAY + 25 * H)
    plan(now=MONDAY)
    Notification.objects.update(status=Notification.Status.SENDING)
    practice_services.appointment_set_status(
        appointment=appointment, status="cancelled", actor=therapist.user
    )

    plan(now=MONDAY)

    assert [row.status for row in _rows(Kind.APPOINTMENT)] == [Notification.Status.SENDING]


# --- inactivity ------------------------------------------------------------------------


def _log_session(patient, prescription, performed_at):
    with time_machine.travel(performed_at, tick=False):
        program_services.session_log(
            patient=patient,
            client_id=uuid.uuid4(),
            performed_at=performed_at,
            pain_before=4,
            pain_after=3,
            pain_extent=PainExtent.BUTTOCK,
            exercises=[
                program_services.ExerciseDone(
                    prescribed_exercise_id=prescription.exercises.first().pk
                )
            ],
        )


@pytest.fixture
def idle_patient(clinic, therapist):
    """A patient with email consent whose last session was Monday 10:00 New York time."""
    with time_machine.travel(MONDAY - 7 * DAY, tick=False):
        patient = _patient(clinic, therapist)
        prescription = _prescribe(patient, therapist, reminder_times=["05:00"])
    _log_session(patient, prescription, MONDAY)
    return patient


def test_an_idle_patient_is_nudged_once_after_three_days(idle_patient):
    assert plan(now=MONDAY + 3 * DAY - H).created_by_kind[Kind.NUDGE] == 0
    assert plan(now=MONDAY + 3 * DAY).created_by_kind[Kind.NUDGE] == 1
    assert plan(now=MONDAY + 3 * DAY + H).created_by_kind[Kind.NUDGE] == 0
    assert plan(now=MONDAY + 5 * DAY).created_by_kind[Kind.NUDGE] == 0

    (nudge,) = _rows(Kind.NUDGE)
    assert nudge.source == f"nudge:{idle_patient.pk}:2027-01-11"
    assert (nudge.channel, nudge.scheduled_for) == (Channel.EMAIL, MONDAY + 3 * DAY)


def test_a_new_streak_gets_a_new_nudge(idle_patient):
    plan(now=MONDAY + 3 * DAY)
    prescription = idle_patient.prescriptions.get()
    _log_session(idle_patient, prescription, MONDAY + 4 * DAY)

    assert plan(now=MONDAY + 6 * DAY).created_by_kind[Kind.NUDGE] == 0
    assert plan(now=MONDAY + 7 * DAY).created_by_kind[Kind.NUDGE] == 1
    assert [row.source for row in _rows(Kind.NUDGE)] == [
        f"nudge:{idle_patient.pk}:2027-01-11",
        f"nudge:{idle_patient.pk}:2027-01-15",
    ]


def test_a_nudge_due_at_night_by_sms_waits_for_the_end_of_quiet_hours(clinic, therapist):
    with time_machine.travel(MONDAY - 7 * DAY, tick=False):
        patient = _patient(clinic, therapist, consent_email=False, consent_sms=True)
        prescription = _prescribe(patient, therapist, reminder_times=["05:00"])
    _log_session(patient, prescription, MONDAY)
    night = MONDAY + 3 * DAY + 13 * H  # 23:00 in New York

    plan(now=night)
    plan(now=night + H)

    (nudge,) = _rows(Kind.NUDGE)
    assert nudge.channel == Channel.SMS
    assert f"{nudge.scheduled_for.astimezone(NEW_YORK):%Y-%m-%d %H:%M}" == "2027-01-15 08:00"


def test_a_program_never_started_counts_from_its_start_date(clinic, therapist):
    with time_machine.travel(MONDAY, tick=False):
        patient = _patient(clinic, therapist)
        _prescribe(patient, therapist, reminder_times=["05:00"])  # starts 2027-01-11

    plan(now=MONDAY + 3 * DAY)

    (nudge,) = _rows(Kind.NUDGE)
    assert nudge.source == f"nudge:{patient.pk}:2027-01-11"


def test_the_therapist_is_told_once_after_seven_days(idle_patient, therapist):
    assert plan(now=MONDAY + 7 * DAY - H).created_by_kind[Kind.INACTIVITY_ALERT] == 0
    assert plan(now=MONDAY + 7 * DAY).created_by_kind[Kind.INACTIVITY_ALERT] == 1
    assert plan(now=MONDAY + 9 * DAY).created_by_kind[Kind.INACTIVITY_ALERT] == 0

    (alert,) = _rows(Kind.INACTIVITY_ALERT)
    assert (alert.staff, alert.patient, alert.channel) == (therapist, None, Channel.EMAIL)
    assert alert.source == f"inactive:{idle_patient.pk}:2027-01-11"
    assert len(_rows(Kind.NUDGE)) == 1


def test_no_therapist_alert_without_a_therapist_email(idle_patient, therapist):
    therapist.user.email = ""
    therapist.user.save(update_fields=["email"])

    plan(now=MONDAY + 8 * DAY)

    assert _rows(Kind.INACTIVITY_ALERT) == []
    assert len(_rows(Kind.NUDGE)) == 1


def test_inactivity_thresholds_come_from_the_clinic(idle_patient, clinic):
    ClinicReminderSettings.objects.create(
        clinic=clinic, nudge_after_days=5, therapist_alert_after_days=10
    )

    plan(now=MONDAY + 4 * DAY)
    assert _rows(Kind.NUDGE) == []
    plan(now=MONDAY + 5 * DAY)
    assert len(_rows(Kind.NUDGE)) == 1
    plan(now=MONDAY + 9 * DAY)
    assert _rows(Kind.INACTIVITY_ALERT) == []
    plan(now=MONDAY + 10 * DAY)
    assert len(_rows(Kind.INACTIVITY_ALERT)) == 1


# --- urgent clinical alerts ------------------------------------------------------------


def _urgent(patient) -> ClinicalAlert:
    return patient_services.alert_raise(
        patient=patient,
        kind=ClinicalAlert.Kind.RED_FLAG,
        severity=ClinicalAlert.Severity.URGENT,
        message="Red flags reported.",
    )


def test_an_urgent_alert_is_emailed_to_the_primary_therapist_at_once(clinic, therapist):
    patient = _patient(clinic, therapist)
    alert = _urgent(patient)
    now = alert.created_at + datetime.timedelta(seconds=30)

    assert plan_urgent_alerts(now=now) == 1
    assert plan_urgent_alerts(now=now + H) == 0

    (row,) = _rows(Kind.URGENT_ALERT)
    assert (row.staff, row.patient, row.channel) == (therapist, None, Channel.EMAIL)
    assert row.scheduled_for == row.next_attempt_at == alert.created_at
    assert row.source == f"alert:{alert.pk}:{therapist.pk}"


def test_an_urgent_alert_without_a_primary_therapist_goes_to_every_clinician(clinic, therapist):
    second = make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="md.two")
    second.user.email = "md.two@example.com"
    second.user.save(update_fields=["email"])
    make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="dc.noemail")
    desk = make_staff(clinic=clinic, role=Role.FRONT_DESK, username="desk.one")
    desk.user.email = "desk@example.com"
    desk.user.save(update_fields=["email"])
    patient = make_patient(clinic=clinic)
    _urgent(patient)

    plan_urgent_alerts(now=datetime.datetime.now(UTC))

    assert {row.staff for row in _rows(Kind.URGENT_ALERT)} == {therapist, second}


def test_urgent_alerts_ignore_quiet_hours_and_are_planned_by_plan_too(clinic, therapist):
    patient = _patient(clinic, therapist)
    with time_machine.travel(MONDAY + 13 * H, tick=False):  # 03:00 in New York
        _urgent(patient)

    result = plan(now=MONDAY + 13 * H + datetime.timedelta(minutes=1))

    assert result.created_by_kind[Kind.URGENT_ALERT] == 1


def test_acknowledged_routine_or_old_alerts_are_not_sent(clinic, therapist):
    patient = _patient(clinic, therapist)
    with time_machine.travel(MONDAY, tick=False):
        acknowledged = _urgent(patient)
        patient_services.alert_acknowledge(alert=acknowledged, staff_member=therapist)
        patient_services.alert_raise(
            patient=patient,
            kind=ClinicalAlert.Kind.PAIN_INCREASE,
            severity=ClinicalAlert.Severity.ROUTINE,
            message="Pain went up.",
        )
    with time_machine.travel(MONDAY - 2 * DAY, tick=False):
        _urgent(patient)

    assert plan_urgent_alerts(now=MONDAY + H) == 0


# --- scale -----------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_number_of_patients(
    clinic, therapist, django_assert_max_num_queries
):
    for n in range(30):
        patient = _patient(clinic, therapist, consent_push=n % 2 == 0, consent_sms=True)
        _prescribe(patient, therapist, reminder_times=["10:30"])
        _book(patient, therapist, MONDAY + 25 * H + n * H)
        if n % 2 == 0:
            Device.objects.create(patient=patient, token=f"t{n}", platform="android")

    # A fixed number per pass: holds, alerts and the digest add a few reads of their own.
    with django_assert_max_num_queries(23):
        result = plan(now=MONDAY)

    assert result.created_by_kind[Kind.EXERCISE] == 30
    assert result.created_by_kind[Kind.NUDGE] == 30
    assert {row.channel for row in _rows()} == {Channel.PUSH, Channel.SMS}


def test_only_prescriptions_with_a_time_in_the_window_are_read(clinic, therapist):
    from reminders.planner import _exercise_candidates, _Zones

    due = _prescribe(_patient(clinic, therapist), therapist, reminder_times=["07:00", "10:30"])
    _prescribe(_patient(clinic, therapist), therapist, reminder_times=["07:00", "20:00"])
    london = _patient(clinic, therapist, time_zone="Europe/London")
    due_in_london = _prescribe(london, therapist, reminder_times=["15:30"])  # 10:30 New York

    candidates = _exercise_candidates(now=MONDAY, end=MONDAY + 2 * H, zones=_Zones())

    assert set(Prescription.objects.filter(candidates)) == {due, due_in_london}
