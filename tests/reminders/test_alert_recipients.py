"""Alerts reach the clinicians and clinic admins of the patient's clinic only: a primary
therapist who moved to another clinic, changed role or can no longer log in is covered
by the clinic's clinicians, at planning and again at delivery."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from patients import services as patient_services
from patients.models import ClinicalAlert
from practice.models import Role, StaffMember
from reminders import outbox, planner
from reminders.models import Kind, Notification, StaffContact
from tests.factories import make_patient
from tests.reminders.fakes import RecordingTransport
from tests.reminders.staff_helpers import make_tick, staff, who

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)
NEW_YORK = ZoneInfo("America/New_York")
T0 = datetime.datetime(2027, 1, 11, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in New York


def ny(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2027, 1, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


@pytest.fixture
def recording(settings):
    path = "tests.reminders.fakes.RecordingTransport"
    settings.REMINDERS_TRANSPORTS = {"email": path, "sms": path, "push": path}
    settings.REMINDERS_OUTBOX_FILE = ""
    settings.REMINDERS_PLAN_HORIZON = 2 * datetime.timedelta(hours=1)
    RecordingTransport.sent = []
    return RecordingTransport


@pytest.fixture
def tick(recording, django_capture_on_commit_callbacks, monkeypatch):
    run_tick = make_tick(recording, django_capture_on_commit_callbacks, monkeypatch)

    def plan_and_tick(at):
        planner.plan(now=at)
        return [m for m in run_tick(at) if m.kind != Kind.HOLD_GUIDANCE]

    return plan_and_tick


@pytest.fixture
def team(clinic, other_clinic):
    return {
        "primary": staff(clinic, Role.PHYSICAL_THERAPIST, "pt.one"),
        "colleague": staff(clinic, Role.PHYSIATRIST, "md.two"),
        "admin": staff(clinic, Role.CLINIC_ADMIN, "admin.one"),
        "elsewhere": staff(other_clinic, Role.PHYSICAL_THERAPIST, "pt.elsewhere"),
    }


@pytest.fixture
def patient(clinic, team):
    return make_patient(clinic=clinic, primary_therapist=team["primary"])


def _move(member: StaffMember, **fields) -> None:
    StaffMember.objects.filter(pk=member.pk).update(**fields)


def _red_flag(patient) -> ClinicalAlert:
    with time_machine.travel(T0, tick=False):
        patient_services.red_flag_screen(patient=patient, flags={"foot_drop": True})
    return patient.alerts.get()


def _routine(patient, at) -> ClinicalAlert:
    with time_machine.travel(at, tick=False):
        return patient_services.alert_raise(
            patient=patient,
            kind=ClinicalAlert.Kind.PAIN_INCREASE,
            severity=ClinicalAlert.Severity.ROUTINE,
            message="Leg pain rose.",
        )


def test_an_urgent_alert_skips_a_primary_therapist_now_at_another_clinic(
    patient, team, other_clinic, tick
):
    _move(team["primary"], clinic=other_clinic)
    _red_flag(patient)
    # An alert at the new clinic too, so the planner reads the moved therapist's row.
    _red_flag(make_patient(clinic=other_clinic, primary_therapist=team["elsewhere"]))

    assert who(tick(T0)) == {("md.two", "email"), ("pt.elsewhere", "email")}
    assert who(tick(T0 + 15 * MINUTE)) == {
        ("md.two", "email"),
        ("admin.one", "email"),
        ("pt.elsewhere", "email"),
        ("pt.one", "email"),  # for the alert of their new clinic only
    }
    assert not Notification.objects.filter(staff=team["primary"], clinic=patient.clinic).exists()


def test_an_urgent_alert_skips_a_primary_therapist_now_at_the_front_desk(patient, team, tick):
    _move(team["primary"], role=Role.FRONT_DESK)
    _red_flag(patient)

    assert who(tick(T0)) == {("md.two", "email")}
    assert who(tick(T0 + 15 * MINUTE)) == {("md.two", "email"), ("admin.one", "email")}


def test_a_primary_therapist_now_a_clinic_admin_hears_with_the_admins(patient, team, tick):
    _move(team["primary"], role=Role.CLINIC_ADMIN)
    _red_flag(patient)

    assert who(tick(T0)) == {("md.two", "email")}  # a clinician first
    assert who(tick(T0 + 15 * MINUTE)) == {
        ("md.two", "email"),
        ("admin.one", "email"),
        ("pt.one", "email"),
    }


def test_an_escalation_to_someone_who_moved_clinic_since_it_was_planned_is_not_sent(
    patient, team, other_clinic, recording
):
    _red_flag(patient)
    at = T0 + 15 * MINUTE
    planner.plan_urgent(now=at)
    with transaction.atomic():
        claimed = outbox.notifications_claim_due(now=at, limit=100)
    _move(team["colleague"], clinic=other_clinic)

    for pk in claimed:
        outbox.notification_deliver(notification_id=pk, now=at)

    row = Notification.objects.get(kind=Kind.ESCALATION, staff=team["colleague"])
    assert (row.status, row.last_error) == (
        Notification.Status.CANCELLED,
        f"{team['colleague']} is not at the patient's clinic.",
    )
    sent = {m.to for m in recording.sent if m.kind == Kind.ESCALATION}
    assert sent == {"pt.one@example.com", "admin.one@example.com"}


def test_an_alert_to_someone_no_longer_a_clinician_is_not_sent(patient, team, recording):
    _red_flag(patient)
    planner.plan_urgent(now=T0)
    with transaction.atomic():
        claimed = outbox.notifications_claim_due(now=T0, limit=100)
    _move(team["primary"], role=Role.FRONT_DESK)

    for pk in claimed:
        outbox.notification_deliver(notification_id=pk, now=T0)

    row = Notification.objects.get(kind=Kind.URGENT_ALERT, staff=team["primary"])
    assert row.last_error == f"{team['primary']} is neither a clinician nor a clinic admin."
    assert [m for m in recording.sent if m.kind == Kind.URGENT_ALERT] == []


@pytest.mark.parametrize("change", ["front desk", "other clinic", "cannot log in"])
def test_a_routine_alert_and_the_digest_go_to_the_clinicians_when_the_primary_is_gone(
    patient, team, other_clinic, tick, change
):
    primary = team["primary"]
    if change == "front desk":
        _move(primary, role=Role.FRONT_DESK)
    elif change == "other clinic":
        _move(primary, clinic=other_clinic)
    else:
        primary.user.is_active = False
        primary.user.save(update_fields=["is_active"])
    alert = _routine(patient, ny(11, 10))
    # An alert at the other clinic too, so the planner reads a moved therapist's row.
    _routine(make_patient(clinic=other_clinic, primary_therapist=team["elsewhere"]), ny(11, 10))

    routine = [m for m in tick(ny(11, 10, 5)) if m.kind == Kind.ROUTINE_ALERT]
    digest = [m for m in tick(ny(12, 8)) if m.kind == Kind.DIGEST]

    assert who(routine) == {("md.two", "email"), ("pt.elsewhere", "email")}
    assert who(digest) == {("md.two", "email"), ("pt.elsewhere", "email")}
    (covering,) = [m for m in digest if m.to == "md.two@example.com"]
    assert f"clinicalalert/{alert.pk}/change/" in covering.body
    assert not Notification.objects.filter(staff=primary).exists()


def test_a_digest_lists_only_the_alerts_of_the_staff_members_clinic(
    patient, team, other_clinic, tick
):
    mine = _routine(patient, ny(11, 7))
    # No primary therapist: every clinician of that clinic, and of that clinic only.
    theirs = _routine(make_patient(clinic=other_clinic), ny(11, 7))

    digests = [m for m in tick(ny(11, 8)) if m.kind == Kind.DIGEST]

    assert who(digests) == {("pt.one", "email"), ("pt.elsewhere", "email")}
    by_staff = {
        Notification.objects.get(pk=m.notification_id).staff.user.username: m.body for m in digests
    }
    assert f"clinicalalert/{mine.pk}/change/" in by_staff["pt.one"]
    assert f"clinicalalert/{theirs.pk}/change/" not in by_staff["pt.one"]
    assert f"clinicalalert/{theirs.pk}/change/" in by_staff["pt.elsewhere"]
    assert f"clinicalalert/{mine.pk}/change/" not in by_staff["pt.elsewhere"]


def test_staff_who_cannot_log_in_or_have_no_address_are_skipped(patient, team, clinic, tick):
    gone = staff(clinic, Role.PHYSIATRIST, "md.gone")
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    staff(clinic, Role.PHYSIATRIST, "md.nomail", email=False)
    no_phone = staff(clinic, Role.CHIROPRACTOR, "dc.nophone", consent_email=False)
    # Agreed to texts once; the number has since been cleared in the database.
    StaffContact.objects.filter(staff=no_phone).update(consent_sms=True, phone="")
    _red_flag(patient)

    tick(T0)
    tick(T0 + 15 * MINUTE)

    told = set(Notification.objects.filter(kind=Kind.ESCALATION).values_list("staff", flat=True))
    assert told == {team["primary"].pk, team["colleague"].pk, team["admin"].pk}


def test_staff_deactivated_after_planning_are_not_sent_to(patient, team, recording):
    _red_flag(patient)
    planner.plan_urgent(now=T0)
    with transaction.atomic():
        claimed = outbox.notifications_claim_due(now=T0, limit=100)
    team["primary"].user.is_active = False
    team["primary"].user.save(update_fields=["is_active"])

    for pk in claimed:
        outbox.notification_deliver(notification_id=pk, now=T0)

    row = Notification.objects.get(kind=Kind.URGENT_ALERT, staff=team["primary"])
    assert row.last_error == f"{team['primary']} can no longer log in."
    assert [m for m in recording.sent if m.kind == Kind.URGENT_ALERT] == []


def test_an_urgent_alert_older_than_a_day_is_left_to_the_clinic(patient, team, tick):
    _red_flag(patient)

    assert tick(T0 + datetime.timedelta(hours=24, minutes=1)) == []
    assert not Notification.objects.filter(staff__isnull=False).exists()
