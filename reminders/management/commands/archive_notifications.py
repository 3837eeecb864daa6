"""Move outbox history to the archive now, as the daily `reminders.archive` task does."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reminders import retention
from reminders.locks import single_run


class Command(BaseCommand):
    help = (
        "Move sent, cancelled and failed notifications older than REMINDERS_RETENTION "
        "out of the outbox table into the archive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only count the rows that would move"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=retention.DEFAULT_BATCH_SIZE,
            help="rows per statement and transaction",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        now = timezone.now()
        days = settings.REMINDERS_RETENTION.days
        if options["dry_run"]:
            count = retention.notifications_archivable_count(now=now)
            self.stdout.write(f"would archive: {count} (done more than {days} days ago)")
            return
        # The same lock as the daily task: two runs would only skip each other's rows,
        # but one at a time keeps the figures an operator reads true.
        with single_run("reminders.archive") as mine:
            if not mine:
                self.stdout.write("archive already running elsewhere: nothing done")
                return
            moved = retention.notifications_archive(now=now, batch_size=options["batch_size"])
        self.stdout.write(f"archived: {moved} (done more than {days} days ago)")
