"""The outbox's write side: claim due rows and dispatch them, deliver, resend, cancel.
Callers use this module; the delivery itself lives in `reminders.delivery`.

Claiming and delivering are separate commits. A row is marked `sending` and committed
before any task is enqueued; the delivery marks its start with a guarded update and
commits before it talks to the provider, and records the outcome after. Whatever is
redelivered or re-dispatched finds the row already sent, or already being sent, and
leaves it alone.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .delivery import notification_deliver, notifications_deliver_batch
from .models import DeliveryProgress, Notification

__all__ = [
    "dispatch",
    "notification_cancel",
    "notification_deliver",
    "notification_resend",
    "notifications_claim_due",
    "notifications_deliver_batch",
]

Status = Notification.Status


def notifications_claim_due(*, now: datetime.datetime, limit: int) -> list[int]:
    """Mark up to `limit` due rows as sending and return their ids (call inside atomic).

    SKIP LOCKED lets several dispatchers claim at once without waiting for, or
    claiming, each other's rows. A row claimed more than a lease ago is due again when
    its delivery was lost, and only then:

    - started more than a lease ago and still sending: its worker died mid-send;
    - never started: lost only if the queue has moved past it. Delivery tasks wait in
      the broker in claim order, and each batch start records the newest claim time it
      started (`DeliveryProgress.claimed_upto`) and when (`seen_at`). A row claimed
      before that newest started claim was skipped by the queue (its task died with a
      worker, or with a broker); a row claimed at or after it is still queued behind
      the backlog and is not enqueued again, however long the backlog. When no batch
      has started for a whole lease the queue itself is stuck or gone: every stale row
      is due again (the start guard keeps a late duplicate task from sending twice).
    """
    stale = now - settings.REMINDERS_LEASE
    claimed_upto, seen_at = DeliveryProgress.objects.filter(pk=1).values_list(
        "claimed_upto", "seen_at"
    ).first() or (None, None)
    passed_by_queue = Q()  # the queue is not moving: every stale claim is lost
    if seen_at is not None and seen_at >= stale:
        passed_by_queue = Q(claimed_at__lt=claimed_upto) if claimed_upto else Q(pk__in=[])
    ids = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(
            Q(status=Status.PENDING, next_attempt_at__lte=now)
            # A delivery that started recently may still be talking to the provider.
            | Q(status=Status.SENDING, claimed_at__lt=stale)
            & (
                Q(delivery_started_at__lt=stale)
                | Q(delivery_started_at__isnull=True) & passed_by_queue
            )
        )
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
    if ids:
        Notification.objects.filter(id__in=ids).update(status=Status.SENDING, claimed_at=now)
    return ids


def dispatch(
    *, now: datetime.datetime, enqueue: Callable[[list[int]], object], max_batches: int = 200
) -> int:
    """Claim due rows batch by batch; each claim is enqueued after its own commit, in
    delivery batches of `REMINDERS_DELIVERY_BATCH_SIZE` ids."""
    claimed = 0
    for _ in range(max_batches):
        with transaction.atomic():
            ids = notifications_claim_due(now=now, limit=settings.REMINDERS_BATCH_SIZE)
            transaction.on_commit(functools.partial(_enqueue_each, enqueue, ids))
        claimed += len(ids)
        if len(ids) < settings.REMINDERS_BATCH_SIZE:
            break
    return claimed


def _enqueue_each(enqueue: Callable[[list[int]], object], ids: list[int]) -> None:
    size = settings.REMINDERS_DELIVERY_BATCH_SIZE
    for start in range(0, len(ids), size):
        enqueue(ids[start : start + size])


@transaction.atomic
def notification_resend(*, notification: Notification) -> Notification:
    """Send a failed (or cancelled) notification again, from its first attempt."""
    changed = Notification.objects.filter(
        id=notification.id, status__in=[Status.FAILED, Status.CANCELLED]
    ).update(
        status=Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_at=None,
        delivery_started_at=None,
        last_error="",
    )
    if not changed:
        raise ValidationError("Only a failed or cancelled notification can be sent again.")
    notification.refresh_from_db()
    return notification


@transaction.atomic
def notification_cancel(*, notification: Notification, reason: str = "") -> Notification:
    changed = Notification.objects.filter(id=notification.id, status=Status.PENDING).update(
        status=Status.CANCELLED, last_error=reason or "Cancelled by staff."
    )
    if not changed:
        raise ValidationError("Only a pending notification can be cancelled.")
    notification.refresh_from_db()
    return notification
