"""The outbox's delivery side: claiming, sending once, retrying, giving up."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from reminders import outbox
from reminders.channels import Message, TransportError
from reminders.models import Channel, Kind, Notification
from tests.factories import make_diagnosis, make_prescription

pytestmark = pytest.mark.django_db

Status = Notification.Status
# Texts wait for the patient's waking hours (the fixtures' patient lives in New York).
NOON_IN_NEW_YORK = datetime.datetime(2026, 11, 26, 17, 0, tzinfo=datetime.UTC)


class RecordingTransport:
    """Stands in for a provider: records messages, or raises what `script` says."""

    sent: list[Message] = []
    script: list[Exception] = []

    def send(self, message: Message) -> str:
        if RecordingTransport.script:
            raise RecordingTransport.script.pop(0)
        RecordingTransport.sent.append(message)
        return f"rec-{message.notification_id}"


@pytest.fixture(autouse=True)
def recording(settings):
    path = f"{__name__}.RecordingTransport"
    settings.REMINDERS_TRANSPORTS = {"email": path, "sms": path, "push": path}
    settings.REMINDERS_OUTBOX_FILE = ""
    RecordingTransport.sent = []
    RecordingTransport.script = []
    return RecordingTransport


def due(patient, *, n: int = 1, channel: str = Channel.EMAIL, kind: str = Kind.EXERCISE, **kw):
    now = timezone.now()
    return [
        Notification.objects.create(
            clinic=patient.clinic,
            patient=patient,
            kind=kind,
            channel=channel,
            source=f"test:{patient.pk}:{i}:{kw.get('tag', '')}",
            scheduled_for=now - datetime.timedelta(minutes=1),
            next_attempt_at=now - datetime.timedelta(minutes=1),
        )
        for i in range(n)
    ]


@pytest.fixture
def consenting(patient):
    patient.consent_email = patient.consent_sms = True
    patient.save()
    return patient


@pytest.fixture
def claim_and_deliver(django_capture_on_commit_callbacks):
    """One dispatcher pass delivering inline; enqueueing waits for the claim's commit."""

    def run():
        outcomes = []
        with django_capture_on_commit_callbacks(execute=True):
            outbox.dispatch(
                now=timezone.now(),
                enqueue=lambda ids: outcomes.extend(
                    outbox.notification_deliver(notification_id=i) for i in ids
                ),
            )
        return outcomes

    return run


def test_a_due_notification_is_sent_once_with_the_provider_id(
    consenting, recording, claim_and_deliver
):
    [row] = due(consenting)
    assert claim_and_deliver() == ["sent"]
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.provider_message_id == f"rec-{row.pk}"
    assert [m.to for m in recording.sent] == [consenting.email]


def test_delivering_the_same_row_twice_sends_it_once(consenting, recording):
    [row] = due(consenting)
    with transaction.atomic():
        outbox.notifications_claim_due(now=timezone.now(), limit=10)
    assert outbox.notification_deliver(notification_id=row.pk) == "sent"
    assert outbox.notification_deliver(notification_id=row.pk) == "skipped"
    assert len(recording.sent) == 1


def test_a_row_being_delivered_is_not_delivered_again_by_a_redelivered_task(consenting, recording):
    [row] = due(consenting)
    with transaction.atomic():
        outbox.notifications_claim_due(now=timezone.now(), limit=10)
    Notification.objects.filter(pk=row.pk).update(delivery_started_at=timezone.now())
    assert outbox.notification_deliver(notification_id=row.pk) == "skipped"
    assert recording.sent == []


def test_a_sent_row_redelivered_after_the_lease_is_not_sent_again(consenting, recording, settings):
    """Past the lease the start guard's time test lets a row through: only its
    `status='sending'` condition stops a task redelivered late (a broker's visibility
    timeout) from sending a message already sent."""
    [row] = due(consenting)
    with transaction.atomic():
        outbox.notifications_claim_due(now=timezone.now(), limit=10)
    assert outbox.notification_deliver(notification_id=row.pk) == "sent"

    late = timezone.now() + settings.REMINDERS_LEASE + datetime.timedelta(seconds=1)
    assert outbox.notification_deliver(notification_id=row.pk, now=late) == "skipped"

    assert [m.notification_id for m in recording.sent] == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.FAILED, Status.PENDING])
def test_a_late_task_for_a_row_no_longer_sending_sends_nothing(consenting, recording, status):
    """A cancelled or failed row, or one waiting for its retry, is not the task's to send."""
    [row] = due(consenting)
    Notification.objects.filter(pk=row.pk).update(status=status, delivery_started_at=None)

    assert outbox.notification_deliver(notification_id=row.pk) == "skipped"
    assert recording.sent == []
    row.refresh_from_db()
    assert (row.status, row.attempts) == (status, 0)


def test_a_transient_error_retries_later_with_backoff_then_sends(
    consenting, recording, claim_and_deliver
):
    [row] = due(consenting)
    recording.script = [TransportError("provider timeout", permanent=False)]
    assert claim_and_deliver() == ["retry"]
    row.refresh_from_db()
    assert row.status == Status.PENDING
    assert row.attempts == 1
    assert "timeout" in row.last_error
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(seconds=10)

    assert claim_and_deliver() == []  # not due yet
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert claim_and_deliver() == ["sent"]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 2, "")


def test_a_permanent_error_fails_at_once_and_records_why(consenting, recording, claim_and_deliver):
    [row] = due(consenting)
    recording.script = [TransportError("HTTP 400: not a mobile number", permanent=True)]
    assert claim_and_deliver() == ["failed"]
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert row.last_error == "HTTP 400: not a mobile number"


def test_transient_errors_give_up_after_the_last_attempt(
    consenting, recording, settings, claim_and_deliver
):
    settings.REMINDERS_MAX_ATTEMPTS = 3
    [row] = due(consenting)
    recording.script = [TransportError("503", permanent=False) for _ in range(3)]
    outcomes = []
    for _ in range(3):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        outcomes += claim_and_deliver()
    assert outcomes == ["retry", "retry", "failed"]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert recording.sent == []


def test_a_row_claimed_by_a_dispatcher_that_died_is_dispatched_again_after_the_lease(
    consenting, recording, settings, claim_and_deliver
):
    [row] = due(consenting)
    with transaction.atomic():
        assert outbox.notifications_claim_due(now=timezone.now(), limit=10) == [row.pk]
    assert claim_and_deliver() == []  # still leased to the first claim
    later = timezone.now() + settings.REMINDERS_LEASE + datetime.timedelta(seconds=1)
    with transaction.atomic():
        assert outbox.notifications_claim_due(now=later, limit=10) == [row.pk]
    assert outbox.notification_deliver(notification_id=row.pk, now=later) == "sent"


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_never_claim_the_same_row(consenting):
    rows = due(consenting, n=60)
    # A timeout, so a broken lock fails the test instead of leaving a thread waiting.
    barrier = threading.Barrier(2, timeout=30)
    claims: list[list[int]] = []

    def dispatcher():
        try:
            with transaction.atomic():
                barrier.wait()
                ids = outbox.notifications_claim_due(now=timezone.now(), limit=40)
                barrier.wait()  # both hold their locks at the same moment
                claims.append(ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    first, second = claims
    assert not set(first) & set(second)
    assert len(first) + len(second) == len(rows)


@time_machine.travel(NOON_IN_NEW_YORK)
def test_sms_per_patient_per_day_are_capped(consenting, recording, settings, claim_and_deliver):
    settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY = 2
    due(consenting, n=3, channel=Channel.SMS)
    assert sorted(claim_and_deliver()) == ["cancelled", "sent", "sent"]
    assert len(recording.sent) == 2
    capped = Notification.objects.get(status=Status.CANCELLED)
    assert "limit" in capped.last_error


@time_machine.travel(NOON_IN_NEW_YORK)
def test_texts_name_no_diagnosis(consenting, recording, therapist, claim_and_deliver):
    diagnosis = make_diagnosis(patient=consenting, diagnosed_by=therapist)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)  # nudges need a program
    for kind in (Kind.EXERCISE, Kind.APPOINTMENT, Kind.NUDGE):
        due(consenting, channel=Channel.SMS, kind=kind, tag=kind)
    claim_and_deliver()
    assert len(recording.sent) == 3
    for message in recording.sent:
        text = f"{message.subject} {message.body}".lower()
        for word in ("herniat", "disc", "sciatica", "spine", "pain", consenting.last_name.lower()):
            assert word not in text


def test_resend_requeues_a_failed_row_and_cancel_stops_a_pending_one(consenting):
    failed, pending = due(consenting, n=2)
    Notification.objects.filter(pk=failed.pk).update(status=Status.FAILED, attempts=5)
    outbox.notification_resend(notification=failed)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.PENDING, 0)

    outbox.notification_cancel(notification=pending, reason="Patient asked.")
    pending.refresh_from_db()
    assert (pending.status, pending.last_error) == (Status.CANCELLED, "Patient asked.")
    with pytest.raises(Exception, match="pending"):
        outbox.notification_cancel(notification=pending)


@pytest.mark.django_db(transaction=True)
def test_send_due_reminders_delivers_inline_and_says_what_it_did(consenting, recording, capsys):
    due(consenting, n=2)
    call_command("send_due_reminders")
    output = capsys.readouterr().out
    assert "due: 2" in output
    assert "sent 2" in output
    assert len(recording.sent) == 2


def test_the_outbox_admin_shows_only_the_own_clinic(client, therapist, other_patient, consenting):
    due(consenting)
    due(other_patient, tag="other")
    client.force_login(therapist.user)
    response = client.get(reverse("admin:reminders_notification_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    other = Notification.objects.get(patient=other_patient)
    url = reverse("admin:reminders_notification_change", args=[other.pk])
    assert client.get(url).status_code == 404


def test_the_admin_resends_a_failed_row(client, therapist, consenting):
    [row] = due(consenting)
    Notification.objects.filter(pk=row.pk).update(status=Status.FAILED)
    client.force_login(therapist.user)
    response = client.post(
        reverse("admin:reminders_notification_changelist"),
        {"action": "resend", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Status.PENDING


def test_a_stale_claim_whose_delivery_just_started_is_not_dispatched_again(consenting, settings):
    [row] = due(consenting)
    long_ago = timezone.now() - settings.REMINDERS_LEASE - datetime.timedelta(minutes=1)
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENDING, claimed_at=long_ago, delivery_started_at=timezone.now()
    )
    with transaction.atomic():
        assert outbox.notifications_claim_due(now=timezone.now(), limit=10) == []
