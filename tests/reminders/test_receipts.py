"""Delivery receipts: Twilio's signed status callback records delivered, undelivered or
failed on the row it names; late, repeated and out-of-order callbacks never undo a
delivery; the admin's outbox shows and filters them."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from patients.services import patient_update
from practice.models import Role
from reminders.models import Channel, Notification
from reminders.receipts import notification_receipt_record
from reminders.webhooks import signature
from tests.factories import make_notification, make_staff
from tests.reminders.receipt_helpers import NOW, TOKEN, URL, Receipt, new_sids
from tests.standins.twilio import TwilioStandIn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("status_token")]


@pytest.fixture
def text(patient):
    """An SMS the provider accepted an hour ago."""
    sent = NOW - datetime.timedelta(hours=1)
    return make_notification(
        patient,
        channel=Channel.SMS,
        at=sent,
        status=Notification.Status.SENT,
        sent_at=sent,
        provider_message_id=next(new_sids),
    )


def callback(client, sid: str, status: str, *, error_code: str = "", sign_with: str = TOKEN):
    """Post a status callback as Twilio does: the form, signed with the URL and token."""
    data = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "AccountSid": "AC1"}
    if error_code:
        data["ErrorCode"] = error_code
    return client.post(URL, data, HTTP_X_TWILIO_SIGNATURE=signature(URL, data, sign_with))


def record(sid: str, status: str, *, error_code: str = "", at: datetime.datetime = NOW) -> int:
    return notification_receipt_record(
        provider_message_id=sid, status=status, error_code=error_code, at=at
    )


def fresh(row: Notification) -> Notification:
    return Notification.objects.get(pk=row.pk)


@time_machine.travel(NOW, tick=False)
def test_a_signed_delivered_callback_records_the_delivery_and_when(client, text):
    response = callback(client, text.provider_message_id, "delivered")
    assert response.status_code == 200
    row = fresh(text)
    assert (row.receipt, row.delivered_at, row.receipt_error) == (Receipt.DELIVERED, NOW, "")
    assert row.status == Notification.Status.SENT


@pytest.mark.parametrize("forged", ["wrong-token", None])
def test_a_callback_with_a_bad_signature_is_refused_and_records_nothing(client, text, forged):
    before = model_to_dict(fresh(text))
    data = {"MessageSid": text.provider_message_id, "MessageStatus": "delivered"}
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature(URL, data, forged)} if forged else {}
    response = client.post(URL, data, **headers)
    assert response.status_code == 403
    assert model_to_dict(fresh(text)) == before
    assert fresh(text).updated_at == text.updated_at


def test_a_signature_for_other_fields_is_refused(client, text):
    signed = {"MessageSid": text.provider_message_id, "MessageStatus": "failed"}
    data = {**signed, "MessageStatus": "delivered"}
    response = client.post(URL, data, HTTP_X_TWILIO_SIGNATURE=signature(URL, signed, TOKEN))
    assert response.status_code == 403
    assert fresh(text).receipt == ""


@pytest.mark.parametrize(
    ("status", "receipt"), [("undelivered", "undelivered"), ("failed", "failed")]
)
def test_a_message_that_did_not_arrive_records_twilios_error_code(client, text, status, receipt):
    assert callback(client, text.provider_message_id, status, error_code="30003").status_code == 200
    row = fresh(text)
    assert (row.receipt, row.receipt_error, row.delivered_at) == (receipt, "30003", None)


@pytest.mark.parametrize("status", ["queued", "sending", "sent", "accepted", "scheduled"])
def test_statuses_on_the_way_record_nothing(client, text, status):
    assert callback(client, text.provider_message_id, status).status_code == 200
    assert model_to_dict(fresh(text)) == model_to_dict(text)


def test_an_unknown_message_is_answered_200_and_changes_nothing(client, text):
    response = callback(client, "SM" + "f" * 32, "delivered")
    assert response.status_code == 200
    assert fresh(text).receipt == ""


@pytest.mark.parametrize("late", ["undelivered", "failed", "sent", "queued"])
def test_a_late_callback_does_not_undo_a_delivery(text, late):
    notification_receipt_record(
        provider_message_id=text.provider_message_id, status="delivered", at=NOW
    )
    changed = notification_receipt_record(
        provider_message_id=text.provider_message_id,
        status=late,
        error_code="30005",
        at=NOW + datetime.timedelta(minutes=5),
    )
    row = fresh(text)
    assert changed == 0
    assert (row.receipt, row.delivered_at, row.receipt_error) == (Receipt.DELIVERED, NOW, "")


def test_a_repeated_delivered_callback_keeps_the_first_time(text):
    sid = text.provider_message_id
    assert record(sid, "delivered") == 1
    assert record(sid, "delivered", at=NOW + datetime.timedelta(minutes=1)) == 0
    assert fresh(text).delivered_at == NOW


def test_a_delivery_after_an_undelivered_report_is_recorded(text):
    sid = text.provider_message_id
    notification_receipt_record(
        provider_message_id=sid, status="undelivered", error_code="30003", at=NOW
    )
    later = NOW + datetime.timedelta(minutes=3)
    assert notification_receipt_record(provider_message_id=sid, status="delivered", at=later) == 1
    row = fresh(text)
    assert (row.receipt, row.delivered_at, row.receipt_error) == (Receipt.DELIVERED, later, "")


def test_the_same_failure_twice_changes_the_row_once(text):
    sid = text.provider_message_id
    first = notification_receipt_record(
        provider_message_id=sid, status="failed", error_code="30008", at=NOW
    )
    again = notification_receipt_record(
        provider_message_id=sid, status="failed", error_code="30008", at=NOW
    )
    assert (first, again) == (1, 0)


def test_an_empty_message_id_matches_no_row(patient):
    make_notification(patient, channel=Channel.SMS, status=Notification.Status.SENT)
    assert record("", "delivered") == 0
    assert not Notification.objects.exclude(receipt="").exists()


def test_a_text_sent_through_twilio_is_marked_delivered_by_its_callback(
    settings, client, patient, django_capture_on_commit_callbacks
):
    """End to end: the outbox sends through the Twilio stand-in, which is told where to
    call back; the callback, signed for that URL, lands on the row."""
    twilio = TwilioStandIn(auth_token=TOKEN)
    patient_update(patient=patient, consent_sms=True)
    with twilio as url:
        settings.SMS_API_URL, settings.SMS_ACCOUNT_SID = url, twilio.account_sid
        settings.SMS_FROM_NUMBER, settings.SITE_URL = "+12025550199", "http://testserver"
        settings.REMINDERS_TRANSPORTS = {
            **settings.REMINDERS_TRANSPORTS,
            "sms": "reminders.channels.TwilioSmsTransport",
        }
        settings.REMINDERS_OUTBOX_FILE = ""
        # Noon in New York: inside the patient's waking hours.
        with time_machine.travel(datetime.datetime(2026, 11, 26, 17, 0, tzinfo=datetime.UTC)):
            row = make_notification(patient, channel=Channel.SMS, at=timezone.now())
            with django_capture_on_commit_callbacks(execute=True):  # the enqueue after commit
                call_command("send_due_reminders", stdout=io.StringIO())
    (sent,) = twilio.messages
    assert fresh(row).status == Notification.Status.SENT, fresh(row).last_error
    assert fresh(row).provider_message_id == sent.sid
    assert sent.status_callback == URL
    form = twilio.callback_form(sent.sid, "delivered")
    response = client.post(
        URL, form, HTTP_X_TWILIO_SIGNATURE=signature(sent.status_callback, form, TOKEN)
    )
    assert response.status_code == 200
    assert fresh(row).receipt == Receipt.DELIVERED


def test_the_outbox_list_shows_receipts_and_filters_by_them(client, clinic, patient):
    delivered = make_notification(
        patient,
        channel=Channel.SMS,
        status=Notification.Status.SENT,
        receipt=Receipt.DELIVERED,
        delivered_at=NOW,
    )
    undelivered = make_notification(
        patient, channel=Channel.SMS, status=Notification.Status.SENT, receipt=Receipt.UNDELIVERED
    )
    client.force_login(make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.r").user)
    changelist = reverse("admin:reminders_notification_changelist")

    everything = client.get(changelist).content.decode()
    assert "column-receipt" in everything
    assert "column-delivered_at" in everything
    assert "Failed after sending" in everything  # the filter offers every receipt

    only_delivered = client.get(changelist, {"receipt__exact": Receipt.DELIVERED}).content.decode()
    assert reverse("admin:reminders_notification_change", args=[delivered.pk]) in only_delivered
    assert (
        reverse("admin:reminders_notification_change", args=[undelivered.pk]) not in only_delivered
    )


@pytest.mark.parametrize("path", ["/webhooks/sms/", "/webhooks/sms/status/"])
@pytest.mark.parametrize("header", ["é" * 28, "RSOYDt4T1cUTdK1PDd93/VVr8B8\u00bd"])
def test_a_non_ascii_signature_is_refused_not_an_error(client, text, path, header):
    data = {"MessageSid": text.provider_message_id, "MessageStatus": "delivered"}
    response = client.post(path, data, HTTP_X_TWILIO_SIGNATURE=header)
    assert response.status_code == 403
    assert fresh(text).receipt == ""


def test_a_callback_is_verified_against_the_url_twilio_was_given(settings, client, text):
    """Behind a proxy the request arrives at another host and scheme than SITE_URL, the
    address each text asked Twilio to post to and sign."""
    settings.SITE_URL = "https://clinic.example.com/"
    data = {"MessageSid": text.provider_message_id, "MessageStatus": "delivered"}
    as_arrived = signature(URL, data, TOKEN)
    assert client.post(URL, data, HTTP_X_TWILIO_SIGNATURE=as_arrived).status_code == 403
    given = signature("https://clinic.example.com/webhooks/sms/status/", data, TOKEN)
    assert client.post(URL, data, HTTP_X_TWILIO_SIGNATURE=given).status_code == 200
    assert fresh(text).receipt == Receipt.DELIVERED


@pytest.mark.parametrize("path", ["/webhooks/sms/", "/webhooks/sms/status/"])
@pytest.mark.parametrize("field", ["MessageSid", "MessageStatus", "Body"])
def test_a_signed_field_with_a_nul_is_a_bad_request(client, text, path, field):
    data = {"MessageSid": text.provider_message_id, "MessageStatus": "failed", "Body": "hi"}
    data[field] = data[field][:4] + "\x00" + data[field][4:]
    url = f"http://testserver{path}"
    response = client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature(url, data, TOKEN))
    assert response.status_code == 400
    assert fresh(text).receipt == ""
