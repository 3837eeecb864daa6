"""Transports against a local stand-in for the SMS and push providers."""

from __future__ import annotations

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from reminders.channels import (
    FcmPushTransport,
    FileTransport,
    Message,
    TransportError,
    TwilioSmsTransport,
)


def message(notification_id: int = 7, channel: str = "sms") -> Message:
    return Message(
        notification_id=notification_id,
        channel=channel,
        kind="exercise",
        to="+12025550123",
        scheduled_for=datetime.datetime(2027, 3, 14, 12, 0, tzinfo=datetime.UTC),
        subject="Time for your exercises",
        body="It's time for today's exercises. Open the app: https://app.example.com/open",
    )


@pytest.fixture
def provider():
    """A provider that answers with the status and body queued in `replies`."""
    state = {"replies": [], "requests": []}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            state["requests"].append((self.path, dict(self.headers), self.rfile.read(length)))
            status, body = state["replies"].pop(0)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_port}"
    yield state
    server.shutdown()


@pytest.fixture
def sms(settings, provider):
    settings.SMS_API_URL = provider["url"]
    settings.SMS_ACCOUNT_SID = "AC123"
    settings.SMS_AUTH_TOKEN = "secret"
    settings.SMS_FROM_NUMBER = "+12025550199"
    return TwilioSmsTransport()


def test_an_accepted_text_returns_the_provider_id(sms, provider):
    provider["replies"] = [(201, {"sid": "SM42"})]
    assert sms.send(message()) == "SM42"
    path, headers, body = provider["requests"][0]
    assert path == "/2010-04-01/Accounts/AC123/Messages.json"
    assert headers["Idempotency-Key"] == "notification-7"
    assert b"To=%2B12025550123" in body


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (404, True), (429, False)])
def test_client_errors_are_permanent_except_rate_limits(sms, provider, status, permanent):
    provider["replies"] = [(status, {"message": "no"})]
    with pytest.raises(TransportError) as error:
        sms.send(message())
    assert error.value.permanent is permanent


def test_server_errors_are_transient(sms, provider):
    provider["replies"] = [(503, {})]
    with pytest.raises(TransportError) as error:
        sms.send(message())
    assert error.value.permanent is False


def test_an_unreachable_provider_is_transient(settings):
    settings.SMS_API_URL = "http://127.0.0.1:1"
    with pytest.raises(TransportError) as error:
        TwilioSmsTransport().send(message())
    assert error.value.permanent is False


def test_push_posts_the_token_and_returns_the_message_name(settings, provider):
    settings.PUSH_API_URL = provider["url"] + "/v1/projects/demo/messages:send"
    settings.PUSH_AUTH_TOKEN = "bearer-token"
    provider["replies"] = [(200, {"name": "projects/demo/messages/1"})]
    assert FcmPushTransport().send(message(channel="push")) == "projects/demo/messages/1"
    _, headers, body = provider["requests"][0]
    assert headers["Authorization"] == "Bearer bearer-token"
    assert json.loads(body)["message"]["token"] == "+12025550123"


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
