"""A receipt that comes before its row carries the provider's id waits, keeping the
final-most word, and the row's sent outcome applies it; old ones nobody takes are
pruned by the daily archive."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db.models import QuerySet

from reminders import receipts, retention
from reminders.models import Channel, Notification, WaitingReceipt
from reminders.receipts import notification_receipt_record, notification_receipts_apply_waiting
from reminders.webhooks import signature
from tests.factories import make_notification
from tests.reminders.receipt_helpers import NOW, TOKEN, URL, Receipt, new_sids

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("status_token")]


@pytest.fixture
def sending(patient):
    """A text handed to the provider whose sid the batch has not written yet."""
    return make_notification(
        patient, channel=Channel.SMS, at=NOW, status=Notification.Status.SENDING
    )


def sent(row: Notification, sid: str) -> Notification:
    """The batch's sent outcome: the row takes its sid."""
    Notification.objects.filter(pk=row.pk).update(
        status=Notification.Status.SENT, sent_at=NOW, provider_message_id=sid
    )
    return Notification.objects.get(pk=row.pk)


def record(sid: str, status: str, *, error_code: str = "", at: datetime.datetime = NOW) -> int:
    return notification_receipt_record(
        provider_message_id=sid, status=status, error_code=error_code, at=at
    )


def waiting() -> list[tuple[str, str, str]]:
    return list(
        WaitingReceipt.objects.order_by("provider_message_id").values_list(
            "provider_message_id", "status", "error_code"
        )
    )


@time_machine.travel(NOW, tick=False)
def test_a_callback_before_the_sid_is_written_is_applied_by_the_sent_outcome(client, sending):
    sid = next(new_sids)
    data = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": "AC1"}
    response = client.post(URL, data, HTTP_X_TWILIO_SIGNATURE=signature(URL, data, TOKEN))
    assert response.status_code == 200
    assert waiting() == [(sid, Receipt.DELIVERED, "")]

    sent(sending, sid)
    assert notification_receipts_apply_waiting(provider_message_ids=[sid]) == 1
    row = Notification.objects.get(pk=sending.pk)
    assert (row.receipt, row.delivered_at, row.status) == (
        Receipt.DELIVERED,
        NOW,
        Notification.Status.SENT,
    )
    assert waiting() == []


@pytest.fixture(params=["postgresql", "portable"])
def either_path(request, monkeypatch):
    """Both ways of applying waiting receipts: PostgreSQL's statement, and the one SQLite
    runs in development (here on PostgreSQL)."""
    if request.param == "portable":
        monkeypatch.setattr(receipts, "on_postgresql", lambda: False)


def test_waiting_receipts_apply_in_bulk_and_leave_other_ids_waiting(patient, either_path):
    rows = [
        make_notification(patient, channel=Channel.SMS, status=Notification.Status.SENDING)
        for _ in range(3)
    ]
    sids = [next(new_sids) for _ in rows]
    record(sids[0], "delivered")
    record(sids[1], "undelivered", error_code="30003")
    stranger = next(new_sids)
    record(stranger, "failed", error_code="30008")
    for row, sid in zip(rows, sids, strict=True):
        sent(row, sid)

    assert notification_receipts_apply_waiting(provider_message_ids=sids) == 2
    got = {r.pk: (r.receipt, r.receipt_error) for r in Notification.objects.all()}
    assert got == {
        rows[0].pk: (Receipt.DELIVERED, ""),
        rows[1].pk: (Receipt.UNDELIVERED, "30003"),
        rows[2].pk: ("", ""),
    }
    assert waiting() == [(stranger, Receipt.FAILED, "30008")]


def test_a_waiting_receipt_keeps_only_the_final_most_word(patient):
    sid = next(new_sids)
    record(sid, "failed", error_code="30008")
    record(sid, "undelivered", error_code="30003")
    assert waiting() == [(sid, Receipt.UNDELIVERED, "30003")]
    record(sid, "delivered")
    record(sid, "failed", error_code="30008")
    record(sid, "sent")
    assert waiting() == [(sid, Receipt.DELIVERED, "")]


def test_a_waiting_failure_does_not_replace_the_rows_later_word(patient, sending, either_path):
    sid = next(new_sids)
    record(sid, "undelivered", error_code="30003")
    sent(sending, sid)
    record(sid, "failed", error_code="30008")  # came after the sid: on the row itself
    assert notification_receipts_apply_waiting(provider_message_ids=[sid]) == 0
    row = Notification.objects.get(pk=sending.pk)
    assert (row.receipt, row.receipt_error) == (Receipt.FAILED, "30008")
    assert waiting() == []


def test_a_waiting_delivery_replaces_an_undelivered_but_nothing_undoes_a_delivery(
    patient, either_path
):
    early, late = (
        make_notification(patient, channel=Channel.SMS, status=Notification.Status.SENDING)
        for _ in range(2)
    )
    early_sid, late_sid = next(new_sids), next(new_sids)
    record(early_sid, "delivered")
    record(late_sid, "delivered")
    sent(early, early_sid)
    sent(late, late_sid)
    record(early_sid, "undelivered", error_code="30003")
    record(late_sid, "delivered", at=NOW + datetime.timedelta(minutes=1))
    assert notification_receipts_apply_waiting(provider_message_ids=[early_sid, late_sid]) == 1
    early, late = (Notification.objects.get(pk=row.pk) for row in (early, late))
    assert (early.receipt, early.delivered_at) == (Receipt.DELIVERED, NOW)
    # Delivered on the row already: a waiting word changes nothing.
    assert (late.receipt, late.delivered_at) == (
        Receipt.DELIVERED,
        NOW + datetime.timedelta(minutes=1),
    )


def test_a_sid_written_while_the_callback_looked_is_applied_by_the_callback(
    patient, sending, monkeypatch
):
    """The batch writes the sid and applies the waiting receipts between the callback's
    look-up (no row) and its storing the word: the callback applies its own."""
    sid = next(new_sids)
    real_exists = QuerySet.exists

    def batch_meanwhile(queryset: QuerySet) -> bool:
        found = real_exists(queryset)
        monkeypatch.setattr(QuerySet, "exists", real_exists)
        sent(sending, sid)
        assert notification_receipts_apply_waiting(provider_message_ids=[sid]) == 0
        return found

    monkeypatch.setattr(QuerySet, "exists", batch_meanwhile)
    assert record(sid, "delivered") == 1
    assert Notification.objects.get(pk=sending.pk).receipt == Receipt.DELIVERED
    assert waiting() == []


def test_the_same_callback_twice_stores_one_waiting_receipt(patient):
    sid = next(new_sids)
    assert record(sid, "undelivered", error_code="30003") == 0
    assert record(sid, "undelivered", error_code="30003") == 0
    assert WaitingReceipt.objects.count() == 1


def test_an_id_longer_than_any_row_can_carry_is_not_stored(patient):
    assert record("SM" + "0" * 300, "delivered") == 0
    assert waiting() == []


def test_the_daily_archive_prunes_waiting_receipts_nobody_took(patient):
    with time_machine.travel(NOW - datetime.timedelta(days=3), tick=False):
        record(next(new_sids), "delivered")
    recent = next(new_sids)
    with time_machine.travel(NOW - datetime.timedelta(hours=1), tick=False):
        record(recent, "failed", error_code="30008")
    retention.notifications_archive(now=NOW)
    assert waiting() == [(recent, Receipt.FAILED, "30008")]
