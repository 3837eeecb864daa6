"""Delivery receipts: what a provider says about a message after it took it.

"sent" on the row means the provider accepted the message; its status callback later
says whether the phone got it. Callbacks come late, more than once and out of order
(Twilio posts "sent" and "delivered" from different systems), so each is one guarded
UPDATE: delivered is final and nothing turns it back; undelivered and failed replace
each other, as the latest word, but never a delivered; the statuses on the way
(queued, sending, sent, accepted, scheduled) record nothing.

A callback can also come before its row carries the message id: the delivery batch
writes the id after the send, and the provider does not post the callback again. A
final word for an id no row carries waits as a `WaitingReceipt` (the final-most one
per id), and the row's sent outcome applies it (`notification_receipts_apply_waiting`).
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.db import on_postgresql

from .models import Notification, WaitingReceipt

Receipt = Notification.Receipt

# The provider's final statuses (Twilio's MessageStatus vocabulary); "read" (a chat
# channel's read receipt) implies delivered.
_FINAL = {
    "delivered": Receipt.DELIVERED,
    "read": Receipt.DELIVERED,
    "undelivered": Receipt.UNDELIVERED,
    "failed": Receipt.FAILED,
}
_ERROR_LENGTH = Notification._meta.get_field("receipt_error").max_length or 200
# Longer than any row's provider id: it names none of ours.
_ID_LENGTH = Notification._meta.get_field("provider_message_id").max_length or 200

WAITING_LIFETIME = datetime.timedelta(days=2)

_OUTBOX = connection.ops.quote_name(Notification._meta.db_table)
_WAITING = connection.ops.quote_name(WaitingReceipt._meta.db_table)

# The final-most word per id: delivered is final; otherwise the latest one.
_WAIT = f"""
    INSERT INTO {_WAITING} AS w (provider_message_id, status, error_code, at, created_at)
    VALUES (%(id)s, %(status)s, %(error)s, %(at)s, %(now)s)
    ON CONFLICT (provider_message_id) DO UPDATE
    SET status = EXCLUDED.status, error_code = EXCLUDED.error_code, at = EXCLUDED.at
    WHERE w.status <> %(delivered)s
"""  # noqa: S608 (names from the models)

# One statement: deleting the waiting words locks them, so a callback storing one for
# the same id meanwhile waits, then finds the row's id and applies its own. A waiting
# word is older than any the row has: a delivered applies unless the row is already
# delivered, an undelivered or failed only to a row that has no word yet.
_APPLY = f"""
    WITH applied AS (
        DELETE FROM {_WAITING} w
        USING {_OUTBOX} n
        WHERE w.provider_message_id = ANY(%(ids)s)
          AND n.provider_message_id = w.provider_message_id
        RETURNING w.provider_message_id, w.status, w.error_code, w.at
    )
    UPDATE {_OUTBOX} n
    SET receipt = a.status,
        delivered_at = CASE WHEN a.status = %(delivered)s THEN a.at ELSE n.delivered_at END,
        receipt_error = CASE WHEN a.status = %(delivered)s THEN '' ELSE a.error_code END,
        updated_at = %(now)s
    FROM applied a
    WHERE n.provider_message_id = a.provider_message_id
      AND n.receipt <> %(delivered)s
      AND (a.status = %(delivered)s OR n.receipt = '')
"""  # noqa: S608 (names from the models)


def notification_receipt_record(
    *,
    provider_message_id: str,
    status: str,
    error_code: str = "",
    at: datetime.datetime,
) -> int:
    """Record the provider's `status` for the row it knows as `provider_message_id`, as
    of `at`; returns how many rows changed (0 for an intermediate status, a receipt
    already recorded, or an id no row carries yet: that final word waits for the row's
    sent outcome)."""
    receipt = _FINAL.get(status.strip().lower())
    if receipt is None or not provider_message_id or len(provider_message_id) > _ID_LENGTH:
        return 0
    rows = Notification.objects.filter(provider_message_id=provider_message_id)
    now = timezone.now()
    error = "" if receipt == Receipt.DELIVERED else error_code.strip()[:_ERROR_LENGTH]
    if receipt == Receipt.DELIVERED:
        changed = rows.exclude(receipt=Receipt.DELIVERED).update(
            receipt=receipt, delivered_at=at, receipt_error="", updated_at=now
        )
    else:
        # The same word again changes nothing (a retried callback keeps the row as it was).
        changed = (
            rows.exclude(receipt=Receipt.DELIVERED)
            .exclude(Q(receipt=receipt) & Q(receipt_error=error))
            .update(receipt=receipt, receipt_error=error, updated_at=now)
        )
    if changed or rows.exists():
        return changed
    with connection.cursor() as cursor:
        cursor.execute(
            _WAIT,
            {
                "id": provider_message_id,
                "status": receipt,
                "error": error,
                "at": at,
                "now": now,
                "delivered": Receipt.DELIVERED,
            },
        )
    # The row's id may have been written since the look-up, its waiting words applied
    # before this one was stored: apply it now.
    return notification_receipts_apply_waiting(provider_message_ids=[provider_message_id])


def notification_receipts_apply_waiting(*, provider_message_ids: list[str]) -> int:
    """Apply the receipts that came before their rows carried these provider ids, and
    delete them; returns how many rows changed. Call it once the sent outcomes naming
    these ids are committed (not inside their transaction: a callback storing its word
    meanwhile applies it only once it can see the ids). Ids without a waiting receipt,
    or no row yet, cost nothing; a delivered row stays delivered, and a waiting
    undelivered or failed (older than whatever the row has) only fills a row without a
    receipt."""
    ids = [pid for pid in provider_message_ids if pid]
    if not ids:
        return 0
    if not on_postgresql():
        return _apply_waiting_portable(ids)
    with connection.cursor() as cursor:
        cursor.execute(_APPLY, {"ids": ids, "delivered": Receipt.DELIVERED, "now": timezone.now()})
        return cursor.rowcount


@transaction.atomic
def _apply_waiting_portable(ids: list[str]) -> int:
    """`_APPLY` row by row, for SQLite (development), where one writer runs at a time."""
    now = timezone.now()
    changed = 0
    carried = Notification.objects.filter(provider_message_id__in=ids).values("provider_message_id")
    for word in WaitingReceipt.objects.filter(provider_message_id__in=carried):
        rows = Notification.objects.filter(provider_message_id=word.provider_message_id).exclude(
            receipt=Receipt.DELIVERED
        )
        if word.status == Receipt.DELIVERED:
            changed += rows.update(
                receipt=word.status, delivered_at=word.at, receipt_error="", updated_at=now
            )
        else:
            changed += rows.filter(receipt="").update(
                receipt=word.status, receipt_error=word.error_code, updated_at=now
            )
        word.delete()
    return changed


def waiting_receipts_prune(*, now: datetime.datetime) -> int:
    """Delete waiting receipts older than `WAITING_LIFETIME`: a row of ours takes its
    id within a delivery lease, so these name another system's messages on the same
    provider account, or a send whose id was never written (it went again)."""
    deleted, _ = WaitingReceipt.objects.filter(created_at__lt=now - WAITING_LIFETIME).delete()
    return deleted
