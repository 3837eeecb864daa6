"""Push through FCM HTTP v1 against a stand-in for Google: the service account's signed
JWT exchanged for an access token, the token cached and shared by threads, refreshed
before expiry and once on a 401; FCM's refusals read as permanent or transient."""

from __future__ import annotations

import datetime
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jwt
import pytest
import time_machine

from reminders.channels import FcmPushTransport, Message, TransportError
from tests.standins.google import JWT_BEARER, SCOPE, TOKEN_AUDIENCE, GoogleStandIn

DEVICE = "fcm-device-token-1"
SEND = "messages:send"


def message(notification_id: int = 7, to: str = DEVICE) -> Message:
    return Message(
        notification_id=notification_id,
        channel="push",
        kind="exercise",
        to=to,
        scheduled_for=datetime.datetime(2027, 3, 14, 12, 0, tzinfo=datetime.UTC),
        subject="Time for your exercises",
        body="Open the app for today's exercises.",
    )


@pytest.fixture
def google(settings, tmp_path):
    standin = GoogleStandIn()
    with standin as url:
        settings.PUSH_API_URL = url
        settings.PUSH_SERVICE_ACCOUNT_FILE = standin.write_service_account(tmp_path / "key.json")
        yield standin


@pytest.fixture
def push(google):
    return FcmPushTransport()


def refused(transport: FcmPushTransport, text: Message | None = None) -> TransportError:
    with pytest.raises(TransportError) as error:
        transport.send(text or message())
    return error.value


def test_a_push_exchanges_a_signed_jwt_for_a_token_and_posts_to_fcm_v1(push, google):
    name = push.send(message())
    (token_request,) = google.token_requests
    form = token_request.form()
    assert form["grant_type"] == JWT_BEARER
    claims = jwt.decode(form["assertion"], options={"verify_signature": False})
    assert claims["iss"] == google.client_email
    assert claims["aud"] == TOKEN_AUDIENCE
    assert claims["scope"] == SCOPE
    (send,) = google.requests_to(SEND)
    assert send.path == f"/v1/projects/{google.project_id}/messages:send"
    assert send.headers["authorization"] == f"Bearer {google.issued_tokens[0]}"
    assert send.json() == {
        "message": {
            "token": DEVICE,
            "notification": {
                "title": "Time for your exercises",
                "body": "Open the app for today's exercises.",
            },
            "data": {"notification_id": "7", "kind": "exercise"},
        }
    }
    assert name.startswith(f"projects/{google.project_id}/messages/")
    assert google.sent == [send.json()["message"]]


def test_the_token_is_cached_across_sends(push, google):
    for n in range(5):
        push.send(message(n))
    assert len(google.token_requests) == 1
    assert len({r.headers["authorization"] for r in google.requests_to(SEND)}) == 1
    assert len(google.sent) == 5


def test_threads_sending_at_once_share_one_token_request(push, google):
    google.latency = 0.05  # every thread's first send is waiting for the token at once
    barrier = threading.Barrier(8)

    def send_five(worker: int) -> None:
        barrier.wait()
        for n in range(5):
            push.send(message(worker * 10 + n))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(send_five, range(8)))
    assert len(google.token_requests) == 1
    assert len(google.sent) == 40


def test_a_token_is_replaced_shortly_before_it_expires(push, google):
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as clock:
        push.send(message(1))
        clock.shift(datetime.timedelta(seconds=google.expires_in - 60))
        push.send(message(2))  # the old token would still be accepted for a minute
    assert len(google.token_requests) == 2
    first, new = google.issued_tokens
    bearers = [r.headers["authorization"] for r in google.requests_to(SEND)]
    assert bearers == [f"Bearer {first}", f"Bearer {new}"]  # no 401 on the way


def test_an_expired_token_is_refreshed_once_and_the_send_succeeds(push, google):
    push.send(message(1))
    google.expire_tokens()  # FCM now refuses the token the transport holds
    name = push.send(message(2))
    assert name.startswith(f"projects/{google.project_id}/messages/")
    assert len(google.token_requests) == 2  # exactly one new token
    first, new = google.issued_tokens
    bearers = [r.headers["authorization"] for r in google.requests_to(SEND)]
    # The first send, the refused one, the retry with the new token.
    assert bearers == [f"Bearer {first}", f"Bearer {first}", f"Bearer {new}"]
    assert len(google.sent) == 2


def test_threads_refused_at_once_fetch_one_new_token(push, google):
    push.send(message(0))
    google.expire_tokens()
    barrier = threading.Barrier(6)

    def send(n: int) -> str:
        barrier.wait()
        return push.send(message(n))

    with ThreadPoolExecutor(max_workers=6) as pool:
        names = list(pool.map(send, range(1, 7)))
    assert len(set(names)) == 6
    assert len(google.token_requests) == 2


def test_a_token_refused_again_after_the_refresh_is_transient(push, google):
    google.fail_next(401, count=2, where=SEND)
    error = refused(push)
    assert error.permanent is False  # our credentials, not the message
    assert len(google.token_requests) == 2  # refreshed once, not again and again
    assert len(google.requests_to(SEND)) == 2


def test_an_unregistered_device_is_permanent(push, google):
    google.unregistered.add(DEVICE)
    error = refused(push)
    assert error.permanent is True
    assert "UNREGISTERED" in str(error)
    assert "HTTP 404" in str(error)


def test_an_invalid_registration_token_is_permanent(push, google):
    google.invalid.add(DEVICE)
    error = refused(push)
    assert error.permanent is True
    assert "INVALID_ARGUMENT" in str(error)


def test_a_token_of_another_sender_is_permanent(push, google):
    google.other_sender.add(DEVICE)
    error = refused(push)
    assert error.permanent is True
    assert "SENDER_ID_MISMATCH" in str(error)
    assert "HTTP 403" in str(error)


def test_a_project_the_key_may_not_send_for_is_transient(settings, push, google):
    """403 PERMISSION_DENIED refuses our credentials (a key of another project, a
    missing role), not the message: it goes once the key is fixed."""
    key_file = Path(settings.PUSH_SERVICE_ACCOUNT_FILE)
    key = json.loads(key_file.read_text())
    key_file.write_text(json.dumps({**key, "project_id": "another-project"}))
    error = refused(push)
    assert error.permanent is False
    assert "PERMISSION_DENIED" in str(error)
    assert "HTTP 403" in str(error)
    assert google.sent == []


def test_a_429_with_retry_after_is_transient_and_says_when(push, google):
    google.fail_next(429, where=SEND, retry_after="120")
    error = refused(push)
    assert error.permanent is False
    assert error.retry_after == datetime.timedelta(seconds=120)
    assert "QUOTA_EXCEEDED" in str(error)


@pytest.mark.parametrize(("status", "wait"), [(503, "7"), (500, None)])
def test_server_errors_are_transient(push, google, status, wait):
    google.fail_next(status, where=SEND, retry_after=wait)
    error = refused(push)
    assert error.permanent is False
    assert error.retry_after == (datetime.timedelta(seconds=int(wait)) if wait else None)


def test_a_key_the_token_endpoint_rejects_is_transient(settings, tmp_path, google):
    other = GoogleStandIn(project_id=google.project_id)  # another key, same account names
    with other:
        key = {**other.service_account_info(), "token_uri": google.token_uri}
    key["client_email"], key["private_key_id"] = google.client_email, google.key_id
    (tmp_path / "wrong.json").write_text(json.dumps(key))
    settings.PUSH_SERVICE_ACCOUNT_FILE = str(tmp_path / "wrong.json")
    error = refused(FcmPushTransport())
    assert error.permanent is False
    assert "invalid_grant" in str(error)
    assert google.sent == []


def test_a_missing_key_file_is_transient(settings, tmp_path):
    settings.PUSH_SERVICE_ACCOUNT_FILE = str(tmp_path / "absent.json")
    assert refused(FcmPushTransport()).permanent is False


def test_a_token_endpoint_that_is_down_is_transient(push, google):
    google.fail_next(503, where="/token", count=10)
    assert refused(push).permanent is False
    assert google.sent == []
