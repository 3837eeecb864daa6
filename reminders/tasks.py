"""Celery entry points: thin wrappers that pass ids and call the outbox and planner."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import outbox, planner, retention
from .locks import single_run


@shared_task(name="reminders.deliver_batch", acks_late=True, reject_on_worker_lost=True)
def deliver_batch(notification_ids: list[int]) -> dict[str, int]:
    return outbox.notifications_deliver_batch(notification_ids=notification_ids)


@shared_task(name="reminders.deliver", acks_late=True, reject_on_worker_lost=True)
def deliver(notification_id: int) -> str:
    """One row (a task queued before batches existed)."""
    return outbox.notification_deliver(notification_id=notification_id)


@shared_task(name="reminders.tick")
def tick() -> int:
    """Every minute: holds and urgent alerts into the outbox, then everything due out.

    One dispatch at a time: the queue's progress (`outbox.notifications_claim_due`)
    assumes tasks reach the broker in claim order, which two overlapping dispatches
    would break (the later claim's tasks ahead of the earlier's, read as lost)."""
    now = timezone.now()
    planner.plan_urgent(now=now)
    with single_run("reminders.dispatch") as mine:
        if not mine:
            return 0
        return outbox.dispatch(now=now, enqueue=deliver_batch.delay)


@shared_task(name="reminders.plan")
def plan() -> int:
    """Every few minutes: fill the coming window from schedules (one pass at a time)."""
    with single_run("reminders.plan") as mine:
        if not mine:
            return 0
        return planner.plan(now=timezone.now()).created


@shared_task(name="reminders.archive")
def archive() -> int:
    """Daily: done rows older than the retention period leave the hot outbox table."""
    with single_run("reminders.archive") as mine:
        if not mine:
            return 0
        return retention.notifications_archive(now=timezone.now())
