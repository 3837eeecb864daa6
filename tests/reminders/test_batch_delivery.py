"""Delivering a batch of claimed rows: each row ends its own way, the provider's
Retry-After is respected, the cost does not grow with the batch, and the dispatcher
tells rows still queued from rows lost."""

from __future__ import annotations

import datetime
import itertools

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from patients.models import Patient
from practice.models import Role
from programs import services as program_services
from reminders import delivery, outbox
from reminders.channels import Message, TransportError
from reminders.models import Channel, DeliveryProgress, Kind, Notification
from tests.factories import (
    make_alert,
    make_device,
    make_diagnosis,
    make_notification,
    make_patient,
    make_prescription,
    make_staff,
)

pytestmark = pytest.mark.django_db

Status = Notification.Status
UTC = datetime.UTC
NOON_IN_NEW_YORK = datetime.datetime(2027, 1, 11, 17, 0, tzinfo=UTC)
MINUTE = datetime.timedelta(minutes=1)
_seconds = itertools.count()


class ScriptedTransport:
    """A provider stand-in for one process: records what it is given, or raises the
    error scripted for a recipient address."""

    sent: list[Message] = []
    errors: dict[str, Exception] = {}

    def send(self, message: Message) -> str:
        if message.to in ScriptedTransport.errors:
            raise ScriptedTransport.errors[message.to]
        ScriptedTransport.sent.append(message)
        return f"scripted-{message.notification_id}"


@pytest.fixture(autouse=True)
def transport(settings):
    path = f"{__name__}.ScriptedTransport"
    settings.REMINDERS_TRANSPORTS = {"email": path, "sms": path, "push": path}
    settings.REMINDERS_OUTBOX_FILE = ""
    ScriptedTransport.sent = []
    ScriptedTransport.errors = {}
    return ScriptedTransport


@pytest.fixture
def clinician(clinic):
    return make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.batch")


def texting_patient(clinic, clinician, n: int):
    patient = make_patient(
        clinic=clinic,
        primary_therapist=clinician,
        phone=f"+1202555{n:04d}",
        email=f"p{n}@example.com",
        consent_email=True,
        consent_sms=True,
        consent_push=True,
    )
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=clinician)
    return patient, make_prescription(diagnosis=diagnosis, prescribed_by=clinician)


def claimed(patient, prescription, *, channel=Channel.SMS, at=NOON_IN_NEW_YORK, **fields):
    """An exercise reminder the dispatcher has claimed (sending, not started)."""
    return make_notification(
        patient,
        channel=channel,
        at=at - MINUTE,
        # The planner's key is (source, scheduled_for, channel): a reminder per second.
        scheduled_for=at - MINUTE - datetime.timedelta(seconds=next(_seconds)),
        source=f"prescription:{prescription.pk}",
        status=fields.pop("status", Status.SENDING),
        claimed_at=at - MINUTE,
        **fields,
    )


def ends(row) -> tuple[str, str]:
    row.refresh_from_db()
    return row.status, row.last_error


@time_machine.travel(NOON_IN_NEW_YORK, tick=False)
@pytest.mark.parametrize("portable", [False, True], ids=["postgresql", "portable"])
def test_each_row_of_a_batch_ends_its_own_way_with_its_reason(
    clinic, clinician, transport, settings, monkeypatch, portable
):
    if portable:  # the statements SQLite runs (`make run`), here on PostgreSQL
        monkeypatch.setattr(delivery, "on_postgresql", lambda: False)
    settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY = 2
    texted, texted_program = texting_patient(clinic, clinician, 1)
    paused, paused_program = texting_patient(clinic, clinician, 2)
    held, held_program = texting_patient(clinic, clinician, 3)
    program_services.prescription_set_status(
        prescription=paused_program, status="paused", actor=clinician.user
    )
    Patient.objects.filter(pk=held.pk).update(medical_hold_since=NOON_IN_NEW_YORK - MINUTE)
    # One text went out this morning; the batch holds two more for the same patient.
    claimed(texted, texted_program, status=Status.SENT, sent_at=NOON_IN_NEW_YORK - 2 * MINUTE)
    first, over_cap = (claimed(texted, texted_program) for _ in range(2))
    sent_meanwhile = claimed(texted, texted_program, channel=Channel.EMAIL)
    Notification.objects.filter(pk=sent_meanwhile.pk).update(status=Status.SENT)
    of_paused = claimed(paused, paused_program)
    of_held = claimed(held, held_program)
    email_to_held = claimed(held, held_program, channel=Channel.EMAIL)
    batch = [first, over_cap, sent_meanwhile, of_paused, of_held, email_to_held]

    outcomes = outbox.notifications_deliver_batch(notification_ids=[row.pk for row in batch])

    assert outcomes == {"sent": 1, "cancelled": 4, "skipped": 1}
    assert ends(first) == (Status.SENT, "")
    assert ends(over_cap) == (Status.CANCELLED, "Daily SMS limit (2) reached.")
    assert ends(sent_meanwhile) == (Status.SENT, "")
    assert ends(of_paused) == (Status.CANCELLED, "The exercise program is paused.")
    for row in (of_held, email_to_held):
        status, reason = ends(row)
        assert (status, "medical hold" in reason) == (Status.CANCELLED, True)
    assert [m.notification_id for m in transport.sent] == [first.pk]
    first.refresh_from_db()
    sent_meanwhile.refresh_from_db()
    assert (first.provider_message_id, first.sent_at) == (f"scripted-{first.pk}", NOON_IN_NEW_YORK)
    assert sent_meanwhile.attempts == 0  # not started: it was not this batch's


@time_machine.travel(NOON_IN_NEW_YORK, tick=False)
@pytest.mark.parametrize("portable", [False, True], ids=["postgresql", "portable"])
def test_a_providers_retry_after_delays_the_next_attempt_at_least_that_long(
    clinic, clinician, transport, monkeypatch, portable
):
    if portable:
        monkeypatch.setattr(delivery, "on_postgresql", lambda: False)
    patient, program = texting_patient(clinic, clinician, 1)
    busy, unlucky = claimed(patient, program), claimed(patient, program, channel=Channel.EMAIL)
    transport.errors = {
        str(patient.phone): TransportError(
            "HTTP 429", permanent=False, retry_after=datetime.timedelta(minutes=10)
        ),
        patient.email: TransportError("HTTP 503", permanent=False),
    }

    outcomes = outbox.notifications_deliver_batch(notification_ids=[busy.pk, unlucky.pk])

    assert outcomes == {"retry": 2}
    busy.refresh_from_db()
    unlucky.refresh_from_db()
    assert (busy.status, busy.attempts, busy.claimed_at) == (Status.PENDING, 1, None)
    assert busy.next_attempt_at >= NOON_IN_NEW_YORK + datetime.timedelta(minutes=10)
    # Without Retry-After, the first backoff: 15 to 30 seconds.
    assert unlucky.next_attempt_at <= NOON_IN_NEW_YORK + datetime.timedelta(seconds=30)
    assert "429" in busy.last_error


@time_machine.travel(NOON_IN_NEW_YORK, tick=False)
def test_a_permanent_error_fails_one_row_and_the_rest_of_the_batch_goes(
    clinic, clinician, transport
):
    patient, program = texting_patient(clinic, clinician, 1)
    bad_number = claimed(patient, program)
    emails = [claimed(patient, program, channel=Channel.EMAIL) for _ in range(3)]
    transport.errors = {str(patient.phone): TransportError("HTTP 400", permanent=True)}

    outcomes = outbox.notifications_deliver_batch(
        notification_ids=[bad_number.pk, *(row.pk for row in emails)]
    )

    assert outcomes == {"failed": 1, "sent": 3}
    assert ends(bad_number) == (Status.FAILED, "HTTP 400")
    assert {ends(row) for row in emails} == {(Status.SENT, "")}


def mixed_batch(clinic, clinician, n: int) -> list[int]:
    """n claimed rows of every sort the rules read differently (texts, emails, pushes,
    nudges, urgent alerts to the therapist), spread over a few patients."""
    people = [texting_patient(clinic, clinician, 100 * n + i) for i in range(4)]
    for patient, _ in people:
        make_device(patient=patient)
    channels = (Channel.SMS, Channel.EMAIL, Channel.PUSH)
    ids = []
    for i in range(n):
        patient, program = people[i % len(people)]
        row = claimed(patient, program, channel=channels[i % 3])
        if i % 5 == 3:
            alert = make_alert(patient=patient, severity="urgent")
            Notification.objects.filter(pk=row.pk).update(
                kind=Kind.URGENT_ALERT,
                staff=clinician,
                channel=Channel.EMAIL,
                source=f"alert:{alert.pk}:{clinician.pk}",
            )
        elif i % 5 == 4:
            Notification.objects.filter(pk=row.pk).update(
                kind=Kind.NUDGE, source=f"nudge:{patient.pk}:2027-01-08"
            )
        ids.append(row.pk)
    return ids


@time_machine.travel(NOON_IN_NEW_YORK, tick=False)
def test_a_batch_of_fifty_runs_as_many_queries_as_a_batch_of_five(
    clinic, clinician, transport, monkeypatch, settings, django_assert_num_queries
):
    # Outcomes are written every FLUSH_EVERY sends by design (what a killed worker may
    # leave unrecorded); measured here with one write per outcome, what is left is the
    # start, the loads and the rules.
    monkeypatch.setattr(delivery, "FLUSH_EVERY", 1000)
    monkeypatch.setattr(delivery, "FLUSH_SECONDS", 600.0)
    settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY = 100
    clinician.user.email = "pt.batch@example.com"
    clinician.user.save(update_fields=["email"])
    small, large = mixed_batch(clinic, clinician, 5), mixed_batch(clinic, clinician, 50)
    DeliveryProgress.objects.create(pk=1)  # as after the first batch ever

    with CaptureQueriesContext(connection) as five:
        assert outbox.notifications_deliver_batch(notification_ids=small) == {"sent": 5}
    with django_assert_num_queries(len(five.captured_queries)):
        assert outbox.notifications_deliver_batch(notification_ids=large) == {"sent": 50}
    assert len(transport.sent) == 55


def start_batch(ids: list[int], *, at: datetime.datetime) -> None:
    """A delivery task beginning on these rows (and sending them) at `at`."""
    outbox.notifications_deliver_batch(notification_ids=ids, now=at)


@time_machine.travel(NOON_IN_NEW_YORK, tick=False)
def test_rows_still_queued_behind_a_backlog_are_not_claimed_again_while_lost_ones_are(
    clinic, clinician, settings
):
    lease = settings.REMINDERS_LEASE
    patient, program = texting_patient(clinic, clinician, 1)
    t0 = NOON_IN_NEW_YORK
    rows = [
        claimed(patient, program, channel=Channel.EMAIL, status=Status.PENDING) for _ in range(6)
    ]
    with transaction.atomic():
        lost = outbox.notifications_claim_due(now=t0, limit=2)  # their task died
    with transaction.atomic():
        backlog = outbox.notifications_claim_due(now=t0 + MINUTE, limit=10)
    assert sorted(lost + backlog) == sorted(row.pk for row in rows)
    # The queue reaches the first task of the later claim, well after the lease.
    working = t0 + MINUTE + lease + datetime.timedelta(seconds=30)
    start_batch(backlog[:1], at=working)
    progress = DeliveryProgress.objects.get()
    assert (progress.claimed_upto, progress.seen_at) == (t0 + MINUTE, working)

    with transaction.atomic():
        again = outbox.notifications_claim_due(now=working, limit=10)

    assert sorted(again) == sorted(lost)
    # No batch starts for a whole lease: the queue is stuck or gone, every stale
    # claim is due again.
    stuck = working + lease + datetime.timedelta(seconds=1)
    with transaction.atomic():
        assert sorted(outbox.notifications_claim_due(now=stuck, limit=10)) == sorted(
            set(backlog[1:]) | set(lost)
        )


def test_a_late_task_of_an_older_claim_does_not_move_the_progress_back(clinic, clinician, settings):
    patient, program = texting_patient(clinic, clinician, 1)
    t0 = NOON_IN_NEW_YORK
    old, new = (
        claimed(patient, program, channel=Channel.EMAIL, at=t0 + k * MINUTE) for k in (0, 5)
    )
    start_batch([new.pk], at=t0 + 6 * MINUTE)
    start_batch([old.pk], at=t0 + 7 * MINUTE)

    progress = DeliveryProgress.objects.get()
    assert (progress.claimed_upto, progress.seen_at) == (t0 + 4 * MINUTE, t0 + 7 * MINUTE)


@time_machine.travel(NOON_IN_NEW_YORK, tick=False)
def test_texts_another_batch_is_sending_count_toward_the_daily_cap(
    clinic, clinician, transport, settings
):
    settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY = 1
    patient, program = texting_patient(clinic, clinician, 1)
    # Another task started a text to the same patient a moment ago, still at the provider.
    claimed(patient, program, delivery_started_at=NOON_IN_NEW_YORK - datetime.timedelta(seconds=5))
    second = claimed(patient, program)

    assert outbox.notifications_deliver_batch(notification_ids=[second.pk]) == {"cancelled": 1}
    assert ends(second) == (Status.CANCELLED, "Daily SMS limit (1) reached.")


@time_machine.travel(NOON_IN_NEW_YORK, tick=False)
def test_a_text_to_staff_about_a_patient_does_not_count_toward_the_patients_cap(
    clinic, clinician, transport, settings
):
    settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY = 1
    patient, program = texting_patient(clinic, clinician, 1)
    claimed(
        patient, program, staff=clinician, status=Status.SENT, sent_at=NOON_IN_NEW_YORK - MINUTE
    )
    row = claimed(patient, program)

    assert outbox.notifications_deliver_batch(notification_ids=[row.pk]) == {"sent": 1}
