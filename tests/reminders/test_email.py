"""Email through Django's SMTP backend to a stand-in SMTP server: our Message-ID on the
message, kept as the row's provider id; refusals read as SMTP means them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from patients.services import patient_update
from reminders.channels import EmailTransport, Message, TransportError
from reminders.models import Channel, Notification
from tests.factories import make_notification
from tests.standins.smtp import SmtpStandIn

EMAIL = "reminders.channels.EmailTransport"


def message(to: str = "alex@example.com") -> Message:
    return Message(
        notification_id=11,
        channel="email",
        kind="exercise",
        to=to,
        scheduled_for=datetime.datetime(2027, 3, 14, 12, 0, tzinfo=datetime.UTC),
        subject="Time for your exercises",
        body="It's time for today's exercises.",
    )


@pytest.fixture
def smtp(settings):
    standin = SmtpStandIn()
    with standin:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = standin.host, standin.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        settings.DEFAULT_FROM_EMAIL = "Demo Spine Clinic <no-reply@clinic.example.com>"
        yield standin


def test_an_email_carries_our_message_id_and_returns_it(smtp):
    message_id = EmailTransport().send(message())
    (sent,) = smtp.messages
    assert sent["Message-ID"] == message_id
    assert message_id.startswith("<")
    assert message_id.endswith("@clinic.example.com>")
    assert sent["X-Notification-Id"] == "11"
    assert smtp.envelopes == [("no-reply@clinic.example.com", ["alex@example.com"])]


def test_each_email_gets_its_own_message_id(smtp):
    transport = EmailTransport()
    assert transport.send(message()) != transport.send(message())


def test_a_mailbox_the_server_refuses_is_permanent(smtp):
    smtp.refused["gone@example.com"] = (550, "5.1.1 User unknown")
    with pytest.raises(TransportError) as error:
        EmailTransport().send(message(to="gone@example.com"))
    assert error.value.permanent is True
    assert smtp.messages == []


def test_a_recipient_deferred_by_the_server_is_transient(smtp):
    smtp.refused["busy@example.com"] = (451, "4.3.0 Try again later")
    with pytest.raises(TransportError) as error:
        EmailTransport().send(message(to="busy@example.com"))
    assert error.value.permanent is False


def test_an_unreachable_mail_server_is_transient(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    with pytest.raises(TransportError) as error:
        EmailTransport().send(message())
    assert error.value.permanent is False


@pytest.mark.django_db
def test_the_outbox_keeps_the_message_id_of_the_email_it_sent(
    settings, smtp, patient, django_capture_on_commit_callbacks
):
    settings.REMINDERS_TRANSPORTS = {**settings.REMINDERS_TRANSPORTS, "email": EMAIL}
    settings.REMINDERS_OUTBOX_FILE = ""
    patient_update(patient=patient, consent_email=True)
    due = timezone.now() - datetime.timedelta(minutes=1)
    row = make_notification(patient, channel=Channel.EMAIL, at=due)
    with django_capture_on_commit_callbacks(execute=True):  # the enqueue after commit
        call_command("send_due_reminders", stdout=io.StringIO())
    row = Notification.objects.get(pk=row.pk)
    assert row.status == Notification.Status.SENT, row.last_error
    (sent,) = smtp.messages
    assert row.provider_message_id == sent["Message-ID"]
