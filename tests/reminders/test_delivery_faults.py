"""A delivery batch when things go wrong: an error midway, a provider's odd Retry-After,
a batch that outlives its lease, a row that cannot be composed, a row gone meanwhile."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded

from practice.models import Role
from reminders import channels, delivery, outbox, receipts
from reminders.channels import Message, TransportError
from reminders.models import Channel, Notification
from tests.factories import make_staff
from tests.reminders.test_batch_delivery import NOON_IN_NEW_YORK, claimed, texting_patient

pytestmark = pytest.mark.django_db

Status = Notification.Status
T0 = NOON_IN_NEW_YORK
SECOND = datetime.timedelta(seconds=1)


class HookedTransport:
    """A provider stand-in: runs `before` (the world moving while the provider thinks),
    then records the message or raises `error`."""

    sent: list[Message] = []
    before: Callable[[Message], None] = staticmethod(lambda message: None)
    error: Exception | None = None
    built = 0
    build_seconds = 0.0
    lock = threading.Lock()

    def __init__(self) -> None:
        time.sleep(HookedTransport.build_seconds)  # as FCM asks for a token
        with HookedTransport.lock:
            HookedTransport.built += 1

    def send(self, message: Message) -> str:
        HookedTransport.before(message)
        if HookedTransport.error is not None:
            raise HookedTransport.error
        with HookedTransport.lock:
            HookedTransport.sent.append(message)
        return f"hooked-{message.notification_id}"


@pytest.fixture(autouse=True)
def transport(settings):
    path = f"{__name__}.HookedTransport"
    settings.REMINDERS_TRANSPORTS = {"email": path, "sms": path, "push": path}
    settings.REMINDERS_OUTBOX_FILE = ""
    HookedTransport.sent, HookedTransport.error, HookedTransport.built = [], None, 0
    HookedTransport.before = staticmethod(lambda message: None)
    HookedTransport.build_seconds = 0.0
    channels._transport.cache_clear()
    yield HookedTransport
    channels._transport.cache_clear()


@pytest.fixture
def clinician(clinic):
    staff = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.faults")
    staff.user.email = "pt.faults@example.com"
    staff.user.save(update_fields=["email"])
    return staff


def emails(clinic, clinician, n: int) -> list[Notification]:
    patient, program = texting_patient(clinic, clinician, 1)
    return [claimed(patient, program, channel=Channel.EMAIL) for _ in range(n)]


def interrupt_after_first_outcome(monkeypatch) -> None:
    """The task's soft time limit (or a database error) hits the first time the batch
    looks at whether to write its outcomes."""

    def expire(self):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(delivery._Outcomes, "flush_if_due", expire)


@time_machine.travel(T0, tick=False)
def test_an_error_midway_sends_nothing_more_and_records_what_was_sent(
    clinic, clinician, transport, settings, monkeypatch
):
    settings.REMINDERS_SEND_THREADS = 2
    transport.before = staticmethod(lambda message: time.sleep(0.05))
    rows = emails(clinic, clinician, 12)
    interrupt_after_first_outcome(monkeypatch)

    with pytest.raises(SoftTimeLimitExceeded):
        outbox.notifications_deliver_batch(notification_ids=[row.pk for row in rows])

    sent = {message.notification_id for message in transport.sent}
    assert 1 <= len(sent) <= 4  # what was in flight, not the rest of the batch
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert {pk: statuses[pk] for pk in sent} == dict.fromkeys(sent, Status.SENT)
    # The others were never handed to a provider: they go again after the lease.
    assert {statuses[row.pk] for row in rows if row.pk not in sent} == {Status.SENDING}


@time_machine.travel(T0, tick=False)
def test_an_error_midway_in_one_thread_records_what_was_sent(
    clinic, clinician, transport, settings, monkeypatch
):
    settings.REMINDERS_SEND_THREADS = 1
    first, *rest = emails(clinic, clinician, 3)
    interrupt_after_first_outcome(monkeypatch)

    with pytest.raises(SoftTimeLimitExceeded):
        outbox.notifications_deliver_batch(notification_ids=[first.pk, *(r.pk for r in rest)])

    assert [message.notification_id for message in transport.sent] == [first.pk]
    first.refresh_from_db()
    assert (first.status, first.provider_message_id) == (Status.SENT, f"hooked-{first.pk}")
    assert set(Notification.objects.filter(pk__in=[r.pk for r in rest]).values_list("status")) == {
        (Status.SENDING,)
    }


@time_machine.travel(T0, tick=False)
def test_a_retry_after_of_years_waits_an_hour(clinic, clinician, transport):
    (row,) = emails(clinic, clinician, 1)
    forever = datetime.timedelta(seconds=10**12)
    transport.error = TransportError("HTTP 429", permanent=False, retry_after=forever)

    assert outbox.notification_deliver(notification_id=row.pk) == "retry"

    row.refresh_from_db()
    assert row.next_attempt_at == T0 + delivery.MAX_RETRY_AFTER


def test_a_retry_after_counts_from_the_providers_answer_not_the_batch_start(
    clinic, clinician, transport
):
    with time_machine.travel(T0, tick=False) as clock:
        (row,) = emails(clinic, clinician, 1)
        # The provider answers 20 s into the batch: try again in 30 s.
        transport.before = staticmethod(lambda message: clock.shift(20 * SECOND))
        transport.error = TransportError("HTTP 429", permanent=False, retry_after=30 * SECOND)

        assert outbox.notification_deliver(notification_id=row.pk, now=T0) == "retry"

    row.refresh_from_db()
    assert row.next_attempt_at == T0 + 50 * SECOND


@time_machine.travel(T0, tick=False)
@pytest.mark.parametrize("portable", [False, True], ids=["postgresql", "portable"])
@pytest.mark.parametrize("error", [None, TransportError("HTTP 503", permanent=False)])
def test_a_batch_that_outlived_its_lease_writes_nothing_over_the_task_that_took_over(
    clinic, clinician, transport, settings, monkeypatch, portable, error
):
    if portable:
        monkeypatch.setattr(delivery, "on_postgresql", lambda: False)
    (row,) = emails(clinic, clinician, 1)
    took_over = T0 + settings.REMINDERS_LEASE + SECOND

    def lease_runs_out(message: Message) -> None:
        # Meanwhile the dispatcher reclaimed the row and a second task started it.
        assert delivery._start([message.notification_id], now=took_over)

    transport.before = staticmethod(lease_runs_out)
    transport.error = error

    outbox.notification_deliver(notification_id=row.pk, now=T0)

    row.refresh_from_db()
    assert (row.status, row.delivery_started_at, row.attempts) == (Status.SENDING, took_over, 2)


@time_machine.travel(T0, tick=False)
def test_a_row_that_cannot_be_composed_fails_alone(clinic, clinician, transport):
    patient, program = texting_patient(clinic, clinician, 1)
    # A staff row of a patient's kind: there is no staff text for it.
    broken = claimed(patient, program, channel=Channel.EMAIL, staff=clinician)
    fine = claimed(patient, program, channel=Channel.EMAIL)

    outcomes = outbox.notifications_deliver_batch(notification_ids=[broken.pk, fine.pk])

    assert outcomes == {"failed": 1, "sent": 1}
    broken.refresh_from_db()
    assert (broken.status, "KeyError" in broken.last_error) == (Status.FAILED, True)
    assert [message.notification_id for message in transport.sent] == [fine.pk]


@time_machine.travel(T0, tick=False)
def test_a_row_started_as_often_as_allowed_without_an_outcome_fails(
    clinic, clinician, transport, settings
):
    patient, program = texting_patient(clinic, clinician, 1)
    row = claimed(patient, program, channel=Channel.EMAIL, attempts=settings.REMINDERS_MAX_ATTEMPTS)

    assert outbox.notification_deliver(notification_id=row.pk) == "failed"

    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert row.last_error == f"No outcome after {settings.REMINDERS_MAX_ATTEMPTS} attempts."
    assert transport.sent == []


@time_machine.travel(T0, tick=False)
def test_a_row_deleted_after_its_start_is_skipped(clinic, clinician, monkeypatch):
    (row,) = emails(clinic, clinician, 1)
    start = delivery._start

    def start_then_erase(ids, *, now):
        started = start(ids, now=now)
        Notification.objects.filter(pk__in=ids).delete()  # a patient's erasure, say
        return started

    monkeypatch.setattr(delivery, "_start", start_then_erase)

    assert outbox.notification_deliver(notification_id=row.pk) == "skipped"


@time_machine.travel(T0, tick=False)
def test_a_channels_transport_is_built_once_for_a_concurrent_batch(
    clinic, clinician, transport, settings
):
    settings.REMINDERS_SEND_THREADS = 8
    transport.build_seconds = 0.05
    rows = emails(clinic, clinician, 8)

    assert outbox.notifications_deliver_batch(notification_ids=[r.pk for r in rows]) == {"sent": 8}
    assert transport.built == 1


@time_machine.travel(T0, tick=False)
def test_a_receipt_that_came_before_the_sent_outcome_is_applied_with_it(
    clinic, clinician, transport
):
    (row,) = emails(clinic, clinician, 1)

    def provider_calls_back(message: Message) -> None:
        # The status callback arrives while the batch has not written the id yet.
        receipts.notification_receipt_record(
            provider_message_id=f"hooked-{message.notification_id}", status="delivered", at=T0
        )

    transport.before = staticmethod(provider_calls_back)

    assert outbox.notification_deliver(notification_id=row.pk) == "sent"

    row.refresh_from_db()
    assert (row.receipt, row.delivered_at) == (Notification.Receipt.DELIVERED, T0)
