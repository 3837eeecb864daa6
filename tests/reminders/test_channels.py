"""The SMS transport against a stand-in speaking Twilio's Messages API, how any
provider's refusal is read (permanent, transient, Retry-After), and the file transport."""

from __future__ import annotations

import base64
import datetime
import email.utils
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine

from reminders.channels import FileTransport, Message, TransportError, TwilioSmsTransport
from reminders.channels.http_client import retry_after
from tests.standins.twilio import TwilioStandIn

NOW = datetime.datetime(2027, 3, 14, 12, 0, tzinfo=datetime.UTC)


def message(notification_id: int = 7, channel: str = "sms", to: str = "+12025550123") -> Message:
    return Message(
        notification_id=notification_id,
        channel=channel,
        kind="exercise",
        to=to,
        scheduled_for=NOW,
        subject="Time for your exercises",
        body="It's time for today's exercises. Open the app: https://app.example.com/open",
    )


@pytest.fixture
def twilio(settings):
    standin = TwilioStandIn()
    with standin as url:
        settings.SMS_API_URL = url
        settings.SMS_ACCOUNT_SID = standin.account_sid
        settings.SMS_AUTH_TOKEN = standin.auth_token
        settings.SMS_FROM_NUMBER = "+12025550199"
        settings.SITE_URL = "https://clinic.example.com/"
        yield standin


@pytest.fixture
def sms(twilio):
    return TwilioSmsTransport()


def refused(transport, text: Message | None = None) -> TransportError:
    with pytest.raises(TransportError) as error:
        transport.send(text or message())
    return error.value


def test_a_text_posts_twilios_form_with_basic_auth_and_a_status_callback(sms, twilio):
    sid = sms.send(message())
    (request,) = twilio.requests
    assert request.path == f"/2010-04-01/Accounts/{twilio.account_sid}/Messages.json"
    credentials = f"{twilio.account_sid}:{twilio.auth_token}".encode()
    assert request.headers["authorization"] == "Basic " + base64.b64encode(credentials).decode()
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    # Twilio's Messages API has no idempotency key: a send is never retried blindly.
    assert "idempotency-key" not in request.headers
    assert request.form() == {
        "To": "+12025550123",
        "From": "+12025550199",
        "Body": message().body,
        "StatusCallback": "https://clinic.example.com/webhooks/sms/status/",
    }
    assert sid == twilio.messages[0].sid
    assert sid.startswith("SM")
    assert len(sid) == 34


def test_wrong_credentials_are_transient_the_message_goes_once_they_are_fixed(settings, sms):
    settings.SMS_AUTH_TOKEN = "not-the-token"
    error = refused(sms)
    assert error.permanent is False
    assert "HTTP 401" in str(error)
    assert "20003" in str(error)


def test_a_number_twilio_cannot_text_is_permanent_and_named(sms):
    error = refused(sms, message(to="12345"))
    assert error.permanent is True
    assert "21211" in str(error)
    assert "not a valid phone number" in str(error)


def test_a_recipient_who_replied_stop_is_permanent(sms, twilio):
    twilio.unsubscribed.add("+12025550123")
    error = refused(sms)
    assert error.permanent is True
    assert "21610" in str(error)


@pytest.mark.parametrize("status", [400, 403, 404, 422])
def test_client_errors_are_permanent(sms, twilio, status):
    twilio.fail_next(status)
    error = refused(sms)
    assert error.permanent is True
    assert error.retry_after is None


@pytest.mark.parametrize("status", [408, 500, 502, 504])
def test_timeouts_and_server_errors_are_transient(sms, twilio, status):
    twilio.fail_next(status)
    error = refused(sms)
    assert error.permanent is False
    assert error.retry_after is None


def test_a_429_with_retry_after_in_seconds_says_when_to_try_again(sms, twilio):
    twilio.fail_next(429, retry_after="30")
    error = refused(sms)
    assert error.permanent is False
    assert error.retry_after == datetime.timedelta(seconds=30)
    assert "20429" in str(error)


@time_machine.travel(NOW, tick=False)
def test_a_503_with_retry_after_as_an_http_date_waits_until_then(sms, twilio):
    later = NOW + datetime.timedelta(minutes=2)
    twilio.fail_next(503, retry_after=email.utils.format_datetime(later, usegmt=True))
    error = refused(sms)
    assert error.permanent is False
    assert error.retry_after == datetime.timedelta(minutes=2)


def test_a_429_without_retry_after_leaves_the_wait_to_the_outbox(sms, twilio):
    twilio.fail_next(429)
    error = refused(sms)
    assert error.permanent is False
    assert error.retry_after is None


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("header", "wait"),
    [
        ("120", datetime.timedelta(seconds=120)),
        (" 0 ", datetime.timedelta(0)),
        ("Sun, 14 Mar 2027 12:00:45 GMT", datetime.timedelta(seconds=45)),
        ("Sun, 14 Mar 2027 11:00:00 GMT", datetime.timedelta(0)),  # already past
        ("soon", None),
        ("-5", None),
        ("", None),
        ("3600", datetime.timedelta(hours=1)),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(header, wait):
    assert retry_after(header) == wait


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "header",
    ["3601", "1000000000000", "9" * 5000, "Fri, 31 Dec 9999 23:59:59 GMT"],
)
def test_a_retry_after_longer_than_an_hour_waits_an_hour(header):
    assert retry_after(header) == datetime.timedelta(hours=1)


@pytest.mark.parametrize("header", ["\u00b2", "\u0661\u0662", "\uff13\uff10", "3\u00b2"])
def test_a_retry_after_of_other_than_ascii_digits_is_unreadable(header):
    assert header.isdigit()
    assert retry_after(header) is None


def test_a_huge_retry_after_from_the_provider_is_an_hour_not_an_error(sms, twilio):
    twilio.fail_next(429, retry_after="1000000000000")
    error = refused(sms)
    assert (error.permanent, error.retry_after) == (False, datetime.timedelta(hours=1))


def test_an_unreachable_provider_is_transient(settings, twilio):
    settings.SMS_API_URL = "http://127.0.0.1:1"
    error = refused(TwilioSmsTransport())
    assert error.permanent is False


def test_a_provider_slower_than_the_timeout_is_transient(sms, twilio, monkeypatch):
    monkeypatch.setattr("reminders.channels.http_client.READ_TIMEOUT", 0.2)
    twilio.latency = 1.0
    error = refused(TwilioSmsTransport())  # a new pool, with the short timeout
    assert error.permanent is False


def test_one_transport_sends_from_many_threads_at_once(sms, twilio):
    twilio.latency = 0.1
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=10) as pool:
        sids = list(pool.map(lambda n: sms.send(message(n, to=f"+1202555{n:04d}")), range(40)))
    elapsed = time.monotonic() - started
    assert len(set(sids)) == 40
    assert sorted(m.to for m in twilio.messages) == [f"+1202555{n:04d}" for n in range(40)]
    # 40 requests of 0.1 s each one after another would take 4 s.
    assert elapsed < 2.0


def test_the_file_transport_writes_one_line_per_notification_across_instances(tmp_path):
    path = str(tmp_path / "outbox.jsonl")
    first, second = FileTransport(path), FileTransport(path)
    first.send(message(1))
    second.send(message(1))  # a redelivery in another worker process
    second.send(message(2))
    first.send(message(2))
    lines = [json.loads(line) for line in (tmp_path / "outbox.jsonl").read_text().splitlines()]
    assert [line["notification_id"] for line in lines] == [1, 2]
    assert lines[0]["scheduled_for"] == "2027-03-14T12:00:00+00:00"
    assert {"notification_id", "channel", "kind", "to", "scheduled_for", "body"} <= set(lines[0])


def test_the_file_transport_writes_each_notification_once_from_many_threads(tmp_path):
    path = str(tmp_path / "outbox.jsonl")
    transport = FileTransport(path)
    barrier = threading.Barrier(8)

    def send_all(_: int) -> None:
        barrier.wait()
        for n in range(20):
            transport.send(message(n))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(send_all, range(8)))
    lines = (tmp_path / "outbox.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["notification_id"] for line in lines) == list(range(20))
