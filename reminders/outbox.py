"""The outbox's write side: claim due rows, deliver one, resend, cancel.

Claiming and delivering are separate commits. A row is marked `sending` and committed
before any task is enqueued; the delivery marks its start with a guarded update and
commits before it talks to the provider, and records the outcome after. Whatever is
redelivered or re-dispatched finds the row already sent, or already being sent, and
leaves it alone.
"""

from __future__ import annotations

import datetime
import functools
import logging
import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.localtime import local_midnight, local_today, patient_zone

from . import cancel_rules, messages
from .channels import TransportError, transport_for
from .models import Channel, Kind, Notification

logger = logging.getLogger(__name__)

Status = Notification.Status


def notifications_claim_due(*, now: datetime.datetime, limit: int) -> list[int]:
    """Mark up to `limit` due rows as sending and return their ids (call inside atomic).

    SKIP LOCKED lets several dispatchers claim at once without waiting for, or
    claiming, each other's rows. Rows claimed long ago and never delivered (a lost
    task, a killed worker) are due again.
    """
    stale = now - settings.REMINDERS_LEASE
    ids = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(
            Q(status=Status.PENDING, next_attempt_at__lte=now)
            # A delivery that started recently may still be talking to the provider.
            | Q(status=Status.SENDING, claimed_at__lt=stale)
            & (Q(delivery_started_at__isnull=True) | Q(delivery_started_at__lt=stale))
        )
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
    if ids:
        Notification.objects.filter(id__in=ids).update(status=Status.SENDING, claimed_at=now)
    return ids


def dispatch(
    *, now: datetime.datetime, enqueue: Callable[[int], object], max_batches: int = 200
) -> int:
    """Claim due rows batch by batch; each batch is enqueued after its own commit."""
    claimed = 0
    for _ in range(max_batches):
        with transaction.atomic():
            ids = notifications_claim_due(now=now, limit=settings.REMINDERS_BATCH_SIZE)
            transaction.on_commit(functools.partial(_enqueue_each, enqueue, ids))
        claimed += len(ids)
        if len(ids) < settings.REMINDERS_BATCH_SIZE:
            break
    return claimed


def _enqueue_each(enqueue: Callable[[int], object], ids: list[int]) -> None:
    for notification_id in ids:
        enqueue(notification_id)


def _backoff(attempt: int) -> datetime.timedelta:
    """Exponential backoff with full jitter: up to 30 s, 60 s, 120 s ... capped at 1 h."""
    ceiling = min(30 * 2 ** (attempt - 1), 3600)
    return datetime.timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311 (jitter, not a secret)


def _finish(notification_id: int, **fields: Any) -> bool:
    """Record an outcome, only if the row is still ours (sending)."""
    return bool(
        Notification.objects.filter(id=notification_id, status=Status.SENDING).update(**fields)
    )


def notification_deliver(*, notification_id: int, now: datetime.datetime | None = None) -> str:
    """Send one claimed notification; returns what happened (sent, retry, failed,
    cancelled, skipped)."""
    now = now or timezone.now()
    lease_over = now - settings.REMINDERS_LEASE
    started = (
        Notification.objects.filter(id=notification_id, status=Status.SENDING)
        .filter(Q(delivery_started_at__isnull=True) | Q(delivery_started_at__lt=lease_over))
        .update(delivery_started_at=now, attempts=F("attempts") + 1)
    )
    if not started:
        return "skipped"  # sent, cancelled, or another worker is on it
    notification = Notification.objects.select_related(
        "clinic", "patient", "staff__user", "staff__contact"
    ).get(id=notification_id)

    reason = cancel_rules.cancel_reason(notification, now=now) or _over_sms_cap(notification, now)
    address = messages.address(notification)
    if reason is None and not address:
        reason = f"The recipient has no {notification.get_channel_display().lower()} address."
    if reason:
        _finish(notification_id, status=Status.CANCELLED, last_error=reason)
        return "cancelled"

    message = messages.compose(notification, to=address)
    try:
        provider_id = transport_for(notification.channel).send(message)
    except TransportError as exc:
        if exc.permanent or notification.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
            _finish(notification_id, status=Status.FAILED, last_error=str(exc))
            logger.warning("notification %s failed: %s", notification_id, exc)
            return "failed"
        _finish(
            notification_id,
            status=Status.PENDING,
            next_attempt_at=now + _backoff(notification.attempts),
            claimed_at=None,
            delivery_started_at=None,
            last_error=str(exc),
        )
        return "retry"
    _finish(
        notification_id,
        status=Status.SENT,
        sent_at=timezone.now(),
        provider_message_id=provider_id[:200],
        last_error="",
    )
    return "sent"


def _over_sms_cap(notification: Notification, now: datetime.datetime) -> str | None:
    """A runaway schedule must not flood a patient's phone: SMS per day are capped.
    Staff alerts and a held patient's emergency guidance are not capped."""
    patient = notification.patient
    if notification.channel != Channel.SMS or notification.staff_id or patient is None:
        return None
    if notification.kind == Kind.HOLD_GUIDANCE:
        return None
    # The patient's day, as the quiet hours read it; an unknown zone counts as UTC.
    tz = patient_zone(patient)
    sent_today = Notification.objects.filter(
        patient_id=patient.pk,
        channel=Channel.SMS,
        status=Status.SENT,
        sent_at__gte=local_midnight(local_today(tz, now), tz),
    ).count()
    if sent_today >= settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY:
        return f"Daily SMS limit ({settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY}) reached."
    return None


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
