"""One planner and dispatcher pass, delivering inline: for cron and for operators."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from reminders import delivery, outbox, planner


class Command(BaseCommand):
    help = "Plan the coming window, then deliver every due reminder in this process."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        planned = planner.plan(now=now)
        self.stdout.write(f"planned: {planned.created} new")
        outcomes: Counter[str] = Counter()

        def deliver_inline(notification_ids: list[int]) -> None:
            outcomes.update(delivery.notifications_deliver_batch(notification_ids=notification_ids))

        claimed = outbox.dispatch(now=now, enqueue=deliver_inline)
        summary = ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items()))
        self.stdout.write(f"due: {claimed} ({summary or 'nothing to send'})")
