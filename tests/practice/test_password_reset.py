"""Password reset by email: the same answer whoever asks, a signed link that works once
and expires, sent after commit, and the server's own page for those without the app."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from kombu.exceptions import OperationalError as KombuOperationalError
from rest_framework.test import APIClient

from practice import passwords, tasks
from practice.logins import user_set_active
from practice.models import User
from tests.clients import error_of
from tests.factories import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
RESET = "/api/v1/auth/password/reset/"
CONFIRM = "/api/v1/auth/password/reset/confirm/"
NEW_PASSWORD = "a-long-fresh-password"
LINK = re.compile(r"(?P<base>\S+/)(?P<uid>[\w-]+)/(?P<token>[\w-]+)/$", re.MULTILINE)
INVALID_LINK = {
    "status": 400,
    "code": "reset_link_invalid",
    "detail": "This password reset link is wrong, used or expired; ask for a new one.",
    "errors": {},
}


@pytest.fixture
def ask(monkeypatch, django_capture_on_commit_callbacks):
    """Ask for a reset as the app does; the email task runs in this process on commit."""
    monkeypatch.setattr(tasks.password_reset_emails, "delay", tasks.password_reset_emails)

    def ask(email: str, client: APIClient | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or APIClient()).post(RESET, {"email": email})

    return ask


def link_in(message) -> dict[str, str]:
    found = LINK.search(message.body)
    assert found, message.body
    return found.groupdict()


def confirm(uid: str, token: str, password: str = NEW_PASSWORD):
    return APIClient().post(CONFIRM, {"uid": uid, "token": token, "new_password": password})


def can_log_in(username: str, password: str) -> bool:
    response = APIClient().post(TOKEN, {"username": username, "password": password})
    return response.status_code == 200


def test_an_unknown_address_gets_the_answer_a_known_one_gets(ask, patient_user, mailoutbox):
    known = ask("alex@example.com")
    unknown = ask("nobody@example.com")

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert known.json()["detail"]
    assert [message.to for message in mailoutbox] == [["alex@example.com"]]


def test_the_emailed_link_sets_a_new_password(ask, patient, patient_user, mailoutbox):
    assert ask("ALEX@example.com").status_code == 202

    (message,) = mailoutbox
    assert message.subject == "Choose a new password"
    assert "patient.one" in message.body
    for health_detail in (patient.clinic.name, "sciatica", "diagnos", "spine", "pain"):
        assert health_detail.lower() not in message.body.lower()
    link = link_in(message)
    assert link["base"] == "http://127.0.0.1:8000/account/reset/"

    assert confirm(link["uid"], link["token"]).status_code == 204
    assert can_log_in("patient.one", NEW_PASSWORD)
    assert not can_log_in("patient.one", PASSWORD)


def test_the_link_starts_with_the_configured_base(ask, settings, patient_user, mailoutbox):
    settings.PASSWORD_RESET_URL = "https://app.example.com/reset"
    ask("alex@example.com")
    assert link_in(mailoutbox[0])["base"] == "https://app.example.com/reset/"


def test_a_patient_record_address_reaches_its_login(ask, patient, patient_user, mailoutbox):
    User.objects.filter(pk=patient_user.pk).update(email="")
    assert ask("alex@example.com").status_code == 202
    (message,) = mailoutbox
    assert message.to == ["alex@example.com"]
    assert confirm(**_uid_token(message)).status_code == 204


def test_a_staff_address_reaches_the_staff_login(ask, clinic, mailoutbox):
    staff = make_staff(clinic=clinic, username="desk.two")
    User.objects.filter(pk=staff.user_id).update(email="desk.two@example.com")
    ask("desk.two@example.com")
    (message,) = mailoutbox
    assert "desk.two" in message.body


def test_the_email_leaves_only_after_the_request_commits(
    monkeypatch, django_capture_on_commit_callbacks, patient_user, mailoutbox
):
    queued: list[tuple] = []
    monkeypatch.setattr(tasks.password_reset_emails, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        assert APIClient().post(RESET, {"email": "alex@example.com"}).status_code == 202
    assert queued == []
    assert mailoutbox == []

    for callback in on_commit:
        callback()
    assert queued == [("alex@example.com", "en")]


def test_a_known_and_an_unknown_address_queue_the_same_work(
    monkeypatch, django_capture_on_commit_callbacks, patient_user
):
    queued: list[tuple] = []
    monkeypatch.setattr(tasks.password_reset_emails, "delay", lambda *args: queued.append(args))
    for email in ("alex@example.com", "nobody@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            APIClient().post(RESET, {"email": email})
    assert queued == [("alex@example.com", "en"), ("nobody@example.com", "en")]


def test_a_broker_outage_answers_as_ever_and_is_logged(
    monkeypatch, django_capture_on_commit_callbacks, patient_user, caplog
):
    def unreachable(*args):
        raise KombuOperationalError("Error 111 connecting to 127.0.0.1:1")

    monkeypatch.setattr(tasks.password_reset_emails, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        known = APIClient().post(RESET, {"email": "alex@example.com"})
    assert known.status_code == 202
    assert "broker is unreachable" in caplog.text


def test_an_archived_login_gets_no_email(ask, patient_user, mailoutbox):
    user_set_active(user_id=patient_user.pk, active=False, reason="archived")
    assert ask("alex@example.com").status_code == 202
    assert mailoutbox == []


def test_an_archived_login_is_sent_nothing(patient_user):
    user_set_active(user_id=patient_user.pk, active=False, reason="archived")
    assert passwords.password_reset_emails_send(email="alex@example.com") == 0


def test_a_login_without_a_usable_password_gets_no_email(patient_user, mailoutbox):
    patient_user.set_unusable_password()
    patient_user.save(update_fields=["password"])
    assert passwords.password_reset_emails_send(email="alex@example.com") == 0
    assert passwords.password_reset_email_send(user_id=patient_user.pk) is False
    assert mailoutbox == []


def test_a_login_archived_before_the_task_runs_gets_no_email(
    monkeypatch, django_capture_on_commit_callbacks, patient_user, mailoutbox
):
    monkeypatch.setattr(tasks.password_reset_emails, "delay", tasks.password_reset_emails)
    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        APIClient().post(RESET, {"email": "alex@example.com"})
    user_set_active(user_id=patient_user.pk, active=False, reason="archived")
    for callback in on_commit:
        callback()
    assert mailoutbox == []


def test_a_link_to_an_account_archived_since_is_refused(ask, patient_user, mailoutbox):
    ask("alex@example.com")
    user_set_active(user_id=patient_user.pk, active=False, reason="archived")
    response = confirm(**_uid_token(mailoutbox[0]))
    assert error_of(response) == INVALID_LINK


def test_a_link_works_once(ask, patient_user, mailoutbox):
    ask("alex@example.com")
    link = _uid_token(mailoutbox[0])
    assert confirm(**link).status_code == 204

    again = confirm(**link, password="another-long-password")

    assert again.status_code == 400
    assert error_of(again) == INVALID_LINK
    assert can_log_in("patient.one", NEW_PASSWORD)


def test_a_link_expires_after_the_reset_timeout(ask, settings, patient_user, mailoutbox):
    ask("alex@example.com")
    link = _uid_token(mailoutbox[0])
    later = timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
    with time_machine.travel(later):
        response = confirm(**link)
    assert error_of(response) == INVALID_LINK
    assert can_log_in("patient.one", PASSWORD)


def test_a_link_still_works_just_before_it_expires(ask, settings, patient_user, mailoutbox):
    ask("alex@example.com")
    link = _uid_token(mailoutbox[0])
    later = timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60)
    with time_machine.travel(later):
        assert confirm(**link).status_code == 204


def test_a_token_for_one_account_does_not_open_another(ask, therapist, patient_user, mailoutbox):
    ask("alex@example.com")
    link = _uid_token(mailoutbox[0])
    therapists_uid = _uid_token_for(therapist.user)["uid"]

    response = confirm(therapists_uid, link["token"])

    assert error_of(response) == INVALID_LINK
    assert can_log_in("pt.one", PASSWORD)


@pytest.mark.parametrize(
    "uid", ["x", "!!!", "bm90LWFuLWlk", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "MA"]
)
def test_a_uid_naming_no_account_is_the_same_400(patient_user, uid):
    response = confirm(uid, "abc-123")
    assert error_of(response) == INVALID_LINK


def test_a_weak_new_password_is_a_400_on_its_field_and_the_link_still_works(
    ask, patient_user, mailoutbox
):
    ask("alex@example.com")
    link = _uid_token(mailoutbox[0])

    weak = confirm(**link, password="12345678")

    assert weak.status_code == 400
    assert error_of(weak)["code"] == "invalid"
    assert "new_password" in error_of(weak)["errors"]
    assert confirm(**link).status_code == 204


def test_a_reset_ends_every_earlier_login(ask, patient_user, mailoutbox):
    earlier = APIClient().post(TOKEN, {"username": "patient.one", "password": PASSWORD}).json()
    ask("alex@example.com")
    assert confirm(**_uid_token(mailoutbox[0])).status_code == 204

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {earlier['access']}")
    refused = client.get("/api/v1/me/")
    assert refused.status_code == 401
    assert error_of(refused)["code"] == "password_changed"


def test_reset_requests_are_throttled_per_address_across_addresses(
    ask, settings, patient_user, mailoutbox
):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    limit = int(rates["password_reset_email"].split("/")[0])
    for attempt in range(limit):
        client = APIClient(REMOTE_ADDR=f"10.0.0.{attempt + 1}")
        assert ask("alex@example.com", client).status_code == 202
    blocked = ask("Alex@Example.com", APIClient(REMOTE_ADDR="10.0.1.1"))
    assert blocked.status_code == 429
    assert len(mailoutbox) == limit


def test_reset_requests_are_throttled_per_ip_across_addresses(ask, settings):
    limit = int(
        settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["password_reset_ip"].split("/")[0]
    )
    client = APIClient(REMOTE_ADDR="10.9.9.9")
    for attempt in range(limit):
        assert ask(f"nobody{attempt}@example.com", client).status_code == 202
    assert ask("someone@example.com", client).status_code == 429


def test_a_malformed_address_is_a_400(anon):
    response = anon.post(RESET, {"email": "not an address"})
    assert response.status_code == 400
    assert "email" in error_of(response)["errors"]


# The server's own page, for whoever opens the link without the app.


def test_the_server_page_sets_a_new_password(ask, client, patient_user, mailoutbox):
    ask("alex@example.com")
    link = _uid_token(mailoutbox[0])

    opened = client.get(f"/account/reset/{link['uid']}/{link['token']}/", follow=True)
    assert opened.status_code == 200
    assert b"Choose a new password" in opened.content
    form_url = opened.redirect_chain[-1][0]

    done = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )

    assert done.status_code == 200
    assert done.redirect_chain[-1][0] == "/account/reset/done/"
    assert b"Password changed" in done.content
    assert can_log_in("patient.one", NEW_PASSWORD)
    used = client.get(f"/account/reset/{link['uid']}/{link['token']}/", follow=True)
    assert b"This link does not work" in used.content


def test_the_server_page_refuses_a_link_to_an_archived_account(
    ask, client, patient_user, mailoutbox
):
    ask("alex@example.com")
    link = _uid_token(mailoutbox[0])
    user_set_active(user_id=patient_user.pk, active=False, reason="archived")

    page = client.get(f"/account/reset/{link['uid']}/{link['token']}/", follow=True)

    assert page.status_code == 200
    assert b"This link does not work" in page.content


def _uid_token(message) -> dict[str, str]:
    link = link_in(message)
    return {"uid": link["uid"], "token": link["token"]}


def _uid_token_for(user: User) -> dict[str, str]:
    return {
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
