"""The outbox end to end, with real Celery workers on Redis and PostgreSQL.

The rows are committed (transactional tests) so the worker processes see them; each
worker runs on this test's database and on a Redis database of this pytest process's
own (see conftest.py), so ``-n 2`` runs do not take each other's tasks.
"""

from __future__ import annotations

import collections
import datetime
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone

from patients import services as patient_services
from reminders import outbox, planner, services, tasks
from reminders.models import Channel, Kind, Notification
from tests.factories import make_diagnosis, make_patient
from tests.reminders.fakes import RecordingTransport

pytestmark = pytest.mark.django_db(transaction=True)

Status = Notification.Status
CAUSE_WORDS = ("herniat", "stenosis", "sciatica", "disc")


def midday_time_zone() -> str:
    """A zone where it is about noon now, so no quiet hours get in the way of a test."""
    offset = 12 - timezone.now().hour  # hours east of UTC, -11 ... +12
    if offset == 0:
        return "Etc/UTC"
    return f"Etc/GMT{-offset:+d}"  # the Etc/ zones count the other way round


@pytest.fixture
def consenting_patient(clinic, therapist):
    """A patient who agreed to email reminders and whose diagnosis names the cause."""
    patient = make_patient(
        clinic=clinic,
        primary_therapist=therapist,
        email="pat.e2e@example.com",
        consent_email=True,
        time_zone=midday_time_zone(),
    )
    make_diagnosis(patient=patient, diagnosed_by=therapist)  # a herniated disc
    return patient


def due_rows(patient, *, n: int, tag: str) -> list[Notification]:
    now = timezone.now().replace(microsecond=0)
    return Notification.objects.bulk_create(
        Notification(
            clinic=patient.clinic,
            patient=patient,
            kind=Kind.EXERCISE,
            channel=Channel.EMAIL,
            source=f"e2e:{tag}:{i}",
            scheduled_for=now - datetime.timedelta(minutes=1),
            next_attempt_at=now - datetime.timedelta(minutes=1),
        )
        for i in range(n)
    )


def wait_for(condition: Callable[[], bool], *, timeout: float, what: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout:.0f} s: {what()}")
        time.sleep(0.2)


def statuses(ids) -> collections.Counter:
    return collections.Counter(
        Notification.objects.filter(id__in=ids).values_list("status", flat=True)
    )


def all_sent(ids) -> bool:
    return statuses(ids) == {Status.SENT: len(ids)}


def read_lines(path: Path) -> list:
    """The complete (newline-terminated) JSON lines of a file a worker may be writing."""
    if not path.exists():
        return []
    complete = path.read_text(encoding="utf-8").split("\n")[:-1]
    return [json.loads(line) for line in complete if line.strip()]


def test_a_worker_sends_every_due_notification_once_without_the_diagnosis(
    celery_worker_factory, consenting_patient, tmp_path
):
    outbox_file = tmp_path / "outbox.jsonl"
    worker = celery_worker_factory(name="e2e", env={"REMINDERS_OUTBOX_FILE": str(outbox_file)})
    rows = due_rows(consenting_patient, n=20, tag="e2e")
    ids = [row.id for row in rows]

    claimed = outbox.dispatch(now=timezone.now(), enqueue=tasks.deliver_batch.delay)

    assert claimed == len(ids)
    wait_for(
        lambda: all_sent(ids),
        timeout=30,
        what=lambda: f"statuses {dict(statuses(ids))}\n{worker.log_tail()}",
    )
    lines = read_lines(outbox_file)
    assert len(lines) == len(ids)
    assert sorted(line["notification_id"] for line in lines) == sorted(ids)
    scheduled = {row.id: row.scheduled_for for row in rows}
    for line in lines:
        assert {"notification_id", "channel", "kind", "to", "scheduled_for", "body"} <= set(line)
        assert line["channel"] == Channel.EMAIL
        assert line["kind"] == Kind.EXERCISE
        assert line["to"] == consenting_patient.email
        when = datetime.datetime.fromisoformat(line["scheduled_for"])
        assert when.utcoffset() == datetime.timedelta(0)
        assert when == scheduled[line["notification_id"]]
        assert line["body"]
        text = f"{line.get('subject', '')} {line['body']}".lower()
        assert not [word for word in CAUSE_WORDS if word in text], text


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(
    celery_worker_factory, consenting_patient, tmp_path, settings
):
    settings.REMINDERS_LEASE = datetime.timedelta(seconds=5)
    outbox_file = tmp_path / "slow-outbox.jsonl"
    attempts_file = Path(f"{outbox_file}.attempts")
    env = {
        "REMINDERS_EMAIL_TRANSPORT": "tests.reminders.fakes.SlowFileTransport",
        "REMINDERS_OUTBOX_FILE": None,
        "SLOW_OUTBOX_FILE": str(outbox_file),
        "SLOW_TRANSPORT_DELAY": "0.5",
        # Four sends at a time: the batch of 30 takes 4 s, inside the lease, and there
        # is always a send begun and not yet written to kill the worker in.
        "REMINDERS_SEND_THREADS": "4",
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "REMINDERS_LEASE_SECONDS": "5",
    }
    first = celery_worker_factory(name="first", env=env)
    rows = due_rows(consenting_patient, n=30, tag="kill")
    ids = [row.id for row in rows]

    assert outbox.dispatch(now=timezone.now(), enqueue=tasks.deliver_batch.delay) == len(ids)

    def delivering() -> bool:
        """A few lines written and at least one send begun but not written yet."""
        written = len(read_lines(outbox_file))
        begun = len(read_lines(attempts_file))
        return written >= 2 and begun > written

    wait_for(delivering, timeout=20, what=first.log_tail)
    first.kill()
    assert statuses(ids)[Status.SENT] < len(ids), "nothing was left for the second worker"

    second = celery_worker_factory(name="second", env=env)
    deadline = time.monotonic() + 60
    while not all_sent(ids):
        if time.monotonic() > deadline:
            pytest.fail(f"statuses {dict(statuses(ids))}\n{second.log_tail()}")
        # What the minutely tick does: rows a dead worker held are due again after the lease.
        outbox.dispatch(now=timezone.now(), enqueue=tasks.deliver_batch.delay)
        time.sleep(1)

    written = collections.Counter(line["notification_id"] for line in read_lines(outbox_file))
    assert set(written) == set(ids)
    assert [nid for nid, count in written.items() if count != 1] == []
    assert all_sent(ids)


def test_a_delivery_task_run_twice_sends_once(consenting_patient, settings):
    path = "tests.reminders.fakes.RecordingTransport"
    settings.REMINDERS_TRANSPORTS = {"email": path, "sms": path, "push": path}
    settings.REMINDERS_OUTBOX_FILE = ""
    RecordingTransport.sent = []
    [row] = due_rows(consenting_patient, n=1, tag="twice")
    claimed: list[int] = []
    outbox.dispatch(now=timezone.now(), enqueue=claimed.extend)
    assert claimed == [row.id]

    first = tasks.deliver.apply(args=[row.id])
    second = tasks.deliver.apply(args=[row.id])

    assert (first.get(), second.get()) == ("sent", "skipped")
    assert [message.notification_id for message in RecordingTransport.sent] == [row.id]
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.attempts == 1
    assert row.provider_message_id == f"rec-{row.id}"


def test_an_urgent_alert_reaches_the_therapist_on_every_channel_through_a_worker(
    celery_worker_factory, consenting_patient, therapist, tmp_path
):
    outbox_file = tmp_path / "alerts.jsonl"
    worker = celery_worker_factory(name="alert", env={"REMINDERS_OUTBOX_FILE": str(outbox_file)})
    therapist.user.email = "pt.one@example.com"
    therapist.user.save(update_fields=["email"])
    services.staff_contact_update(
        staff=therapist,
        actor=therapist.user,
        phone="+12025550101",
        consent_sms=True,
        consent_push=True,
    )
    services.staff_device_register(staff=therapist, token="pt-one-phone", platform="ios")
    patient_services.red_flag_screen(patient=consenting_patient, flags={"foot_drop": True})

    # What the minutely tick does, with the worker delivering.
    now = timezone.now()
    planner.plan_urgent(now=now)
    outbox.dispatch(now=now, enqueue=tasks.deliver_batch.delay)

    rows = list(Notification.objects.values_list("id", flat=True))
    wait_for(
        lambda: all_sent(rows),
        timeout=30,
        what=lambda: f"statuses {dict(statuses(rows))}\n{worker.log_tail()}",
    )
    lines = read_lines(outbox_file)
    alerts = {(line["channel"], line["to"]) for line in lines if line["kind"] == Kind.URGENT_ALERT}
    assert alerts == {
        (Channel.EMAIL, "pt.one@example.com"),
        (Channel.SMS, "+12025550101"),
        (Channel.PUSH, "pt-one-phone"),
    }
    # And the patient was told what to do now, once.
    assert [line["kind"] for line in lines].count(Kind.HOLD_GUIDANCE) == 1
    staff_text = " ".join(
        f"{line['subject']} {line['body']}" for line in lines if line["kind"] == Kind.URGENT_ALERT
    ).lower()
    assert [word for word in (*CAUSE_WORDS, "foot", "drop") if word in staff_text] == []


def test_a_batch_killed_midway_keeps_what_it_sent_and_only_the_unsent_come_back(
    celery_worker_factory, consenting_patient, tmp_path, settings
):
    """One batch of 30 sent four at a time; the worker dies after some were recorded.
    Those stay sent, attempted once; only the others are dispatched again."""
    settings.REMINDERS_LEASE = datetime.timedelta(seconds=5)
    outbox_file = tmp_path / "slow-outbox.jsonl"
    env = {
        "REMINDERS_EMAIL_TRANSPORT": "tests.reminders.fakes.SlowFileTransport",
        "REMINDERS_OUTBOX_FILE": None,
        "SLOW_OUTBOX_FILE": str(outbox_file),
        "SLOW_TRANSPORT_DELAY": "0.5",
        "REMINDERS_SEND_THREADS": "4",
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "REMINDERS_LEASE_SECONDS": "5",
    }
    first = celery_worker_factory(name="midway", env=env)
    ids = [row.id for row in due_rows(consenting_patient, n=30, tag="midway")]
    batches: list[list[int]] = []

    def enqueue(batch: list[int]) -> None:
        batches.append(batch)
        tasks.deliver_batch.delay(batch)

    assert outbox.dispatch(now=timezone.now(), enqueue=enqueue) == len(ids)
    assert batches == [ids]
    wait_for(
        lambda: statuses(ids)[Status.SENT] >= 4,
        timeout=20,
        what=lambda: f"statuses {dict(statuses(ids))}\n{first.log_tail()}",
    )
    first.kill()
    sent_before = set(
        Notification.objects.filter(id__in=ids, status=Status.SENT).values_list("id", flat=True)
    )
    assert 4 <= len(sent_before) < len(ids)

    second = celery_worker_factory(name="after", env=env)
    again: list[int] = []

    def enqueue_again(batch: list[int]) -> None:
        again.extend(batch)
        enqueue(batch)

    deadline = time.monotonic() + 60
    while not all_sent(ids):
        if time.monotonic() > deadline:
            pytest.fail(f"statuses {dict(statuses(ids))}\n{second.log_tail()}")
        outbox.dispatch(now=timezone.now(), enqueue=enqueue_again)
        time.sleep(1)

    assert set(again) == set(ids) - sent_before
    attempts = dict(Notification.objects.filter(id__in=ids).values_list("id", "attempts"))
    assert {attempts[i] for i in sent_before} == {1}
    assert {attempts[i] for i in set(ids) - sent_before} == {2}
    written = collections.Counter(line["notification_id"] for line in read_lines(outbox_file))
    assert sorted(written) == sorted(ids)
    assert set(written.values()) == {1}
