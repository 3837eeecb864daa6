"""An urgent alert reaches the primary therapist on every channel at once, then the rest
of the clinic each escalation window until someone acknowledges or resolves it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from patients import services as patient_services
from practice.models import Role
from reminders import outbox, planner, services
from reminders.models import Channel, ClinicReminderSettings, Kind, Notification
from tests.factories import make_patient
from tests.reminders.fakes import RecordingTransport
from tests.reminders.staff_helpers import health_words, kinds, make_tick, staff, who

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)
T0 = datetime.datetime(2027, 1, 11, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in New York
PHONE = "+12025550101"


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
def team(clinic, other_clinic):
    """The primary therapist reachable everywhere, and colleagues who agreed to less."""
    return {
        "primary": staff(
            clinic,
            Role.PHYSICAL_THERAPIST,
            "pt.one",
            phone=PHONE,
            consent_sms=True,
            consent_push=True,
            device="pt-one-phone",
        ),
        # No contact row: email only.
        "physiatrist": staff(clinic, Role.PHYSIATRIST, "md.two"),
        # Declined email, agreed to SMS; has a phone registered but did not agree to push.
        "chiropractor": staff(
            clinic,
            Role.CHIROPRACTOR,
            "dc.three",
            phone="+12025550103",
            consent_email=False,
            consent_sms=True,
            device="dc-three-phone",
        ),
        # Agreed to push but has no device yet, and declined SMS.
        "trainer": staff(clinic, Role.ATHLETIC_TRAINER, "at.four", consent_push=True),
        # Agreed to nothing.
        "silent": staff(clinic, Role.PHYSICAL_THERAPIST, "pt.five", consent_email=False),
        "admin": staff(clinic, Role.CLINIC_ADMIN, "admin.one"),
        "desk": staff(clinic, Role.FRONT_DESK, "desk.one"),
        "elsewhere": staff(other_clinic, Role.PHYSICAL_THERAPIST, "pt.elsewhere"),
    }


@pytest.fixture
def red_flag(team):
    """A foot drop screened at T0: the urgent alert."""
    patient = make_patient(clinic=team["primary"].clinic, primary_therapist=team["primary"])
    with time_machine.travel(T0, tick=False):
        patient_services.red_flag_screen(
            patient=patient, flags={"foot_drop": True}, screened_by=team["physiatrist"]
        )
    return patient.alerts.get()


def _staff_only(messages):
    return [m for m in messages if m.kind != Kind.HOLD_GUIDANCE]


def test_the_escalation_timeline_stops_at_the_acknowledgement(team, red_flag, tick):
    at_0 = _staff_only(tick(T0 + 10 * datetime.timedelta(seconds=1)))
    assert who(at_0) == {("pt.one", "email"), ("pt.one", "sms"), ("pt.one", "push")}
    assert kinds(at_0) == {Kind.URGENT_ALERT}
    assert {m.to for m in at_0} == {"pt.one@example.com", PHONE, "pt-one-phone"}

    assert _staff_only(tick(T0 + 14 * MINUTE)) == []  # still inside the window

    at_15 = _staff_only(tick(T0 + 15 * MINUTE))
    assert who(at_15) == {
        ("pt.one", "email"),
        ("pt.one", "sms"),
        ("pt.one", "push"),
        ("md.two", "email"),
        ("dc.three", "sms"),
        ("at.four", "email"),
        ("admin.one", "email"),
    }
    assert kinds(at_15) == {Kind.ESCALATION}

    with time_machine.travel(T0 + 20 * MINUTE, tick=False):
        patient_services.alert_acknowledge(alert=red_flag, staff_member=team["physiatrist"])

    assert _staff_only(tick(T0 + 30 * MINUTE)) == []
    assert _staff_only(tick(T0 + 45 * MINUTE)) == []
    assert health_words(at_0 + at_15) == []


def test_without_an_acknowledgement_it_escalates_again_every_window(team, red_flag, tick):
    tick(T0)
    tick(T0 + 15 * MINUTE)

    at_30 = _staff_only(tick(T0 + 30 * MINUTE))

    assert kinds(at_30) == {Kind.ESCALATION}
    assert ("admin.one", "email") in who(at_30)
    assert len(at_30) == 7
    sources = Notification.objects.filter(kind=Kind.ESCALATION, staff=team["admin"])
    assert sorted(sources.values_list("source", flat=True)) == [
        f"escalation:{red_flag.pk}:1:{team['admin'].pk}",
        f"escalation:{red_flag.pk}:2:{team['admin'].pk}",
    ]


def test_a_late_tick_sends_the_latest_round_only(team, red_flag, tick):
    sent = _staff_only(tick(T0 + 47 * MINUTE))

    assert kinds(sent) == {Kind.URGENT_ALERT, Kind.ESCALATION}
    rounds = set(
        Notification.objects.filter(kind=Kind.ESCALATION).values_list("scheduled_for", flat=True)
    )
    assert rounds == {T0 + 45 * MINUTE}


def test_the_window_is_the_clinics_setting(team, red_flag, tick, clinic):
    ClinicReminderSettings.objects.create(clinic=clinic, escalation_minutes=5)
    tick(T0)

    assert _staff_only(tick(T0 + 4 * MINUTE)) == []
    assert kinds(_staff_only(tick(T0 + 5 * MINUTE))) == {Kind.ESCALATION}


def test_a_zero_window_stored_by_hand_escalates_each_minute_instead_of_failing(
    team, red_flag, tick, clinic
):
    ClinicReminderSettings.objects.create(clinic=clinic)
    ClinicReminderSettings.objects.filter(clinic=clinic).update(escalation_minutes=0)
    tick(T0)

    assert kinds(_staff_only(tick(T0 + MINUTE))) == {Kind.ESCALATION}


def test_acknowledging_cancels_the_escalation_already_planned(team, red_flag, tick):
    tick(T0)
    planner.plan_urgent(now=T0 + 15 * MINUTE)  # planned, not yet dispatched
    planned = Notification.objects.filter(kind=Kind.ESCALATION)
    assert planned.count() == 7
    with time_machine.travel(T0 + 15 * MINUTE + 10 * datetime.timedelta(seconds=1)):
        patient_services.alert_acknowledge(alert=red_flag, staff_member=team["primary"])

    result = planner.plan_urgent(now=T0 + 16 * MINUTE)  # before any dispatcher sees them

    assert result.cancelled_by_kind[Kind.ESCALATION] == 7
    assert set(planned.values_list("status", "last_error")) == {
        (Notification.Status.CANCELLED, "The alert has been acknowledged.")
    }
    assert _staff_only(tick(T0 + 16 * MINUTE)) == []


def test_resolving_the_alert_stops_the_escalation(team, red_flag, tick):
    tick(T0)
    with time_machine.travel(T0 + 5 * MINUTE, tick=False):
        patient_services.alerts_resolve(
            patient=red_flag.patient,
            kind=red_flag.kind,
            resolved_by=team["primary"],
            note="Seen in the emergency department; no compression.",
        )

    assert _staff_only(tick(T0 + 15 * MINUTE)) == []
    assert _staff_only(tick(T0 + 30 * MINUTE)) == []
    assert not Notification.objects.filter(kind=Kind.ESCALATION).exists()


def test_a_claimed_escalation_of_a_since_resolved_alert_is_not_sent(team, red_flag, recording):
    at = T0 + 15 * MINUTE
    planner.plan_urgent(now=at)
    with transaction.atomic():
        claimed = outbox.notifications_claim_due(now=at, limit=100)
    patient_services.alerts_resolve(
        patient=red_flag.patient, kind=red_flag.kind, resolved_by=team["primary"], note="Cleared."
    )
    outcomes = {outbox.notification_deliver(notification_id=pk, now=at) for pk in claimed}

    assert outcomes == {"cancelled"}
    assert [m for m in recording.sent if m.kind != Kind.HOLD_GUIDANCE] == []
    escalations = Notification.objects.filter(kind=Kind.ESCALATION)
    assert set(escalations.values_list("last_error", flat=True)) == {"The alert has been resolved."}


def test_a_withdrawn_consent_stops_that_channel_at_delivery(team, red_flag, recording):
    planner.plan_urgent(now=T0)
    with transaction.atomic():
        claimed = outbox.notifications_claim_due(now=T0, limit=100)
    primary = team["primary"]
    services.staff_contact_update(
        staff=primary, actor=primary.user, phone=PHONE, consent_sms=False, consent_push=True
    )
    for pk in claimed:
        outbox.notification_deliver(notification_id=pk, now=T0)

    sms = Notification.objects.get(staff=primary, channel=Channel.SMS)
    assert sms.status == Notification.Status.CANCELLED
    assert sms.last_error == f"{primary} has not agreed to alerts by SMS."
    assert who([m for m in recording.sent if m.kind == Kind.URGENT_ALERT]) == {
        ("pt.one", "email"),
        ("pt.one", "push"),
    }


def test_staff_texts_are_not_held_back_by_the_patients_daily_sms_cap(
    team, red_flag, tick, settings
):
    settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY = 0

    sent = tick(T0)

    assert ("pt.one", "sms") in who(_staff_only(sent))
    assert [m.kind for m in sent if m.channel == Channel.SMS] == [Kind.URGENT_ALERT]


def test_with_no_primary_therapist_every_clinician_hears_at_once(team, tick, clinic):
    patient = make_patient(clinic=clinic)
    with time_machine.travel(T0, tick=False):
        patient_services.red_flag_screen(patient=patient, flags={"bowel_bladder_dysfunction": True})

    assert who(_staff_only(tick(T0))) == {
        ("pt.one", "email"),
        ("pt.one", "sms"),
        ("pt.one", "push"),
        ("md.two", "email"),
        ("dc.three", "sms"),
        ("at.four", "email"),
    }


def test_planning_urgent_alerts_reads_the_same_for_one_alert_as_for_ten(team, clinic):
    def raise_alerts(n: int) -> None:
        for _ in range(n):
            patient = make_patient(clinic=clinic, primary_therapist=team["primary"])
            with time_machine.travel(T0, tick=False):
                patient_services.red_flag_screen(patient=patient, flags={"foot_drop": True})

    def count(at) -> int:
        with CaptureQueriesContext(connection) as queries:
            planner.plan_urgent(now=at)
        return len(queries)

    raise_alerts(1)
    one = count(T0 + 15 * MINUTE)
    Notification.objects.all().delete()
    raise_alerts(9)
    assert count(T0 + 15 * MINUTE) == one


def test_resolving_cancels_the_escalation_already_planned(team, red_flag, tick):
    tick(T0)
    planner.plan_urgent(now=T0 + 15 * MINUTE)  # planned, not yet dispatched
    with time_machine.travel(T0 + 15 * MINUTE + 10 * datetime.timedelta(seconds=1)):
        patient_services.alerts_resolve(
            patient=red_flag.patient, kind=red_flag.kind, resolved_by=team["primary"], note="Seen."
        )

    result = planner.plan_urgent(now=T0 + 16 * MINUTE)

    assert result.cancelled_by_kind[Kind.ESCALATION] == 7
    planned = Notification.objects.filter(kind=Kind.ESCALATION)
    assert set(planned.values_list("status", "last_error")) == {
        (Notification.Status.CANCELLED, "The alert has been resolved.")
    }
