from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class RemindersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        checks.register(lease_outlives_tasks, checks.Tags.compatibility)


def lease_outlives_tasks(**_: Any) -> list[checks.CheckMessage]:
    """A delivery task may run until Celery's hard time limit; a lease as short as that
    lets the dispatcher hand its rows to a second task while the first still sends them."""
    lease = settings.REMINDERS_LEASE.total_seconds()
    limit = getattr(settings, "CELERY_TASK_TIME_LIMIT", None)
    if limit is not None and lease <= limit:
        return [
            checks.Error(
                f"REMINDERS_LEASE ({lease:g} s) must be longer than CELERY_TASK_TIME_LIMIT "
                f"({limit} s): a delivery still running would have its rows sent again.",
                id="reminders.E001",
            )
        ]
    return []
