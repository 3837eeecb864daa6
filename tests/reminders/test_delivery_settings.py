"""The settings and the scheduling the delivery relies on: a lease longer than any
task, a bound on a hung SMTP server, one dispatch at a time."""

from __future__ import annotations

import datetime
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.core import checks
from django.db import connection
from django.utils import timezone

from reminders import tasks
from reminders.channels import EmailTransport, Message, TransportError
from reminders.locks import single_run
from reminders.models import Channel, Kind, Notification
from tests.factories import make_patient


def test_a_lease_no_longer_than_the_task_time_limit_is_refused(settings):
    assert not [m for m in checks.run_checks() if m.id == "reminders.E001"]
    settings.CELERY_TASK_TIME_LIMIT = 300
    settings.REMINDERS_LEASE = datetime.timedelta(seconds=300)

    refused = [m.id for m in checks.run_checks() if m.id == "reminders.E001"]

    assert refused == ["reminders.E001"]


@pytest.fixture
def silent_smtp_server() -> Iterator[int]:
    """Accepts connections and never says a word (a hung mail server)."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_a_hung_smtp_server_fails_a_send_within_the_email_timeout(settings, silent_smtp_server):
    assert settings.EMAIL_TIMEOUT == 10  # the default, unless EMAIL_TIMEOUT says otherwise
    settings.EMAIL_TIMEOUT = 0.5  # the same bound, shorter for the test
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent_smtp_server
    message = Message(
        notification_id=1,
        channel=Channel.EMAIL,
        kind=Kind.EXERCISE,
        to="someone@example.com",
        scheduled_for=timezone.now(),
        subject="Time for your exercises",
        body="It's time for today's exercises.",
    )
    began = time.monotonic()

    with pytest.raises(TransportError) as error:
        EmailTransport().send(message)

    assert (error.value.permanent, time.monotonic() - began < 5) == (False, True)


@pytest.fixture
def dispatch_running_elsewhere() -> Iterator[None]:
    """Another tick's dispatch, in another database session, holding its lock."""
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with single_run("reminders.dispatch") as mine:
                assert mine
                holding.set()
                done.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    yield
    done.set()
    thread.join()


@pytest.mark.django_db
def test_a_tick_while_another_dispatches_claims_nothing(clinic, dispatch_running_elsewhere):
    patient = make_patient(clinic=clinic, consent_email=True)
    row = Notification.objects.create(
        clinic=clinic,
        patient=patient,
        kind=Kind.EXERCISE,
        channel=Channel.EMAIL,
        source=f"test:{patient.pk}",
        scheduled_for=timezone.now() - datetime.timedelta(minutes=1),
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    assert tasks.tick() == 0

    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING
