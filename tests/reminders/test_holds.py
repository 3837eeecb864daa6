"""A held patient: the program's messages stop, with the reason, and a medical hold sends
the emergency guidance once per hold on the patient's best channel, at any hour."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.db import connection

from patients import services as patient_services
from patients.models import Patient
from patients.services import EMERGENCY_GUIDANCE
from practice.models import Role
from reminders import outbox, planner, rules
from reminders.models import Channel, Device, Kind, Notification
from reminders.planner import holds
from tests.factories import make_diagnosis, make_patient, make_prescription, make_staff
from tests.reminders.fakes import RecordingTransport
from tests.reminders.staff_helpers import make_tick

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)
T0 = datetime.datetime(2027, 1, 11, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in New York
NIGHT = datetime.datetime(2027, 1, 12, 7, 0, tzinfo=UTC)  # 02:00 in New York
DIAGNOSIS_WORDS = ("herniat", "disc", "sciatica", "stenosis", "foot drop", "cauda")
HELD_KINDS = (Kind.EXERCISE, Kind.QUESTIONNAIRE, Kind.NUDGE, Kind.INACTIVITY_ALERT)


@pytest.fixture
def recording(settings):
    path = "tests.reminders.fakes.RecordingTransport"
    settings.REMINDERS_TRANSPORTS = {"email": path, "sms": path, "push": path}
    settings.REMINDERS_OUTBOX_FILE = ""
    RecordingTransport.sent = []
    return RecordingTransport


@pytest.fixture
def tick(recording, django_capture_on_commit_callbacks, monkeypatch):
    return make_tick(recording, django_capture_on_commit_callbacks, monkeypatch)


@pytest.fixture
def therapist(clinic):
    staff = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.one")
    staff.user.email = "pt.one@example.com"
    staff.user.save(update_fields=["email"])
    return staff


@pytest.fixture
def patient(clinic, therapist):
    patient = make_patient(
        clinic=clinic,
        primary_therapist=therapist,
        consent_email=True,
        consent_sms=True,
        consent_push=True,
    )
    Device.objects.create(patient=patient, token="patient-phone", platform="android")
    return patient


@pytest.fixture
def planned(patient, therapist):
    """One pending row of each kind a hold stops, and an appointment reminder."""
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    later = T0 + 30 * MINUTE

    def row(kind, source, **fields):
        return Notification.objects.create(
            clinic=patient.clinic,
            kind=kind,
            channel=Channel.EMAIL,
            source=source,
            scheduled_for=later,
            next_attempt_at=later,
            **({"patient": patient} | fields),
        )

    return {
        Kind.EXERCISE: row(Kind.EXERCISE, rules.prescription_source(prescription.pk)),
        Kind.QUESTIONNAIRE: row(Kind.QUESTIONNAIRE, f"questionnaire:{patient.pk}:odi:2027-01-11"),
        Kind.NUDGE: row(Kind.NUDGE, f"nudge:{patient.pk}:2027-01-08"),
        Kind.INACTIVITY_ALERT: row(
            Kind.INACTIVITY_ALERT,
            f"inactive:{patient.pk}:2027-01-04",
            patient=None,
            staff=therapist,
        ),
        Kind.APPOINTMENT: row(Kind.APPOINTMENT, "appointment:999:24h"),
    }


def _screen(patient, at=T0, **flags):
    with time_machine.travel(at, tick=False):
        return patient_services.red_flag_screen(patient=patient, flags=flags or {"foot_drop": True})


def _state(rows):
    return {kind: (row.status, row.last_error) for kind, row in _refreshed(rows).items()}


def _refreshed(rows):
    for row in rows.values():
        row.refresh_from_db()
    return rows


def test_a_medical_hold_cancels_the_programs_planned_messages_with_the_reason(
    patient, planned, tick
):
    _screen(patient)
    tick(T0 + MINUTE)

    cancelled = (Notification.Status.CANCELLED, rules.MEDICAL_HOLD_REASON)
    assert _state(planned) == {
        Kind.EXERCISE: cancelled,
        Kind.QUESTIONNAIRE: cancelled,
        Kind.NUDGE: cancelled,
        Kind.INACTIVITY_ALERT: cancelled,
        Kind.APPOINTMENT: (Notification.Status.PENDING, ""),  # the visit still stands
    }
    assert rules.MEDICAL_HOLD_REASON == (
        "The patient is on medical hold after a positive red-flag screen."
    )


def test_a_referral_hold_cancels_them_too_and_sends_no_emergency_text(patient, planned, tick):
    Patient.objects.filter(pk=patient.pk).update(referral_hold_since=T0)

    sent = tick(T0 + MINUTE)

    cancelled = (Notification.Status.CANCELLED, rules.REFERRAL_HOLD_REASON)
    state = _state(planned)
    assert [state[kind] for kind in HELD_KINDS] == [cancelled] * 4
    assert state[Kind.APPOINTMENT][0] == Notification.Status.PENDING
    assert rules.REFERRAL_HOLD_REASON == (
        "The patient is on hold until a physician has seen them (serious-pathology flag)."
    )
    assert sent == []
    assert not Notification.objects.filter(kind=Kind.HOLD_GUIDANCE).exists()


def test_other_patients_messages_are_left_alone(patient, planned, clinic, therapist, tick):
    other = make_patient(clinic=clinic, primary_therapist=therapist, consent_email=True)
    nudge = Notification.objects.create(
        clinic=clinic,
        patient=other,
        kind=Kind.NUDGE,
        channel=Channel.EMAIL,
        source=f"nudge:{other.pk}:2027-01-08",
        scheduled_for=T0 + 30 * MINUTE,
        next_attempt_at=T0 + 30 * MINUTE,
    )
    _screen(patient)
    tick(T0 + MINUTE)

    nudge.refresh_from_db()
    assert nudge.status == Notification.Status.PENDING


@pytest.mark.parametrize("hold", ["medical_hold_since", "referral_hold_since"])
def test_the_planner_plans_nothing_of_the_program_for_a_held_patient(
    patient, therapist, settings, hold
):
    settings.REMINDERS_PLAN_HORIZON = 2 * datetime.timedelta(hours=1)
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    with time_machine.travel(T0 - 10 * datetime.timedelta(days=1), tick=False):
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist, reminder_times=["10:30"])
    Patient.objects.filter(pk=patient.pk).update(**{hold: T0 - MINUTE})

    result = planner.plan(now=T0)

    assert [result.created_by_kind[kind] for kind in HELD_KINDS] == [0, 0, 0, 0]
    assert not Notification.objects.filter(kind__in=HELD_KINDS).exists()


def test_the_same_program_is_reminded_again_once_the_hold_is_lifted(patient, therapist, settings):
    settings.REMINDERS_PLAN_HORIZON = 2 * datetime.timedelta(hours=1)
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist, reminder_times=["10:30"])
    Patient.objects.filter(pk=patient.pk).update(referral_hold_since=T0 - MINUTE)
    assert planner.plan(now=T0).created_by_kind[Kind.EXERCISE] == 0

    Patient.objects.filter(pk=patient.pk).update(referral_hold_since=None)

    assert planner.plan(now=T0).created_by_kind[Kind.EXERCISE] == 1


def test_the_emergency_guidance_goes_once_by_push_even_at_night(patient, tick):
    _screen(patient, at=NIGHT)

    first = tick(NIGHT + 10 * datetime.timedelta(seconds=1))
    again = tick(NIGHT + MINUTE) + tick(NIGHT + 30 * MINUTE)
    planner.plan(now=NIGHT + 31 * MINUTE)

    guidance = [m for m in first if m.kind == Kind.HOLD_GUIDANCE]
    assert [(m.channel, m.to) for m in guidance] == [(Channel.PUSH, "patient-phone")]
    assert str(EMERGENCY_GUIDANCE) in guidance[0].body
    text = f"{guidance[0].subject} {guidance[0].body}".lower()
    assert [word for word in DIAGNOSIS_WORDS if word in text] == []
    assert [m for m in again if m.kind == Kind.HOLD_GUIDANCE] == []
    assert Notification.objects.filter(kind=Kind.HOLD_GUIDANCE).count() == 1


@pytest.mark.parametrize(
    ("consents", "device", "channel"),
    [
        ({"consent_push": True, "consent_sms": True, "consent_email": True}, True, Channel.PUSH),
        ({"consent_push": True, "consent_sms": True, "consent_email": True}, False, Channel.SMS),
        ({"consent_push": False, "consent_sms": True, "consent_email": True}, True, Channel.SMS),
        ({"consent_push": True, "consent_sms": False, "consent_email": True}, False, Channel.EMAIL),
        ({"consent_push": False, "consent_sms": False, "consent_email": False}, True, None),
    ],
)
def test_the_guidance_takes_the_best_channel_the_patient_agreed_to(
    patient, tick, consents, device, channel
):
    patient_services.patient_update(patient=patient, **consents)
    if not device:
        Device.objects.filter(patient=patient).delete()
    _screen(patient, at=NIGHT)

    sent = [m for m in tick(NIGHT + MINUTE) if m.kind == Kind.HOLD_GUIDANCE]

    assert [m.channel for m in sent] == ([channel] if channel else [])


def test_a_new_hold_after_a_clearance_gets_its_own_guidance(patient, therapist, tick):
    _screen(patient)
    tick(T0 + MINUTE)
    with time_machine.travel(T0 + 2 * datetime.timedelta(hours=1), tick=False):
        patient_services.medical_hold_clear(
            patient=patient, cleared_by=therapist, note="Seen in the ED; no compression."
        )
    later = T0 + 3 * datetime.timedelta(hours=1)
    _screen(patient, at=later, saddle_numbness=True)

    sent = [m for m in tick(later + MINUTE) if m.kind == Kind.HOLD_GUIDANCE]

    assert len(sent) == 1
    assert Notification.objects.filter(kind=Kind.HOLD_GUIDANCE).count() == 2


def test_guidance_for_a_hold_cleared_before_delivery_is_not_sent(patient, therapist, recording):
    _screen(patient)
    planner.plan_urgent(now=T0 + MINUTE)
    row = Notification.objects.get(kind=Kind.HOLD_GUIDANCE)
    with time_machine.travel(T0 + 2 * MINUTE, tick=False):
        patient_services.medical_hold_clear(
            patient=patient, cleared_by=therapist, note="False alarm."
        )
        Notification.objects.filter(pk=row.pk).update(status=Notification.Status.SENDING)

    assert outbox.notification_deliver(notification_id=row.pk, now=T0 + 2 * MINUTE) == "cancelled"
    row.refresh_from_db()
    assert row.last_error == "The medical hold this guidance was for has been cleared."


def test_a_second_planner_choosing_another_channel_cannot_add_a_second_guidance(patient):
    _screen(patient)
    planner.plan_urgent(now=T0 + MINUTE)
    (first,) = Notification.objects.filter(kind=Kind.HOLD_GUIDANCE)

    Notification.objects.bulk_create(
        [
            Notification(
                clinic=patient.clinic,
                patient=patient,
                kind=Kind.HOLD_GUIDANCE,
                channel=Channel.SMS if first.channel != Channel.SMS else Channel.EMAIL,
                source=first.source,
                scheduled_for=first.scheduled_for,
                next_attempt_at=first.scheduled_for,
            )
        ],
        ignore_conflicts=True,
    )

    assert Notification.objects.filter(kind=Kind.HOLD_GUIDANCE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_planners_at_the_same_moment_plan_the_guidance_once(patient, monkeypatch):
    """Both pass the "already planned?" read before either writes, and each picks a
    different channel (say a device was registered in between): one row all the same."""
    _screen(patient)
    barrier = threading.Barrier(2, timeout=30)
    channels = iter([Channel.PUSH, Channel.SMS])
    lock = threading.Lock()
    real = holds.emergency_channel

    def racing(patient, *, has_device):
        real(patient, has_device=has_device)
        with lock:
            channel = next(channels)
        barrier.wait()  # both have read that nothing is planned yet
        return channel

    monkeypatch.setattr(holds, "emergency_channel", racing)
    errors: list[BaseException] = []

    def run():
        try:
            planner.plan_urgent(now=T0 + MINUTE)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Notification.objects.filter(kind=Kind.HOLD_GUIDANCE).count() == 1


def test_the_guidance_is_not_held_back_by_the_daily_sms_cap(patient, tick, settings):
    settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY = 0
    Device.objects.filter(patient=patient).delete()
    _screen(patient)

    sent = [m for m in tick(T0 + MINUTE) if m.kind == Kind.HOLD_GUIDANCE]

    assert [m.channel for m in sent] == [Channel.SMS]


def test_a_hold_leaves_the_inactivity_alert_of_a_patient_whose_id_starts_alike(
    patient, therapist, tick
):
    """Inactivity alerts name their patient only in the source: patient 4's hold must not
    cancel patient 41's."""
    lookalike = Notification.objects.create(
        clinic=patient.clinic,
        staff=therapist,
        kind=Kind.INACTIVITY_ALERT,
        channel=Channel.EMAIL,
        source=f"inactive:{patient.pk}1:2027-01-04",
        scheduled_for=T0 + 30 * MINUTE,
        next_attempt_at=T0 + 30 * MINUTE,
    )
    _screen(patient)

    planner.plan_urgent(now=T0 + MINUTE)

    lookalike.refresh_from_db()
    assert lookalike.status == Notification.Status.PENDING
