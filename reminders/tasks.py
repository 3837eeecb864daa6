"""Celery entry points: thin wrappers that pass ids and call the outbox and planner."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import outbox, planner
from .locks import single_run


@shared_task(name="reminders.deliver", acks_late=True, reject_on_worker_lost=True)
def deliver(notification_id: int) -> str:
    return outbox.notification_deliver(notification_id=notification_id)


@shared_task(name="reminders.tick")
def tick() -> int:
    """Every minute: holds and urgent alerts into the outbox, then everything due out."""
    now = timezone.now()
    planner.plan_urgent(now=now)
    return outbox.dispatch(now=now, enqueue=deliver.delay)


@shared_task(name="reminders.plan")
def plan() -> int:
    """Every few minutes: fill the coming window from schedules (one pass at a time)."""
    with single_run("reminders.plan") as mine:
        if not mine:
            return 0
        return planner.plan(now=timezone.now()).created
